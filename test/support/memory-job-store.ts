import type {
  ClaimResult,
  FinishedOccurrence,
  JobStore,
  OccurrenceClaim,
  OccurrencePatch,
  OccurrenceRecord,
} from '../../engine/ports/job-store.js';

/**
 * A JobStore in memory with the SQL store's rules (unique job+time, epoch fencing, forbid
 * overlap), for fake-clock unit tests of policies. The SQL store is proven by the contract suite.
 */
export class MemoryJobStore implements JobStore {
  rows: OccurrenceRecord[] = [];
  leader = { epoch: 0, holder: null as string | null, since: null as Date | null };
  #id = 0;

  async takeLeadership(holder: string, at: Date) {
    this.leader = { epoch: this.leader.epoch + 1, holder, since: at };
    let interrupted = 0;
    for (const r of this.rows) {
      if (r.status === 'running') {
        Object.assign(r, { status: 'interrupted', finishedAt: at });
        interrupted++;
      }
    }
    return { epoch: this.leader.epoch, interrupted };
  }

  async currentLeader() {
    return { ...this.leader };
  }

  async claimOccurrence(c: OccurrenceClaim): Promise<ClaimResult> {
    if (c.epoch !== null && c.epoch !== this.leader.epoch) return { refused: 'stale-epoch' };
    if (this.rows.some((r) => r.job === c.job && r.scheduledAt.getTime() === c.scheduledAt.getTime())) {
      return { refused: 'taken' };
    }
    const busy =
      !!c.forbidWhenRunning &&
      this.rows.some((r) => r.job === c.job && r.status === 'running' && (c.epoch === null || r.epoch === null));
    const row: OccurrenceRecord = {
      id: ++this.#id,
      job: c.job,
      scheduledAt: c.scheduledAt,
      status: c.skip || busy ? 'skipped' : 'running',
      reason: c.skip ?? (busy ? 'overlap: the previous run was still running' : null),
      trigger: c.trigger,
      attempt: 1,
      epoch: c.epoch,
      startedAt: c.startedAt,
      finishedAt: null,
      exitCode: null,
      output: null,
      triggeredBy: c.triggeredBy ?? null,
    };
    this.rows.push(row);
    return { claimed: { ...row } };
  }

  async claimOccurrences(claims: OccurrenceClaim[]): Promise<ClaimResult[]> {
    const out: ClaimResult[] = [];
    for (const c of claims) out.push(await this.claimOccurrence(c));
    return out;
  }

  async finishOccurrences(results: FinishedOccurrence[]): Promise<void> {
    for (const { id, ...patch } of results) await this.updateOccurrence(id, patch);
  }

  async updateOccurrence(id: number, p: OccurrencePatch): Promise<void> {
    const r = this.rows.find((x) => x.id === id);
    if (!r) return;
    r.status = p.status;
    if ('reason' in p) r.reason = p.reason ?? null;
    if (p.attempt !== undefined) r.attempt = p.attempt;
    if (p.startedAt) r.startedAt = p.startedAt;
    if (p.finishedAt) r.finishedAt = p.finishedAt;
    if ('exitCode' in p) r.exitCode = p.exitCode ?? null;
    if (p.output !== undefined) r.output = p.output;
  }

  async getOccurrence(id: number) {
    const r = this.rows.find((x) => x.id === id);
    return r && { ...r };
  }

  async listOccurrences(opts?: { job?: string; limit?: number; status?: string }) {
    return this.rows
      .filter((r) => (!opts?.job || r.job === opts.job) && (!opts?.status || r.status === opts.status))
      .sort((a, b) => b.scheduledAt.getTime() - a.scheduledAt.getTime() || b.id - a.id)
      .slice(0, opts?.limit ?? 100)
      .map((r) => ({ ...r }));
  }

  async lastScheduledTimes() {
    const out = new Map<string, Date>();
    for (const r of this.rows) {
      if (r.trigger !== 'schedule' && r.trigger !== 'missed') continue;
      const prev = out.get(r.job);
      if (!prev || prev < r.scheduledAt) out.set(r.job, r.scheduledAt);
    }
    return out;
  }

  async lastFinishedRun(job: string, beforeId: number) {
    return this.rows
      .filter((r) => r.job === job && r.id < beforeId && (r.status === 'succeeded' || r.status === 'failed'))
      .sort((a, b) => b.id - a.id)[0];
  }

  async pruneOccurrences(job: string, keep: number) {
    const mine = (await this.listOccurrences({ job, limit: 1e9 })).slice(keep).filter((r) => r.status !== 'running');
    const gone = new Set(mine.map((r) => r.id));
    this.rows = this.rows.filter((r) => !gone.has(r.id));
    return gone.size;
  }
}
