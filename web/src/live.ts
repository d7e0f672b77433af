import { useEffect, useState } from 'preact/hooks';
import { onAuthChange, subscribe } from './api.js';
import { EventFields, type EventRow } from './components/events.js';
import { graphql, type ResultOf } from './graphql.js';

// One SSE subscription for the whole app: every page that shows live data re-reads when an
// event arrives (debounced), instead of each page holding its own stream. Browsers allow 6
// HTTP/1.1 connections per host across all tabs and an SSE stream holds one for good, so a tab
// keeps one open (two on the Overview, which also follows the sync status).

const EVENTS = graphql('subscription LiveEvents { events { ...EventFields } }', [EventFields]);
const SYNC = graphql('subscription LiveSync { syncStatus { outcome revision changes drift pending runs observedAt message } }');

/** An event as the live stream delivers it: the fields the event list shows. */
export type LiveEvent = EventRow;
/** The engine's sync status as its stream delivers it. */
export type SyncStatus = ResultOf<typeof SYNC>['syncStatus'];

let tick = 0;
let connected = false;
const recent: LiveEvent[] = [];
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());
let stops: (() => void)[] = [];

/** Starts (or restarts, after a new token) the app's subscriptions. */
export function startLive(): void {
  stops.forEach((s) => s());
  stops = [
    subscribe(
      EVENTS,
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
  ];
}

/** Live state: a counter that grows with every event or sync, the stream's health, the events seen. */
export function useLive(): { tick: number; connected: boolean; recent: readonly LiveEvent[] } {
  const [, set] = useState(0);
  useEffect(() => {
    const l = () => set((n) => n + 1);
    listeners.add(l);
    return () => void listeners.delete(l);
  }, []);
  return { tick, connected, recent };
}

/** The sync status as it changes, while the calling component is mounted; a new reconcile also bumps the tick. */
export function useSyncStatus(): SyncStatus | undefined {
  const [sync, setSync] = useState<SyncStatus>();
  useEffect(() => {
    let last: number | undefined;
    const start = () =>
      subscribe(SYNC, {}, (d) => {
        if (last !== undefined && last !== d.syncStatus.runs) {
          tick++;
          emit();
        }
        last = d.syncStatus.runs;
        setSync(d.syncStatus);
      });
    let stop = start();
    const off = onAuthChange(() => {
      stop();
      stop = start();
    });
    return () => {
      off();
      stop();
    };
  }, []);
  return sync;
}
