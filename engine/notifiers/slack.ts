import { jsonHeaders, send } from './http-post.js';
import { ICON } from './text.js';
import type { Notifier } from './types.js';

export interface SlackConfig {
  webhookUrl: string;
}

/** Provider `slack`: an incoming webhook; `text` for notifications, one mrkdwn section for the channel. */
export const slack: Notifier<SlackConfig> = {
  provider: 'slack',
  async send(config, m, ctx) {
    const details = m.details.length ? `\n\`\`\`${m.details.join('\n')}\`\`\`` : '';
    const since = m.since ? `\nSince ${m.since.toISOString()}` : '';
    const body = {
      text: `${ICON[m.severity]} ${m.title}`,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `*${ICON[m.severity]} ${m.title}*\n${m.text}${since}${details}` } },
      ],
    };
    await send(config.webhookUrl, { headers: jsonHeaders, body: JSON.stringify(body), signal: ctx.signal });
  },
};
