import { kinds } from '../../kinds/registry.js';
import type { DeliveryRecord, NewDelivery } from '../../ports/monitor-store.js';
import type { Store } from '../../ports/store.js';
import { routingFrom } from '../../runtime/notifications/channels.js';
import { type DispatcherDeps, NotificationDispatcher } from '../../runtime/notifications/dispatcher.js';
import { hasErrors } from '../../model/diagnostic.js';
import { didYouMean } from '../../validate/suggest.js';
import type { CliDeps } from '../deps.js';
import { CliError, printDiagnostics } from '../output.js';
import { type CommonFlags, configFrom, desiredFrom } from '../prepare.js';

/**
 * `ploy notify test NAME`: sends a test message through the channel as the source declares it
 * (secrets resolved), with the usual retries, and records the delivery when the store can be
 * opened. Exit 0 when delivered, 1 otherwise.
 */
export async function notifyTestCommand(deps: CliDeps, name: string, flags: CommonFlags): Promise<number> {
  const { config, diagnostics } = configFrom(deps, flags);
  if (!config) {
    printDiagnostics(deps.stderr, diagnostics, !!deps.stderr.isTTY);
    return 1;
  }
  const desired = await desiredFrom(deps, config);
  const channels = desired.resources.filter((r) => r.kind === 'Notification');
  const resource = channels.find((r) => r.name === name);
  if (!resource) {
    if (hasErrors(desired.diagnostics)) printDiagnostics(deps.stderr, desired.diagnostics, !!deps.stderr.isTTY);
    throw new CliError(
      `No Notification named "${name}" in the source.${didYouMean(
        name,
        channels.map((c) => c.name),
      )}`,
    );
  }
  const spec = kinds.Notification.withDefaults(resource.spec);
  const channel = routingFrom([{ kind: 'Notification', name, spec, specHash: '' }]).channels.get(name)!;
  let store: Store | undefined;
  let notRecorded: string | undefined;
  try {
    store = await deps.openStore(config);
  } catch (e) {
    notRecorded = (e as Error).message;
  }
  try {
    const dispatcher = new NotificationDispatcher({
      store: store ?? unrecorded,
      clock: deps.clock,
      log: { warn: () => undefined, info: () => undefined },
      retry: { attempts: 3, baseMs: 500, timeoutMs: 15_000 },
    });
    const d = await dispatcher.sendTest(channel);
    const note = notRecorded ? ` (not recorded: ${notRecorded})` : '';
    if (d.status === 'delivered') {
      deps.stdout.write(`✓ Test message delivered to ${name} (${channel.provider})${note}.\n`);
      return 0;
    }
    deps.stderr.write(
      `✗ Test message to ${name} (${channel.provider}) failed after ${d.attempts} attempt(s): ${d.error}${note}.\n`,
    );
    return 1;
  } finally {
    await store?.close();
  }
}

/** Delivery bookkeeping that keeps nothing, for when the store is held by a running `ploy serve`. */
const unrecorded: DispatcherDeps['store'] = {
  startDelivery: async (d: NewDelivery): Promise<DeliveryRecord> => ({
    ...d,
    id: 0,
    status: 'pending',
    attempts: 0,
    error: null,
    nextAttemptAt: null,
    deliveredAt: null,
  }),
  updateDelivery: async () => undefined,
  unfinishedDeliveries: async () => [],
  listEvents: async () => [],
};
