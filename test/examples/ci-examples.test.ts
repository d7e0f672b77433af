import { spawnSync } from 'node:child_process';
import { chmod, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { makeDir } from '../support/cli.js';

const CI = join(import.meta.dirname, '../../examples/ci');

interface Step {
  name?: string;
  uses?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  run?: string;
}

const load = async (file: string) => parse(await readFile(join(CI, file), 'utf8'));

/**
 * Runs a CI shell snippet the way the runner does (bash, exit on error) with a stub `ploy` on
 * PATH that prints a plan and exits with `code`: what --detailed-exitcode would return.
 */
async function runWithStub(script: string, code: number, env: Record<string, string> = {}) {
  const dir = await makeDir({
    'bin/ploy': `#!/bin/sh\necho "### Ploy plan ($*)"\nexit ${code}\n`,
    summary: '',
  });
  await chmod(join(dir, 'bin/ploy'), 0o755);
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
    cwd: dir,
    env: {
      PATH: `${join(dir, 'bin')}:${process.env.PATH}`,
      GITHUB_STEP_SUMMARY: join(dir, 'summary'),
      ...env,
    },
  });
  const planMd = await readFile(join(dir, 'plan.md'), 'utf8').catch(() => undefined);
  return { status: r.status, planMd, summary: await readFile(join(dir, 'summary'), 'utf8') };
}

describe('examples/ci/github-actions.yml', () => {
  it('runs on pull requests with the full history and Node 20', async () => {
    const wf = await load('github-actions.yml');
    expect(wf.on).toHaveProperty('pull_request');
    expect(wf.permissions['pull-requests']).toBe('write');
    const steps: Step[] = wf.jobs.plan.steps;
    expect(steps.find((s) => s.uses?.startsWith('actions/checkout@'))?.with?.['fetch-depth']).toBe(0);
    expect(steps.find((s) => s.uses?.startsWith('actions/setup-node@'))?.with?.['node-version']).toBe(20);
  });

  it('validates, plans against the base branch as markdown, and posts the plan', async () => {
    const runs = ((await load('github-actions.yml')).jobs.plan.steps as Step[]).map((s) => s.run ?? '');
    const validate = runs.findIndex((r) => /^ploy validate\b/m.test(r));
    const plan = runs.findIndex((r) => /^ploy plan --base "origin\/\$BASE_REF" .*--format markdown/m.test(r));
    const post = runs.findIndex((r) => r.includes('gh pr comment') && r.includes('--body-file plan.md'));
    expect(validate).toBeGreaterThan(-1);
    expect(plan).toBeGreaterThan(validate);
    expect(post).toBeGreaterThan(plan);
    expect(runs[plan]).toContain('--detailed-exitcode > plan.md');
    expect(runs[post]).toMatch(/--edit-last \|\| gh pr comment/);
  });

  it('treats exit code 2 (changes) as success and 1 (error) as failure', async () => {
    const wf = await load('github-actions.yml');
    const step = (wf.jobs.plan.steps as Step[]).find((s) => s.run?.includes('ploy plan'))!;
    expect(step.env?.BASE_REF).toBe('${{ github.base_ref }}');
    for (const code of [0, 2]) {
      const r = await runWithStub(step.run!, code, { BASE_REF: 'main' });
      expect(r.status).toBe(0);
      expect(r.planMd).toBe('### Ploy plan (plan --base origin/main --format markdown --detailed-exitcode)\n');
      expect(r.summary).toBe(r.planMd);
    }
    expect((await runWithStub(step.run!, 1, { BASE_REF: 'main' })).status).toBe(1);
  });
});

describe('examples/ci/gitlab-ci.yml', () => {
  it('runs on merge requests with the full history', async () => {
    const job = (await load('gitlab-ci.yml'))['ploy-plan'];
    expect(job.rules).toEqual([{ if: '$CI_PIPELINE_SOURCE == "merge_request_event"' }]);
    expect(job.variables.GIT_DEPTH).toBe('0');
  });

  it('validates, plans as markdown, and posts the plan through the notes API', async () => {
    const script: string[] = (await load('gitlab-ci.yml'))['ploy-plan'].script;
    const validate = script.findIndex((l) => /^ploy validate\b/m.test(l));
    const plan = script.findIndex((l) => /^ploy plan --base .*--format markdown/m.test(l));
    const post = script.findIndex((l) => l.startsWith('curl '));
    expect(validate).toBeGreaterThan(-1);
    expect(plan).toBeGreaterThan(validate);
    expect(post).toBeGreaterThan(plan);
    expect(script[post]).toContain('--header "PRIVATE-TOKEN: $PLOY_GITLAB_TOKEN"');
    expect(script[post]).toContain('--data-urlencode "body@plan.md"');
    expect(script[post]).toContain('/merge_requests/$CI_MERGE_REQUEST_IID/notes');
  });

  it('treats exit code 2 (changes) as success and 1 (error) as failure', async () => {
    const script: string[] = (await load('gitlab-ci.yml'))['ploy-plan'].script;
    const plan = script.find((l) => l.includes('ploy plan'))!;
    const env = { CI_MERGE_REQUEST_DIFF_BASE_SHA: 'abc123' };
    for (const code of [0, 2]) {
      const r = await runWithStub(plan, code, env);
      expect(r.status).toBe(0);
      expect(r.planMd).toContain('plan --base abc123 --format markdown --detailed-exitcode');
    }
    expect((await runWithStub(plan, 1, env)).status).toBe(1);
  });
});
