import { setMaxListeners } from 'node:events';
import { DeliveryError, type Message, NOTIFIERS, type Notifier } from '../../notifiers/index.js';
import type { SecretScrubber } from '../../load/secret-scrubber.js';
import { messageOf, testMessage } from '../../notifiers/message.js';
import type { Clock } from '../../ports/clock.js';
import type { DeliveryRecord } from '../../ports/monitor-store.js';
import type { EventRecord, Store } from '../../ports/store.js';
import { type Channel, revealConfig, type Routing, route, scrub } from './channels.js';

type Log = { warn(o: object, msg: string): void; info(o: object, msg: string): void };

export interface RetryPolicy {
  /** Attempts in all, the first included (default 5). */
  attempts?: number;
  /** Wait before the second attempt; doubled each time (default 2 s). */
  baseMs?: number;
  /** Longest wait between attempts (default 5 min). */
  maxMs?: number;
  /** Time allowed for one attempt (default 15 s). */
  timeoutMs?: number;
}

export interface DispatcherDeps {
  store: Pick<Store, 'startDelivery' | 'updateDelivery' | 'unfinishedDeliveries' | 'listEvents'>;
  clock: Clock;
  log: Log;
  retry?: RetryPolicy;
  /**
   * Masks known secret values in every message before a channel gets it. Events are scrubbed
   * when recorded already; this also covers events recorded before a value was known.
   */
  scrubber?: Pick<SecretScrubber, 'scrubDeep'>;
}

/**
 * Delivers recorded events to channels. Each (channel, event) is one delivery row, retried with
 * exponential backoff; channels are sent to independently, so one slow or failing channel
 * never delays another. Alerts held back (maintenance, a parent monitor down) are not sent.
 */
export class NotificationDispatcher {
  #routing: Routing = { channels: new Map(), notify: new Map() };
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #stopping = new AbortController();
  readonly #retry: Required<RetryPolicy>;

  constructor(private readonly deps: DispatcherDeps) {
    setMaxListeners(0, this.#stopping.signal); // one listener per delivery in flight
    this.#retry = { attempts: 5, baseMs: 2000, maxMs: 300_000, timeoutMs: 15_000, ...deps.retry };
  }

  setRouting(routing: Routing): void {
    this.#routing = routing;
  }

  channel(name: string): Channel | undefined {
    return this.#routing.channels.get(name);
  }

  /** Starts the deliveries of one event; returns at once. */
  dispatch(event: EventRecord): void {
    const data = event.data as Record<string, unknown> | null | undefined;
    if (data?.suppressed) return;
    const channels = route(this.#routing, event);
    if (channels.length === 0) return;
    const message = messageOf(event);
    for (const channel of channels) this.#track(this.deliver(channel, message, event.id));
  }

  /** Delivers deliveries a stop cut short, for events still routed to their channel. */
  async resume(): Promise<void> {
    for (const d of await this.deps.store.unfinishedDeliveries()) {
      const channel = this.#routing.channels.get(d.notification);
      const [event] = d.eventId === null ? [] : await this.deps.store.listEvents({ afterId: d.eventId - 1, limit: 1 });
      if (!channel || !event || event.id !== d.eventId) {
        await this.deps.store.updateDelivery(d.id, {
          status: 'failed',
          attempts: d.attempts,
          error: 'the channel or event no longer exists',
        });
        continue;
      }
      this.#track(this.deliver(channel, messageOf(event), event.id));
    }
  }

  /** `ploy notify test NAME`: one test message, with the same retries; resolves with the delivery. */
  sendTest(channel: Channel): Promise<DeliveryRecord> {
    return this.deliver(channel, testMessage(channel.name, this.deps.clock.now()), null);
  }

  /** One delivery, from its row to its final status. Never throws for a channel's failure. */
  async deliver(channel: Channel, unscrubbed: Message, eventId: number | null): Promise<DeliveryRecord> {
    const { store, clock, log } = this.deps;
    const message = this.deps.scrubber ? this.deps.scrubber.scrubDeep(unscrubbed) : unscrubbed;
    const record = await store.startDelivery({ notification: channel.name, eventId, at: clock.now() });
    if (record.status === 'delivered') return record;
    const { config, secrets, missing } = revealConfig(channel.config);
    const notifier = NOTIFIERS[channel.provider] as unknown as Notifier;
    let attempts = record.attempts;
    let error = '';
    while (attempts < this.#retry.attempts && !this.#stopping.signal.aborted) {
      attempts++;
      let retryable = true;
      try {
        if (missing)
          throw new DeliveryError("the channel's secret values are not loaded (the applied spec holds only digests)", false);
        const signal = AbortSignal.any([this.#stopping.signal, AbortSignal.timeout(this.#retry.timeoutMs)]);
        await notifier.send(config, message, { signal });
        const patch = { status: 'delivered' as const, attempts, error: null, nextAttemptAt: null, deliveredAt: clock.now() };
        await store.updateDelivery(record.id, patch);
        return { ...record, ...patch };
      } catch (err) {
        retryable = !(err instanceof DeliveryError) || err.retryable;
        error = scrub(err instanceof Error ? err.message : String(err), secrets);
      }
      const waitMs = Math.min(this.#retry.baseMs * 2 ** (attempts - 1), this.#retry.maxMs);
      // Out of attempts or hopeless: failed. Stopping: left `retrying`, resumed at the next start.
      const failed = !retryable || attempts >= this.#retry.attempts;
      const stopping = this.#stopping.signal.aborted;
      const nextAttemptAt = failed ? null : new Date(clock.now().getTime() + (stopping ? 0 : waitMs));
      const status = failed ? ('failed' as const) : ('retrying' as const);
      await store.updateDelivery(record.id, { status, attempts, error, nextAttemptAt });
      log.warn(
        { channel: channel.name, provider: channel.provider, attempts, error },
        `delivery ${failed ? 'failed' : 'will be retried'}`,
      );
      if (failed || stopping) return { ...record, status, attempts, error, nextAttemptAt, deliveredAt: null };
      await clock.sleep(waitMs, this.#stopping.signal).catch(() => undefined);
    }
    return { ...record, status: 'retrying', attempts, error, nextAttemptAt: null, deliveredAt: null };
  }

  /** Resolves when every delivery started so far has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  /** Ends waits between retries; unfinished deliveries stay `retrying` and resume at the next start. */
  async stop(): Promise<void> {
    this.#stopping.abort();
    await this.idle();
  }

  #track(p: Promise<unknown>): void {
    const tracked = p
      .catch((err: Error) => this.deps.log.warn({ err: err.message }, 'a delivery could not be recorded'))
      .finally(() => this.#inFlight.delete(tracked));
    this.#inFlight.add(tracked);
  }
}
