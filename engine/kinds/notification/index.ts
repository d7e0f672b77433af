import type { KindHandler } from '../kind.js';
import type { NotificationSpec } from '../spec-types.generated.js';
import { defaults } from '../shared.js';

export const PROVIDERS = ['webhook', 'slack', 'discord', 'teams', 'telegram', 'email', 'ntfy', 'gotify', 'pagerduty'] as const;

/** Notification: an alert channel. Applying one records it; events are delivered through it. */
export const notification: KindHandler<NotificationSpec> = {
  kind: 'Notification',

  // `events` absent means every event, including ones a later version adds; it is not expanded.
  withDefaults(spec) {
    const out = defaults(spec, { default: false });
    if (spec.webhook) out.webhook = defaults(spec.webhook, { method: 'POST' });
    return out;
  },

  references() {
    return [];
  },

  check() {
    return [];
  },

  replaceReason() {
    return undefined;
  },

  async execute(change) {
    if (change.action === 'delete') return { status: 'succeeded', message: 'channel removed' };
    const provider = PROVIDERS.find((k) => change.after[k] !== undefined);
    return { status: 'succeeded', message: `recorded (${provider})` };
  },
};
