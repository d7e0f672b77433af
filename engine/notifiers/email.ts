import nodemailer from 'nodemailer';
import { plainText } from './text.js';
import { DeliveryError, type Notifier } from './types.js';

export interface EmailConfig {
  smtp: { host: string; port?: number; username?: string; password?: string; secure?: boolean };
  from: string;
  to: string[];
}

/** Provider `email`: one plain-text mail through the channel's SMTP server (nodemailer). */
export const email: Notifier<EmailConfig> = {
  provider: 'email',
  async send(config, m, ctx) {
    const { smtp } = config;
    const transport = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port ?? (smtp.secure ? 465 : 587),
      secure: smtp.secure ?? false,
      auth: smtp.username ? { user: smtp.username, pass: smtp.password ?? '' } : undefined,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
    const abort = () => transport.close();
    ctx.signal.addEventListener('abort', abort, { once: true });
    try {
      await transport.sendMail({ from: config.from, to: config.to, subject: m.title, text: plainText(m) });
    } catch (err) {
      const e = err as Error & { code?: string; responseCode?: number };
      // nodemailer's messages carry the server's reply, never the password; the code says the kind.
      const retryable = !(e.responseCode && e.responseCode >= 500 && e.responseCode < 600) && e.code !== 'EAUTH';
      throw new DeliveryError(
        `SMTP ${smtp.host}: ${e.code ? `${e.code} ` : ''}${e.message.split('\n')[0].slice(0, 200)}`,
        retryable,
      );
    } finally {
      ctx.signal.removeEventListener('abort', abort);
      transport.close();
    }
  },
};
