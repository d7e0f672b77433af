import type { Page, TimeRange } from '../../../ports/read-model.js';

/**
 * Builds a filtered keyset query over `id` (newest first, or oldest first when inverted), so
 * paging costs the same on page 1 and page 1,000 and never skips a row inserted meanwhile.
 */
export class Query {
  readonly #where: string[] = [];
  readonly params: unknown[] = [];

  /** Adds a condition; `$?` placeholders are numbered in order. */
  where(cond: string, ...values: unknown[]): this {
    let text = cond;
    for (const v of values) {
      this.params.push(v);
      text = text.replace('$?', `$${this.params.length}`);
    }
    this.#where.push(text);
    return this;
  }

  /** Adds the condition only when the value is given (a list: only when non-empty). */
  whereIf(value: unknown, cond: string): this {
    if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) return this;
    return this.where(cond, value);
  }

  range(column: string, r: TimeRange): this {
    return this.whereIf(r.since, `${column} >= $?`).whereIf(r.until, `${column} < $?`);
  }

  /** `select * from table where … order by id … limit …` for one page. */
  page(table: string, p: Page): { text: string; params: unknown[] } {
    this.whereIf(p.after, 'id < $?::bigint').whereIf(p.before, 'id > $?::bigint');
    this.params.push(Math.max(1, Math.min(p.limit, 10_001)));
    return {
      text: `select * from ${table} ${this.clause()} order by id ${p.inverted ? 'asc' : 'desc'} limit $${this.params.length}`,
      params: this.params,
    };
  }

  clause(): string {
    return this.#where.length ? `where ${this.#where.join(' and ')}` : '';
  }
}

/** bigint ids arrive as string (postgres.js) or number (PGlite). */
export const num = (v: string | number | bigint): number => Number(v);
export const numOrNull = (v: string | number | bigint | null): number | null => (v === null ? null : Number(v));
