import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDir, ploy } from '../support/cli.js';

const REPO = path.join(import.meta.dirname, '../..');
const BIN = path.join(REPO, 'bin/ploy.js');

/**
 * A config repo in a folder others may enter (0755, as a home or /srv usually is), whose
 * secrets dir and secret file get the given modes. The job reads the secret, so a warning
 * must not stop it from being used.
 */
async function repoWithSecrets(dirMode: number, fileMode: number): Promise<string> {
  const cwd = await makeDir({
    'ploy.config.yaml': 'source: {path: ./repo}\nsecrets: {dir: ./secrets}\n',
    'repo/jobs.yaml':
      'kind: Job\nname: sync\nschedule: "@daily"\nhttp: {url: "http://127.0.0.1:9/", headers: {Authorization: "${secret:TOKEN}"}}\n',
    'secrets/TOKEN': 'Bearer s3cr3t-value\n',
    'secrets/.gitignore': '*\n',
  });
  fs.chmodSync(cwd, 0o755);
  fs.chmodSync(path.join(cwd, 'secrets/TOKEN'), fileMode);
  fs.chmodSync(path.join(cwd, 'secrets/.gitignore'), 0o644);
  fs.chmodSync(path.join(cwd, 'secrets'), dirMode);
  return cwd;
}

describe('a secrets dir other users of the host can read or write is warned about, as ssh does with keys', () => {
  it('warns at the line of secrets.dir when a secret can be read by every user, names the file and the fix, and still works', async () => {
    const cwd = await repoWithSecrets(0o755, 0o644);
    const r = await ploy(['validate'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^ploy\.config\.yaml:2:\d+: warning: A secret in secrets can be read by every user on this host: TOKEN \(0644\)\. Run: chmod 700 secrets \(or chmod 600 each file\)$/m,
    );
    expect(r.stdout).toContain('Valid: 1 resources');
    expect(r.stdout + r.stderr).not.toContain('s3cr3t-value');
  });

  it('warns when the group or others may add or replace secrets in the dir', async () => {
    const cwd = await repoWithSecrets(0o777, 0o600);
    const r = await ploy(['validate', '--format', 'json'], { cwd });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).diagnostics).toEqual([
      expect.objectContaining({
        severity: 'warning',
        file: 'ploy.config.yaml',
        line: 2,
        message: 'secrets.dir secrets (mode 0777) lets every user on this host add or replace secrets. Run: chmod 700 secrets',
      }),
    ]);
  });

  it('says nothing when no secret can be reached: 0600 files in a 0755 dir, or 0644 files in a 0700 dir', async () => {
    for (const [dirMode, fileMode] of [
      [0o755, 0o600],
      [0o700, 0o644],
    ]) {
      const cwd = await repoWithSecrets(dirMode, fileMode);
      const r = await ploy(['validate'], { cwd });
      expect({ mode: dirMode.toString(8), out: r.stdout + r.stderr }).toEqual({
        mode: dirMode.toString(8),
        out: 'Valid: 1 resources (1 Job).\n',
      });
    }
  });

  it('warns about a group-readable secret when the group can reach it', async () => {
    const cwd = await repoWithSecrets(0o750, 0o640);
    fs.chmodSync(cwd, 0o750);
    const r = await ploy(['validate'], { cwd });
    expect(r.stdout).toContain('A secret in secrets can be read by the group on this host: TOKEN (0640)');
  });

  it('ploy serve prints the warning as it starts', async () => {
    const cwd = await repoWithSecrets(0o755, 0o644);
    const child = spawn(process.execPath, [BIN, 'serve'], {
      cwd,
      env: { PATH: process.env.PATH, PLOY_API_LISTEN: '127.0.0.1:0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    try {
      const deadline = Date.now() + 20_000;
      while (!out.includes('warning:') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(out).toMatch(/ploy\.config\.yaml:2:\d+: warning: A secret in secrets can be read by every user on this host/);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('npm start on a fresh clone (umask 022: secrets/ is 0755, holding only .gitignore) starts without a warning', async () => {
    const clone = await makeDir({});
    fs.chmodSync(clone, 0o755);
    // What a clone writes: the committed files, folders and modes as the umask makes them.
    execFileSync('sh', [
      '-c',
      `umask 022; git -C "${REPO}" archive HEAD ploy.config.yaml examples/quickstart | tar -x --no-same-permissions -C "${clone}"`,
    ]);
    expect((fs.statSync(path.join(clone, 'examples/quickstart/secrets')).mode & 0o777).toString(8)).toBe('755');
    const r = await ploy(['validate', '--config', 'ploy.config.yaml'], { cwd: clone });
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toContain('warning');
  });
});
