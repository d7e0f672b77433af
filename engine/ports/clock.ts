/** Time, behind a port so tests control it. Production code never calls Date.now() directly. */
export interface Clock {
  now(): Date;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}
