import type { LeaderRecord, ReadModel, StoredChangeResult } from '../../../ports/read-model.js';
import type { ApplyRecord, EventRecord, PlanRecord, RevisionRecord } from '../../../ports/store.js';
import type { SqlDriver } from '../sql-driver.js';
import {
  type ApplyRow,
  type ChangeResultRow,
  type EventRow,
  type PlanRow,
  toApply,
  toChangeResult,
  toEvent,
  toPlan,
  toRevision,
} from '../sql-rows.js';
import { num, Query } from './query.js';

type History = Pick<
  ReadModel,
  | 'revisions'
  | 'revisionsByIds'
  | 'plans'
  | 'plansByIds'
  | 'latestPlansByRevisions'
  | 'applies'
  | 'appliesByIds'
  | 'changeResultsByApplies'
  | 'lastChangeResults'
  | 'events'
  | 'eventsByIds'
  | 'leader'
>;

type StoredRow = ChangeResultRow & { id: string | number; apply_id: string | number };
const toStored = (r: StoredRow): StoredChangeResult => ({ ...toChangeResult(r), id: num(r.id), applyId: num(r.apply_id) });

/** Reads of what the Store records (revisions, plans, applies, change results, events). */
export function historyReads(db: SqlDriver): History {
  const rows = async <R, T>(q: { text: string; params: unknown[] }, map: (r: R) => T): Promise<T[]> =>
    (await db.query<R>(q.text, q.params)).map(map);
  const byIds = async <R, T>(table: string, ids: readonly number[], map: (r: R) => T): Promise<T[]> =>
    ids.length === 0 ? [] : (await db.query<R>(`select * from ${table} where id = any($1::bigint[])`, [[...ids]])).map(map);

  return {
    revisions: (q): Promise<RevisionRecord[]> =>
      rows(new Query().whereIf(q.status, 'status = any($?::text[])').range('created_at', q).page('revisions', q), toRevision),
    revisionsByIds: (ids) => byIds('revisions', ids, toRevision),
    plans: (q): Promise<PlanRecord[]> =>
      rows(new Query().whereIf(q.revisionId, 'revision_id = $?::bigint').range('created_at', q).page('plans', q), toPlan),
    plansByIds: (ids) => byIds('plans', ids, toPlan),
    async latestPlansByRevisions(ids) {
      if (ids.length === 0) return [];
      const r = await db.query<PlanRow>(
        `select distinct on (revision_id) * from plans where revision_id = any($1::bigint[]) order by revision_id, id desc`,
        [[...ids]],
      );
      return r.map(toPlan);
    },
    applies: (q): Promise<ApplyRecord[]> =>
      rows(
        new Query()
          .whereIf(q.status, 'status = any($?::text[])')
          .whereIf(q.revisionId, 'revision_id = $?::bigint')
          .range('started_at', q)
          .page('applies', q),
        toApply,
      ),
    appliesByIds: (ids) => byIds<ApplyRow, ApplyRecord>('applies', ids, toApply),
    async changeResultsByApplies(ids) {
      if (ids.length === 0) return [];
      const r = await db.query<StoredRow>('select * from change_results where apply_id = any($1::bigint[]) order by id', [
        [...ids],
      ]);
      return r.map(toStored);
    },
    async lastChangeResults(keys) {
      if (keys.length === 0) return [];
      // One statement for the whole page: the (kind, name, id) index answers each key's newest row.
      const r = await db.query<StoredRow>(
        `select distinct on (kind, name) * from change_results
         where (kind, name) in (select * from unnest($1::text[], $2::text[])) order by kind, name, id desc`,
        [keys.map((k) => k.slice(0, k.indexOf('/'))), keys.map((k) => k.slice(k.indexOf('/') + 1))],
      );
      return r.map(toStored);
    },
    events: (q): Promise<EventRecord[]> =>
      rows(
        new Query()
          .whereIf(q.types, 'type = any($?::text[])')
          .whereIf(q.resources, 'resource = any($?::text[])')
          .range('at', q)
          .page('events', q),
        (r: EventRow) => toEvent(r),
      ),
    eventsByIds: (ids) => byIds('events', ids, toEvent),
    async leader(): Promise<LeaderRecord | undefined> {
      const [r] = await db.query<{ epoch: string | number; holder: string | null; since: Date | null }>(
        'select epoch, holder, since from leader',
      );
      return r && { epoch: num(r.epoch), holder: r.holder, since: r.since };
    },
  };
}
