import { jsonHeaders, send } from './http-post.js';
import { COLOR, ICON } from './text.js';
import type { Notifier } from './types.js';

export interface DiscordConfig {
  webhookUrl: string;
}

/** Discord caps an embed description at 4,096 characters. */
const MAX_DESCRIPTION = 4000;

/** Provider `discord`: a webhook message with one embed coloured by severity. */
export const discord: Notifier<DiscordConfig> = {
  provider: 'discord',
  async send(config, m, ctx) {
    const details = m.details.length ? `\n\`\`\`\n${m.details.join('\n')}\n\`\`\`` : '';
    const body = {
      username: 'Ploy',
      embeds: [
        {
          title: `${ICON[m.severity]} ${m.title}`,
          description: `${m.text}${details}`.slice(0, MAX_DESCRIPTION),
          color: COLOR[m.severity],
          timestamp: m.at.toISOString(),
          ...(m.since ? { fields: [{ name: 'Since', value: m.since.toISOString(), inline: true }] } : {}),
        },
      ],
    };
    await send(config.webhookUrl, { headers: jsonHeaders, body: JSON.stringify(body), signal: ctx.signal });
  },
};
