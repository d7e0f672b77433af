import { createHmac } from 'node:crypto';
import { serveInProcess, stopServed } from '../support/serve-in-process.js';
import { afterEach, describe, expect, it } from 'vitest';
import { BASIC, project } from '../cli/fixtures.js';
import { writeFiles } from '../support/cli.js';

afterEach(stopServed);

const until = async (check: () => Promise<boolean>, ms = 10_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out waiting');
};

describe('ploy serve on a local directory', () => {
  it('applies the source at start and answers /healthz with the revision', async () => {
    const cwd = await project();
    const { store, port, engine } = await serveInProcess(cwd);
    expect((await store.listApplied()).map((a) => `${a.kind}/${a.name}`).sort()).toEqual([
      'Job/backup',
      'Monitor/api',
      'Notification/ops',
    ]);
    const health = await (await fetch(`http://127.0.0.1:${port}/healthz`)).json();
    expect(health).toMatchObject({ status: 'ok', sync: 'applied', revision: engine.reconciler.last?.revision });
  });

  it('keeps the last good revision running when a bad commit arrives, records why, then recovers', async () => {
    const cwd = await project();
    const { store, engine } = await serveInProcess(cwd);
    await writeFiles(cwd, { 'repo/jobs.yaml': 'kind: Job\nname: backup\nschedule: "not cron"\nshell: {command: x}\n' });
    await until(async () => engine.reconciler.last?.outcome === 'invalid');
    expect((await store.listApplied()).find((a) => a.name === 'backup')?.spec).toMatchObject({ schedule: '15 2 * * *' });
    const [event] = await store.listEvents({ type: 'sync.failed' });
    expect(event.message).toMatch(/is invalid \(1 error\); the last good revision keeps running/);
    const [rev] = await store.listRevisions({ limit: 1 });
    expect(rev.status).toBe('invalid');
    expect(JSON.stringify(rev.diagnostics)).toContain('jobs.yaml');

    await writeFiles(cwd, { 'repo/jobs.yaml': BASIC['repo/jobs.yaml'].replace('15 2', '0 4') });
    await until(async () => engine.reconciler.last?.outcome === 'applied');
    expect((await store.listApplied()).find((a) => a.name === 'backup')?.spec).toMatchObject({ schedule: '0 4 * * *' });
  });

  it('folds a burst of saves into one reconcile', async () => {
    const cwd = await project();
    const { store, engine } = await serveInProcess(cwd);
    const before = (await store.listApplies()).length;
    for (let i = 0; i < 10; i++) {
      await writeFiles(cwd, { 'repo/jobs.yaml': BASIC['repo/jobs.yaml'].replace('15 2', `${i} 2`) });
      await new Promise((r) => setTimeout(r, 20));
    }
    await until(async () => (await store.listApplied()).some((a) => (a.spec as any).schedule === '9 2 * * *'));
    await engine.reconciler.idle();
    expect((await store.listApplies()).length - before).toBe(1);
  });
});

describe('the hooks of ploy serve', () => {
  const CONFIG = `${BASIC['ploy.config.yaml']}webhook: {secret: "\${secret:HOOK_SECRET}"}\napi: {token: "\${secret:API_TOKEN}"}\n`;
  const files = { ...BASIC, 'ploy.config.yaml': CONFIG, 'secrets/HOOK_SECRET': 'whsec-123', 'secrets/API_TOKEN': 'tok-456' };
  const sign = (body: string, secret: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  const push = JSON.stringify({ ref: 'refs/heads/main', after: 'a'.repeat(40), repository: { full_name: 'acme/ops' } });

  it('accepts a GitHub push with a valid signature and refuses a bad one with 401, changing nothing', async () => {
    const cwd = await project(files);
    const { port, engine } = await serveInProcess(cwd);
    const post = (sig: string) =>
      fetch(`http://127.0.0.1:${port}/hooks/git`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-hub-signature-256': sig },
        body: push,
      });
    await engine.reconciler.idle();
    const runs = engine.reconciler.runs;
    const bad = await post(sign(push, 'wrong-secret'));
    expect(bad.status).toBe(401);
    expect(await bad.text()).not.toContain('whsec-123');
    await new Promise((r) => setTimeout(r, 300));
    expect(engine.reconciler.runs).toBe(runs);
    const ok = await post(sign(push, 'whsec-123'));
    expect(ok.status).toBe(202);
    await until(async () => engine.reconciler.runs === runs + 1);
  });

  it('runs a reconcile on POST /hooks/sync only with the API token', async () => {
    const cwd = await project(files);
    const { port, engine } = await serveInProcess(cwd);
    const sync = (auth?: string) =>
      fetch(`http://127.0.0.1:${port}/hooks/sync`, { method: 'POST', headers: auth ? { authorization: auth } : {} });
    await engine.reconciler.idle();
    const runs = engine.reconciler.runs;
    expect((await sync()).status).toBe(401);
    expect((await sync('Bearer nope')).status).toBe(401);
    expect(engine.reconciler.runs).toBe(runs);
    expect((await sync('Bearer tok-456')).status).toBe(202);
    await until(async () => engine.reconciler.runs === runs + 1);
    expect(engine.reconciler.last?.outcome).toBe('in-sync');
  });
});

describe('ploy serve with sync.auto off', () => {
  it('records the plan once and applies nothing; /healthz says a plan is pending', async () => {
    const cwd = await project({ ...BASIC, 'ploy.config.yaml': `${BASIC['ploy.config.yaml']}sync: {auto: false}\n` });
    const { store, port, engine } = await serveInProcess(cwd);
    expect(await store.listApplied()).toEqual([]);
    expect(await store.listApplies()).toEqual([]);
    const plans = await store.listPlans();
    expect(plans).toHaveLength(1);
    expect(plans[0].summary).toEqual({ create: 3, update: 0, replace: 0, delete: 0 });
    await engine.reconciler.trigger('poll');
    expect(await store.listPlans()).toHaveLength(1);
    const health = await (await fetch(`http://127.0.0.1:${port}/healthz`)).json();
    expect(health).toMatchObject({ sync: 'planned', pending: true, drifted: false });
    const [rev] = await store.listRevisions({ limit: 1 });
    expect(rev.status).toBe('planned');
  });
});

describe('self-heal', () => {
  it('re-plans on its interval, reports drift apart from git changes, and corrects it', async () => {
    const cwd = await project({ ...BASIC, 'ploy.config.yaml': `${BASIC['ploy.config.yaml']}sync: {selfHeal: 500ms}\n` });
    const { store, engine } = await serveInProcess(cwd);
    const runs = engine.reconciler.runs;
    await until(async () => engine.reconciler.runs >= runs + 1);
    expect(engine.reconciler.last?.outcome).toBe('in-sync');
    // Someone removes what runs behind Ploy's back (here: the applied record of a job).
    const apply = await store.startApply({
      planId: (await store.listPlans())[0].id,
      revisionId: null,
      trigger: 'by hand',
      startedAt: new Date(),
    });
    const now = new Date();
    await store.recordChangeResult(
      apply.id,
      { kind: 'Job', name: 'backup', action: 'delete', status: 'succeeded', startedAt: now, finishedAt: now },
      { remove: { kind: 'Job', name: 'backup' } },
    );
    await store.finishApply(apply.id, 'succeeded');
    await until(async () => (await store.listApplied()).some((a) => a.name === 'backup'));
    const [event] = await store.listEvents({ type: 'drift.detected' });
    expect(event.message).toMatch(/1 resource\(s\) drifted from revision/);
    const [last] = await store.listApplies({ limit: 1 });
    expect((await store.getApply(last.id))?.reason).toMatchObject({
      trigger: 'self-heal (drift)',
      changes: [{ kind: 'Job', name: 'backup', action: 'create' }],
    });
  });
});

describe('changes pending on a runtime', () => {
  it('are not applied again on every trigger while nothing about them changed', async () => {
    const cwd = await project({ ...BASIC, 'repo/app.yaml': 'kind: App\nname: web\nimage: nginx:1.27\n' });
    const { store, engine } = await serveInProcess(cwd);
    expect(engine.reconciler.last?.outcome).toBe('applied');
    const applies = (await store.listApplies()).length;
    await engine.reconciler.trigger('poll');
    await engine.reconciler.trigger('poll');
    expect((await store.listApplies()).length).toBe(applies);
    await writeFiles(cwd, { 'repo/app.yaml': 'kind: App\nname: web\nimage: nginx:1.28\n' });
    await until(async () => (await store.listApplies()).length === applies + 1);
  });
});
