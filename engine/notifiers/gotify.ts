import { jsonHeaders, send } from './http-post.js';
import { plainText } from './text.js';
import type { Message, Notifier } from './types.js';

export interface GotifyConfig {
  url: string;
  token: string;
  priority?: number;
}

const PRIORITY: Record<Message['severity'], number> = { critical: 8, warning: 5, info: 2, resolved: 2 };

/** Provider `gotify`: POST /message with the application token in X-Gotify-Key (not in the URL). */
export const gotify: Notifier<GotifyConfig> = {
  provider: 'gotify',
  async send(config, m, ctx) {
    const body = { title: m.title, message: plainText(m, { title: false }), priority: config.priority ?? PRIORITY[m.severity] };
    await send(`${config.url.replace(/\/+$/, '')}/message`, {
      headers: { ...jsonHeaders, 'x-gotify-key': config.token },
      body: JSON.stringify(body),
      signal: ctx.signal,
    });
  },
};
