import { jsonHeaders, send } from './http-post.js';
import type { Message, Notifier } from './types.js';

export interface WebhookConfig {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  /** A body with `{{field}}` placeholders (event, title, text, resource, at, since, details, severity), each JSON-escaped. */
  template?: string;
}

/** The JSON a plain webhook receives: everything a receiver needs to act on the event. */
export function webhookPayload(m: Message): Record<string, unknown> {
  return {
    event: m.event,
    title: m.title,
    message: m.text,
    resource: m.resource ?? null,
    at: m.at.toISOString(),
    since: m.since?.toISOString() ?? null,
    severity: m.severity,
    details: m.details,
    data: m.data,
  };
}

/** `{{name}}` → the field's text, escaped for a JSON string (the template's quotes stay the author's). */
export function renderTemplate(template: string, m: Message): string {
  const fields: Record<string, string> = {
    event: m.event,
    title: m.title,
    text: m.text,
    message: m.text,
    resource: m.resource ?? '',
    at: m.at.toISOString(),
    since: m.since?.toISOString() ?? '',
    severity: m.severity,
    details: m.details.join('\n'),
  };
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) =>
    name in fields ? JSON.stringify(fields[name]).slice(1, -1) : whole,
  );
}

/** Provider `webhook`: the event as JSON (or the channel's template), with the channel's headers. */
export const webhook: Notifier<WebhookConfig> = {
  provider: 'webhook',
  async send(config, m, ctx) {
    const body = config.template ? renderTemplate(config.template, m) : JSON.stringify(webhookPayload(m));
    await send(config.url, {
      method: config.method ?? 'POST',
      headers: { ...jsonHeaders, ...config.headers },
      body,
      signal: ctx.signal,
    });
  },
};
