import { describe, expect, it } from 'vitest';
import { parseSchedule, type Schedule } from '../schedule.js';
import { Slots } from './slots.js';

const schedule = (text: string): Schedule => {
  const p = parseSchedule(text, 'Europe/Berlin');
  if ('error' in p) throw new Error(p.error);
  return p.schedule;
};
const iso = (ds: Date[]) => ds.map((d) => d.toISOString());

describe('Slots in Europe/Berlin across DST', () => {
  it('runs a daily 02:30 once on the spring-forward day, at 03:30 CEST (02:30 does not exist)', () => {
    const s = new Slots(schedule('30 2 * * *'), 'Europe/Berlin');
    expect(iso(s.upcoming(new Date('2026-03-28T00:00:00Z'), 3))).toEqual([
      '2026-03-28T01:30:00.000Z', // 02:30 CET
      '2026-03-29T01:30:00.000Z', // 03:30 CEST: the gap day, once
      '2026-03-30T00:30:00.000Z', // 02:30 CEST
    ]);
  });

  it('runs a daily 02:30 once on the fall-back day, at the first of the two 02:30s', () => {
    const s = new Slots(schedule('30 2 * * *'), 'Europe/Berlin');
    expect(iso(s.upcoming(new Date('2026-10-24T00:00:00Z'), 3))).toEqual([
      '2026-10-24T00:30:00.000Z', // 02:30 CEST
      '2026-10-25T00:30:00.000Z', // 02:30 CEST, the first of two; not again at 02:30 CET
      '2026-10-26T01:30:00.000Z', // 02:30 CET
    ]);
  });

  it('never hands out the same hourly slot twice in the spring gap (croner does, by itself)', () => {
    const s = new Slots(schedule('0 * * * *'), 'Europe/Berlin');
    const slots = iso(s.upcoming(new Date('2026-03-29T00:00:00Z'), 3));
    expect(new Set(slots).size).toBe(3);
    expect(slots).toEqual(['2026-03-29T01:00:00.000Z', '2026-03-29T02:00:00.000Z', '2026-03-29T03:00:00.000Z']);
  });

  it('runs each real hour of the fall-back day once except the repeated 02:00', () => {
    const s = new Slots(schedule('0 * * * *'), 'Europe/Berlin');
    const slots = iso(s.between(new Date('2026-10-24T22:00:00Z'), new Date('2026-10-25T04:00:00Z'), 100).slots);
    expect(slots).toEqual([
      '2026-10-24T23:00:00.000Z', // 01:00 CEST
      '2026-10-25T00:00:00.000Z', // 02:00 CEST
      '2026-10-25T02:00:00.000Z', // 03:00 CET (02:00 CET, the repeat, is not run again)
      '2026-10-25T03:00:00.000Z',
      '2026-10-25T04:00:00.000Z',
    ]);
  });
});

describe('Slots', () => {
  it('counts @every from the Unix epoch, so every instance agrees on the slots', () => {
    const s = new Slots({ type: 'every', ms: 90_000 }, 'UTC');
    expect(iso(s.upcoming(new Date('2026-01-01T00:00:10Z'), 2))).toEqual([
      '2026-01-01T00:01:30.000Z',
      '2026-01-01T00:03:00.000Z',
    ]);
  });

  it('lists the newest slots of a long gap and counts them all', () => {
    const s = new Slots({ type: 'every', ms: 1000 }, 'UTC');
    const { slots, total } = s.between(new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T01:00:00Z'), 3);
    expect(total).toBe(3600);
    expect(iso(slots)).toEqual(['2026-01-01T00:59:58.000Z', '2026-01-01T00:59:59.000Z', '2026-01-01T01:00:00.000Z']);
  });

  it('reads six-field cron with seconds', () => {
    const s = new Slots(schedule('*/20 * * * * *'), 'UTC');
    expect(iso(s.upcoming(new Date('2026-01-01T00:00:20Z'), 2))).toEqual([
      '2026-01-01T00:00:40.000Z',
      '2026-01-01T00:01:00.000Z',
    ]);
  });
});

describe('Slots.between for cron', () => {
  it('estimates the count of a long outage of a per-second cron instead of walking it', () => {
    const p = parseSchedule('*/2 * * * * *', 'UTC');
    if ('error' in p) throw new Error(p.error);
    const s = new Slots(p.schedule, 'Europe/Berlin');
    const started = Date.now();
    const r = s.between(new Date('2026-01-01T00:00:00Z'), new Date('2026-01-31T00:00:00Z'), 50);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(r.slots).toHaveLength(50);
    expect(r.estimated).toBe(true);
    expect(r.total).toBe((30 * 86400) / 2);
  });
});
