import { LRUCache } from 'lru-cache';
import type { Clock } from '../ports/clock.js';
import { headerValue, type WebhookHeaders } from './webhook-signature.js';

/** The headers git hosts name each delivery by; a redelivery repeats the id. */
const DELIVERY_HEADERS = [
  'x-github-delivery',
  'x-gitea-delivery',
  'x-forgejo-delivery',
  'x-gogs-delivery',
  'x-gitlab-event-uuid',
] as const;

/** A delivery's id, qualified by the header that carried it, or undefined when it has none. */
export function deliveryId(headers: WebhookHeaders): string | undefined {
  for (const name of DELIVERY_HEADERS) {
    const value = headerValue(headers, name)?.trim();
    if (value) return `${name}:${value.slice(0, 200)}`;
  }
  return undefined;
}

/** Remembers deliveries: `seen(id)` says whether the id came before, and remembers it. */
export interface DeliveryLog {
  seen(id: string): boolean;
}

/**
 * Delivery ids of verified webhooks, kept for `ttlMs` (a day) and at most `max` of them (the
 * least recently seen go first), so a flood of deliveries cannot grow memory. Time is the
 * engine's clock. Only deliveries whose signature was verified are remembered: anyone could
 * otherwise block a future delivery by sending its id first.
 */
export function deliveryLog(clock: Clock, opts: { max?: number; ttlMs?: number } = {}): DeliveryLog {
  const cache = new LRUCache<string, true>({
    max: opts.max ?? 10_000,
    ttl: opts.ttlMs ?? 86_400_000,
    perf: { now: () => clock.now().getTime() },
    // Read the clock at every look-up: lru-cache otherwise keeps "now" for a while, on a timer.
    ttlResolution: 0,
  });
  return {
    seen(id) {
      if (cache.has(id)) return true;
      cache.set(id, true);
      return false;
    },
  };
}
