/** The event names of FORMAT.md; notifications subscribe to these. */
export const EVENT_TYPES = [
  'monitor.down',
  'monitor.up',
  'job.failed',
  'job.recovered',
  'job.missed',
  'deploy.succeeded',
  'deploy.failed',
  'sync.failed',
  'drift.detected',
  'engine.degraded',
  'engine.recovered',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface EngineEvent {
  type: EventType;
  /** `Kind/name` when the event is about one resource. */
  resource?: string;
  message: string;
  data?: Record<string, unknown>;
}

/** Where the engine says what happened. Every event is recorded; delivery comes from notifications. */
export interface Events {
  emit(event: EngineEvent): Promise<void>;
}
