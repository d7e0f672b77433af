import type { PROVIDERS } from '../kinds/notification/index.js';
import { discord } from './discord.js';
import { email } from './email.js';
import { gotify } from './gotify.js';
import { ntfy } from './ntfy.js';
import { pagerduty } from './pagerduty.js';
import { slack } from './slack.js';
import { teams } from './teams.js';
import { telegram } from './telegram.js';
import type { Notifier } from './types.js';
import { webhook } from './webhook.js';

export type { Message, Notifier, SendContext } from './types.js';
export { DeliveryError } from './types.js';

/** Every provider, by the field that selects it in a Notification (exactly one per channel). */
export const NOTIFIERS = {
  webhook,
  slack,
  discord,
  teams,
  telegram,
  email,
  ntfy,
  gotify,
  pagerduty,
} satisfies Record<(typeof PROVIDERS)[number], Notifier<never>>;

export type ProviderName = keyof typeof NOTIFIERS;
export const PROVIDER_NAMES = Object.keys(NOTIFIERS) as ProviderName[];

/** The provider a Notification spec selects, with its block. */
export function providerOf(
  spec: Record<string, unknown>,
): { provider: ProviderName; config: Record<string, unknown> } | undefined {
  const provider = PROVIDER_NAMES.find((p) => spec[p] !== undefined && spec[p] !== null);
  return provider ? { provider, config: spec[provider] as Record<string, unknown> } : undefined;
}
