import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../test/support/fake-clock.js';
import { EngineHealth, type HealthChange } from './engine-health.js';

const watch = (health: EngineHealth) => {
  const changes: HealthChange[] = [];
  health.onChange((c) => changes.push(c));
  return changes;
};

describe('EngineHealth', () => {
  it('is degraded with the reason while a part has a problem, and ok once it has worked for a second', () => {
    const clock = new FakeClock();
    const health = new EngineHealth(clock, 60_000, 1_000);
    const changes = watch(health);
    expect(health.report()).toEqual({ status: 'ok', reasons: [] });
    health.set('store', 'the store does not answer');
    expect(health.report()).toMatchObject({ status: 'degraded', reasons: ['store: the store does not answer'] });
    health.clear('store');
    // A store coming back may refuse its first connections: not ok yet.
    expect(health.report().status).toBe('degraded');
    clock.advance(500);
    health.set('store', 'terminating connection due to administrator command');
    health.clear('store');
    clock.advance(1_000);
    health.tick();
    expect(health.report().status).toBe('ok');
    // One episode: one degraded, one recovered naming what cleared.
    expect(changes.map((c) => c.report.status)).toEqual(['degraded', 'ok']);
    expect(changes[1].report.reasons).toEqual([
      'store: the store does not answer',
      'store: terminating connection due to administrator command',
    ]);
  });

  it('is failing when a problem lasts past its limit, or at once when it says so', () => {
    const clock = new FakeClock();
    const health = new EngineHealth(clock, 60_000, 1_000);
    const changes = watch(health);
    health.set('docker', 'Docker does not answer');
    clock.advance(59_000);
    health.tick();
    expect(health.report().status).toBe('degraded');
    clock.advance(1_000);
    health.tick();
    expect(health.report().status).toBe('failing');
    health.set('store', 'disk full', { failing: true });
    expect(health.report().reasons).toEqual(['docker: Docker does not answer', 'store: disk full']);
    expect(changes.map((c) => [c.previous, c.report.status])).toEqual([
      ['ok', 'degraded'],
      ['degraded', 'failing'],
    ]);
  });

  it('keeps the time of the first problem while others come and go', () => {
    const clock = new FakeClock();
    const health = new EngineHealth(clock);
    const start = clock.now();
    health.set('lease', 'lease lost');
    clock.advance(5_000);
    health.set('store', 'refused');
    health.set('lease', 'lease lost again');
    expect(health.report().since).toEqual(start);
  });
});
