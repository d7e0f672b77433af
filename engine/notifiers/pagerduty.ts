import { jsonHeaders, send } from './http-post.js';
import type { Message, Notifier } from './types.js';

export interface PagerDutyConfig {
  routingKey: string;
  /** Events API host; default https://events.pagerduty.com (EU accounts: https://events.eu.pagerduty.com). */
  url?: string;
}

const SEVERITY: Record<Message['severity'], string> = {
  critical: 'critical',
  warning: 'warning',
  info: 'info',
  resolved: 'info',
};

/**
 * Provider `pagerduty`: Events API v2. A down triggers an incident keyed by the resource; the
 * matching up resolves the same incident (same dedup_key).
 */
export const pagerduty: Notifier<PagerDutyConfig> = {
  provider: 'pagerduty',
  async send(config, m, ctx) {
    const body = m.resolves
      ? { routing_key: config.routingKey, event_action: 'resolve', dedup_key: m.incidentKey }
      : {
          routing_key: config.routingKey,
          event_action: 'trigger',
          dedup_key: m.incidentKey,
          payload: {
            summary: m.title.slice(0, 1024),
            source: m.resource ?? 'ploy',
            severity: SEVERITY[m.severity],
            timestamp: m.at.toISOString(),
            custom_details: { message: m.text, since: m.since?.toISOString(), details: m.details },
          },
        };
    await send(`${(config.url ?? 'https://events.pagerduty.com').replace(/\/+$/, '')}/v2/enqueue`, {
      headers: jsonHeaders,
      body: JSON.stringify(body),
      signal: ctx.signal,
    });
  },
};
