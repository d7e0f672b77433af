import type { EventType } from '../ports/events.js';

/** What a channel is told, built once per event from the recorded event (message.ts). */
export interface Message {
  event: EventType | 'test';
  /** One line: what happened to what (`Monitor api is DOWN`). */
  title: string;
  /** The event's full message. */
  text: string;
  /** `Kind/name`, when the event is about one resource. */
  resource?: string;
  at: Date;
  /** Since when the situation holds (a monitor's outage). */
  since?: Date;
  /** Why: failing conditions, an error, the tail of a job's output or a deploy's log. */
  details: string[];
  severity: 'critical' | 'warning' | 'info' | 'resolved';
  /** Pairs a trigger with its resolve (PagerDuty's dedup_key): the same for down and up of one resource. */
  incidentKey: string;
  /** Whether this ends an incident (monitor.up, job.recovered). */
  resolves: boolean;
  /** The recorded event's data, for providers (webhook) that pass it on. */
  data: Record<string, unknown>;
}

/** What a provider gets besides its config and the message. */
export interface SendContext {
  /** Aborts when the attempt's timeout passes or the engine stops. */
  signal: AbortSignal;
}

/**
 * One provider: its config (with secrets revealed for the call), and how it sends. Throws
 * DeliveryError on failure; the dispatcher retries and records. Never puts a secret into an error.
 */
export interface Notifier<C = Record<string, unknown>> {
  readonly provider: string;
  send(config: C, message: Message, ctx: SendContext): Promise<void>;
}

/** A failed delivery attempt, with a message safe to store and show (no URL tokens, no passwords). */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  constructor(
    message: string,
    /** false when retrying cannot help (a 4xx other than 408/429, a bad config). */
    readonly retryable = true,
  ) {
    super(message);
  }
}
