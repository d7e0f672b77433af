import { useEffect, useState } from 'preact/hooks';
import { subscribe } from './api.js';

// One SSE subscription for the whole app: every page that shows live data re-reads when an
// event arrives (debounced), instead of each page holding its own stream.

export interface LiveEvent {
  id: string;
  type: string;
  resource: string | null;
  message: string;
  at: string;
}
export interface SyncStatus {
  outcome: string;
  revision: string | null;
  changes: number;
  drift: boolean;
  pending: boolean;
  runs: number;
  observedAt: string;
  message: string | null;
}

let tick = 0;
let connected = false;
let sync: SyncStatus | undefined;
const recent: LiveEvent[] = [];
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());
let stops: (() => void)[] = [];

/** Starts (or restarts, after a new token) the app's subscriptions. */
export function startLive(): void {
  stops.forEach((s) => s());
  stops = [
    subscribe<{ events: LiveEvent }>(
      'subscription { events { id type resource message at } }',
      {},
      (d) => {
        recent.unshift(d.events);
        recent.length = Math.min(recent.length, 100);
        tick++;
        emit();
      },
      (c) => {
        connected = c;
        emit();
      },
    ),
    subscribe<{ syncStatus: SyncStatus }>(
      'subscription { syncStatus { outcome revision changes drift pending runs observedAt message } }',
      {},
      (d) => {
        const changed = sync && sync.runs !== d.syncStatus.runs;
        sync = d.syncStatus;
        if (changed) tick++;
        emit();
      },
    ),
  ];
}

/** Live state: a counter that grows with every event or sync, the stream's health, the sync status. */
export function useLive(): { tick: number; connected: boolean; sync?: SyncStatus; recent: readonly LiveEvent[] } {
  const [, set] = useState(0);
  useEffect(() => {
    const l = () => set((n) => n + 1);
    listeners.add(l);
    return () => void listeners.delete(l);
  }, []);
  return { tick, connected, sync, recent };
}
