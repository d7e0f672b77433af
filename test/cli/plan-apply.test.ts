import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ploy, writeFiles } from '../support/cli.js';
import { BASIC, project } from './fixtures.js';

describe('ploy plan and apply', () => {
  it('plans every resource as a create on an empty store, and exits 2 with --detailed-exitcode', async () => {
    const cwd = await project();
    const r = await ploy(['plan', '--detailed-exitcode'], { cwd });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('+ Notification ops will be created');
    expect(r.stdout).toContain('Plan: 3 to create, 0 to update, 0 to replace, 0 to delete.');
  });

  it('shows no changes right after an apply of the same source', async () => {
    const cwd = await project();
    const applied = await ploy(['apply', '--auto-approve'], { cwd });
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('Apply succeeded: 3 succeeded, 0 failed, 0 pending.');
    const again = await ploy(['plan', '--detailed-exitcode', '--format', 'json'], { cwd });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      formatVersion: 1,
      changes: [],
      summary: { create: 0, update: 0, replace: 0, delete: 0 },
    });
  });

  it('prints the FORMAT.md JSON shape', async () => {
    const cwd = await project();
    const doc = JSON.parse((await ploy(['plan', '--format', 'json'], { cwd })).stdout);
    expect(doc.formatVersion).toBe(1);
    expect(doc.diagnostics).toEqual([]);
    expect(doc.changes.map((c: any) => [c.action, c.kind, c.name])).toEqual([
      ['create', 'Notification', 'ops'],
      ['create', 'Job', 'backup'],
      ['create', 'Monitor', 'api'],
    ]);
  });

  it('plans an update of exactly the changed field after a commit', async () => {
    const cwd = await project();
    await ploy(['apply', '--auto-approve'], { cwd });
    await writeFiles(cwd, {
      'repo/monitors/api.yaml': BASIC['repo/monitors/api.yaml'].replace('interval: 30s', 'interval: 10s'),
    });
    const doc = JSON.parse((await ploy(['plan', '--format', 'json'], { cwd })).stdout);
    expect(doc.changes).toHaveLength(1);
    expect(doc.changes[0]).toMatchObject({
      action: 'update',
      kind: 'Monitor',
      name: 'api',
      diffs: [{ path: 'interval', before: '30s', after: '10s' }],
    });
  });

  it('deletes what left the source, but never a protected resource nor anything when the source is empty', async () => {
    const cwd = await project({ ...BASIC, 'repo/jobs.yaml': BASIC['repo/jobs.yaml'].replace('notify: [ops]', 'protect: true') });
    await ploy(['apply', '--auto-approve'], { cwd });
    await rm(join(cwd, 'repo/monitors/api.yaml'));
    await rm(join(cwd, 'repo/jobs.yaml'));
    const pruned = JSON.parse((await ploy(['plan', '--format', 'json'], { cwd })).stdout);
    expect(pruned.changes.map((c: any) => `${c.action} ${c.kind}/${c.name}`)).toEqual(['delete Monitor/api']);
    expect(pruned.kept).toEqual([{ kind: 'Job', name: 'backup', reason: expect.stringContaining('protect') }]);

    await rm(join(cwd, 'repo/notifications.yaml'));
    const empty = JSON.parse((await ploy(['plan', '--format', 'json'], { cwd })).stdout);
    expect(empty.changes).toEqual([]);
    expect(empty.kept.map((k: any) => k.reason)).toContain(
      'the source is empty: nothing is pruned (a guard against a broken checkout)',
    );
  });

  it('keeps removed resources when sync.prune is off', async () => {
    const cwd = await project();
    await ploy(['apply', '--auto-approve'], { cwd });
    await writeFiles(cwd, { 'ploy.config.yaml': `${BASIC['ploy.config.yaml']}sync: {prune: false}\n` });
    await rm(join(cwd, 'repo/jobs.yaml'));
    const doc = JSON.parse((await ploy(['plan', '--format', 'json'], { cwd })).stdout);
    expect(doc.changes).toEqual([]);
    expect(doc.kept).toEqual([{ kind: 'Job', name: 'backup', reason: 'removed from the source, but sync.prune is off' }]);
  });

  it('refuses to apply without a terminal unless --auto-approve is given', async () => {
    const cwd = await project();
    const r = await ploy(['apply'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no terminal to ask on');
    expect((await ploy(['plan', '--detailed-exitcode'], { cwd })).code).toBe(2);
  });

  it('asks on a terminal and applies only on yes', async () => {
    const cwd = await project();
    const no = await ploy(['apply'], { cwd, interactive: true, answer: 'no' });
    expect(no.code).toBe(1);
    expect(no.stdout).toContain('Apply cancelled; nothing changed.');
    const yes = await ploy(['apply'], { cwd, interactive: true, answer: 'yes' });
    expect(yes.code).toBe(0);
    expect((await ploy(['plan', '--detailed-exitcode'], { cwd })).code).toBe(0);
  });

  it('applies exactly a saved plan, and refuses it once the source has changed', async () => {
    const cwd = await project();
    const saved = await ploy(['plan', '--out', 'tfplan.json'], { cwd });
    expect(saved.code).toBe(0);
    const file = JSON.parse(await readFile(join(cwd, 'tfplan.json'), 'utf8'));
    expect(file).toMatchObject({ ploy: 'plan', formatVersion: 1, plan: { formatVersion: 1 } });

    await writeFiles(cwd, { 'repo/jobs.yaml': BASIC['repo/jobs.yaml'].replace('15 2', '30 3') });
    const refused = await ploy(['apply', 'tfplan.json'], { cwd });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('the source changed since the plan was made');

    await writeFiles(cwd, { 'repo/jobs.yaml': BASIC['repo/jobs.yaml'] });
    const ok = await ploy(['apply', 'tfplan.json'], { cwd });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('Apply succeeded');
  });

  it('refuses a saved plan once the actual state has changed', async () => {
    const cwd = await project();
    await ploy(['plan', '--out', 'p.json'], { cwd });
    await ploy(['apply', '--auto-approve'], { cwd });
    const r = await ploy(['apply', 'p.json'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the actual state changed since the plan was made');
  });

  it('reports apps as pending on the Docker runtime and keeps planning them', async () => {
    const cwd = await project({ ...BASIC, 'repo/app.yaml': 'kind: App\nname: web\nimage: nginx:1.27\n' });
    const r = await ploy(['apply', '--auto-approve'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/App web: create pending — not deployed: no Docker runtime/);
    expect(r.stdout).toContain('Apply partial: 3 succeeded, 0 failed, 1 pending.');
    const plan = await ploy(['plan'], { cwd });
    expect(plan.stdout).toContain('live state of App was not observed');
    expect(plan.stdout).toContain('+ App web will be created');
  });

  it('exits 1 with diagnostics and applies nothing when the source is invalid', async () => {
    const cwd = await project({
      ...BASIC,
      'repo/bad.yaml': 'kind: Job\nname: broken\nschedule: "99 * * * *"\nshell: {command: x}\n',
    });
    for (const args of [['plan'], ['plan', '--detailed-exitcode'], ['apply', '--auto-approve']]) {
      const r = await ploy(args, { cwd });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('bad.yaml:3:1: error:');
    }
    await rm(join(cwd, 'repo/bad.yaml'));
    expect((await ploy(['plan', '--detailed-exitcode'], { cwd })).code).toBe(2);
  });

  it('never prints a secret value, in any format', async () => {
    const cwd = await project();
    const outputs = await Promise.all([
      ploy(['plan'], { cwd }),
      ploy(['plan', '--format', 'json'], { cwd }),
      ploy(['plan', '--format', 'markdown'], { cwd }),
      ploy(['validate', '--format', 'json'], { cwd }),
    ]);
    const applied = await ploy(['apply', '--auto-approve'], { cwd });
    for (const r of [...outputs, applied]) expect(r.stdout + r.stderr).not.toContain('s3cr3t-hook-token');
    expect(outputs[0].stdout).toContain('(sensitive)');
  });
});
