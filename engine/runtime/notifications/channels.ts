import type { Spec } from '../../model/resource.js';
import { isSensitive, reveal, scrubSecrets } from '../../model/sensitive.js';
import { type ProviderName, providerOf } from '../../notifiers/index.js';
import type { LiveSpec } from '../live-specs.js';

/** A Notification as delivery uses it. */
export interface Channel {
  name: string;
  provider: ProviderName;
  /** The provider block; secrets stay Sensitive until the moment of sending. */
  config: Record<string, unknown>;
  /** Undefined: every event. */
  events?: readonly string[];
  isDefault: boolean;
}

/** Channels and who names them: what routing needs, rebuilt after every apply. */
export interface Routing {
  channels: Map<string, Channel>;
  /** `Kind/name` → the resource's `notify` list, when it has one. */
  notify: Map<string, string[]>;
}

export function routingFrom(live: readonly LiveSpec[]): Routing {
  const channels = new Map<string, Channel>();
  const notify = new Map<string, string[]>();
  for (const r of live) {
    if (Array.isArray(r.spec.notify)) notify.set(`${r.kind}/${r.name}`, r.spec.notify.map(String));
    if (r.kind !== 'Notification') continue;
    const p = providerOf(r.spec);
    if (!p) continue;
    channels.set(r.name, {
      name: r.name,
      provider: p.provider,
      config: p.config,
      events: Array.isArray(r.spec.events) ? r.spec.events.map(String) : undefined,
      isDefault: r.spec.default === true,
    });
  }
  return { channels, notify };
}

/**
 * Where an event goes: the resource's `notify` channels, else every channel with `default: true`;
 * then only the channels whose `events` include it.
 */
export function route(routing: Routing, event: { type: string; resource?: string | null }): Channel[] {
  const named = event.resource ? routing.notify.get(event.resource) : undefined;
  const candidates = named?.length
    ? named.map((n) => routing.channels.get(n)).filter((c): c is Channel => c !== undefined)
    : [...routing.channels.values()].filter((c) => c.isDefault);
  return candidates.filter((c) => !c.events || c.events.includes(event.type));
}

/** The channel's config with secret values revealed, and those values (to scrub from errors). */
export function revealConfig(config: Spec): { config: Record<string, unknown>; secrets: string[]; missing: boolean } {
  const secrets: string[] = [];
  let missing = false;
  const walk = (v: unknown): void => {
    if (isSensitive(v)) secrets.push(v.reveal());
    else if (v && typeof v === 'object' && '$sensitive' in v) missing = true;
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(config);
  return { config: reveal(config) as Record<string, unknown>, secrets, missing };
}

/**
 * Replaces every secret value in a text with `(sensitive)`. Values under 4 characters are left:
 * replacing them would garble the text without hiding anything worth hiding.
 */
export function scrub(text: string, secrets: readonly string[]): string {
  return scrubSecrets(
    text,
    secrets.filter((s) => s.length >= 4),
  );
}
