import { jsonHeaders, send } from './http-post.js';
import { ICON } from './text.js';
import type { Notifier } from './types.js';

export interface TeamsConfig {
  webhookUrl: string;
}

/** Provider `teams`: an Adaptive Card through a Teams (Workflows) incoming webhook. */
export const teams: Notifier<TeamsConfig> = {
  provider: 'teams',
  async send(config, m, ctx) {
    const body = {
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.4',
            body: [
              { type: 'TextBlock', text: `${ICON[m.severity]} ${m.title}`, weight: 'Bolder', size: 'Medium', wrap: true },
              { type: 'TextBlock', text: m.text, wrap: true },
              ...(m.since ? [{ type: 'TextBlock', text: `Since ${m.since.toISOString()}`, isSubtle: true, wrap: true }] : []),
              ...(m.details.length
                ? [{ type: 'TextBlock', text: m.details.join('\n\n'), fontType: 'Monospace', wrap: true }]
                : []),
            ],
          },
        },
      ],
    };
    await send(config.webhookUrl, { headers: jsonHeaders, body: JSON.stringify(body), signal: ctx.signal });
  },
};
