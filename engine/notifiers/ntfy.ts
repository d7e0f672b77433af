import { jsonHeaders, send } from './http-post.js';
import { plainText } from './text.js';
import type { Message, Notifier } from './types.js';

export interface NtfyConfig {
  url?: string;
  topic: string;
  token?: string;
}

const PRIORITY: Record<Message['severity'], number> = { critical: 5, warning: 4, info: 3, resolved: 3 };
const TAGS: Record<Message['severity'], string[]> = {
  critical: ['rotating_light'],
  warning: ['warning'],
  info: ['information_source'],
  resolved: ['white_check_mark'],
};

/** Provider `ntfy`: a JSON publish to the server's root, with an access token when the topic needs one. */
export const ntfy: Notifier<NtfyConfig> = {
  provider: 'ntfy',
  async send(config, m, ctx) {
    const base = (config.url ?? 'https://ntfy.sh').replace(/\/+$/, '');
    const body = {
      topic: config.topic,
      title: m.title,
      message: plainText(m, { title: false }),
      priority: PRIORITY[m.severity],
      tags: TAGS[m.severity],
    };
    const headers = { ...jsonHeaders, ...(config.token ? { authorization: `Bearer ${config.token}` } : {}) };
    await send(`${base}/`, { headers, body: JSON.stringify(body), signal: ctx.signal });
  },
};
