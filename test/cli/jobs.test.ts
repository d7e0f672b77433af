import { describe, expect, it } from 'vitest';
import { ploy } from '../support/cli.js';
import { project } from './fixtures.js';

const FILES: Record<string, string> = {
  'ploy.config.yaml': 'source: {path: ./repo}\nstore: {url: embedded}\nsecrets: {dir: ./secrets}\n',
  'secrets/GREETING': 'top-secret-greeting\n',
  'repo/jobs.yaml': `kind: Job
name: hello
schedule: "30 2 * * *"
timezone: Europe/Berlin
shell: {command: 'echo "hello $PLOY_JOB attempt $PLOY_ATTEMPT"; echo "len=\${#WORD}"', env: {WORD: "\${secret:GREETING}"}}
then: [after]
---
kind: Job
name: after
schedule: "@every 1h"
shell: {command: "echo after $PLOY_JOB"}
---
kind: Job
name: broken
schedule: "@daily"
retries: 1
shell: {command: "echo trying $PLOY_ATTEMPT; exit 7"}
`,
};

describe('ploy run job, ploy jobs, and next runs in ploy plan', () => {
  it('shows the next 3 runs of a new job in its timezone in the plan', async () => {
    const cwd = await project(FILES);
    const plan = await ploy(['plan'], { cwd });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(
      /next runs: \d{4}-\d\d-\d\d 02:30:00 CES?T, \d{4}-\d\d-\d\d 02:30:00 CES?T, \d{4}-\d\d-\d\d 02:30:00 CES?T/,
    );
    const json = JSON.parse((await ploy(['plan', '--format', 'json'], { cwd })).stdout);
    const hello = json.changes.find((c: { name: string }) => c.name === 'hello');
    expect(hello.nextRuns).toHaveLength(3);
  });

  it('runs an applied job now, with its secret, its then-chain, and prints its output', async () => {
    const cwd = await project(FILES);
    expect((await ploy(['apply', '--auto-approve'], { cwd })).code).toBe(0);
    const run = await ploy(['run', 'job', 'hello'], { cwd });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^hello hello attempt 1\nlen=19\nJob hello succeeded in \d+ ms, exit code 0\n$/);
    expect(run.stdout).not.toContain('top-secret');

    const jobs = await ploy(['jobs', '--format', 'json'], { cwd });
    const byName = Object.fromEntries(JSON.parse(jobs.stdout).jobs.map((j: { name: string }) => [j.name, j]));
    expect(byName.hello.last).toMatchObject({ status: 'succeeded', trigger: 'manual', exitCode: 0 });
    expect(byName.after.last).toMatchObject({ status: 'succeeded', trigger: 'chain' });
    expect(byName.hello.nextRuns).toHaveLength(3);
    const text = await ploy(['jobs'], { cwd });
    expect(text.stdout).toContain('hello  30 2 * * * (Europe/Berlin)');
    expect(text.stdout).toMatch(/last: succeeded \(exit 0\) for .* \[manual\]/);
  });

  it('exits 1 with the reason when the run fails after its retries', async () => {
    const cwd = await project(FILES);
    await ploy(['apply', '--auto-approve'], { cwd });
    const run = await ploy(['run', 'job', 'broken'], { cwd });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('trying 1\n--- attempt 2 of 2 ---\ntrying 2\n');
    expect(run.stderr).toMatch(/^Job broken failed in \d+ ms, exit code 7, attempt 2: exited with code 7\n$/);
  }, 20_000);

  it('refuses a job that is not applied, naming the ones that are', async () => {
    const cwd = await project(FILES);
    const run = await ploy(['run', 'job', 'hello'], { cwd });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('Error: No applied job is named "hello" (applied jobs: none). Apply it first: ploy apply.\n');
  });
});
