import { jsonHeaders, send } from './http-post.js';
import { ICON, plainText } from './text.js';
import type { Notifier } from './types.js';

export interface TelegramConfig {
  botToken: string;
  chatId: string | number;
  /** The Bot API's address; default https://api.telegram.org (a local Bot API server, or a test). */
  apiUrl?: string;
}

/** Telegram refuses messages over 4,096 characters. */
const MAX_TEXT = 4096;

/** Provider `telegram`: sendMessage of the Bot API, as plain text (no Markdown to escape). */
export const telegram: Notifier<TelegramConfig> = {
  provider: 'telegram',
  async send(config, m, ctx) {
    const base = (config.apiUrl ?? 'https://api.telegram.org').replace(/\/+$/, '');
    const body = {
      chat_id: config.chatId,
      text: `${ICON[m.severity]} ${plainText(m)}`.slice(0, MAX_TEXT),
      disable_web_page_preview: true,
    };
    // The token is part of the path: errors from send() name only the host.
    await send(`${base}/bot${config.botToken}/sendMessage`, {
      headers: jsonHeaders,
      body: JSON.stringify(body),
      signal: ctx.signal,
    });
  },
};
