import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { project } from '../cli/fixtures.js';
import { ploy } from '../support/cli.js';

const ROOT = join(import.meta.dirname, '../..');
const SECRETS = ['SHOP_DB_PASSWORD', 'SHOP_ADMIN_TOKEN', 'SLACK_WEBHOOK', 'SMTP_PASSWORD', 'AUDIT_TOKEN', 'PAGERDUTY_KEY'];

describe('examples/', () => {
  it('quickstart validates on a fresh machine, with no secrets and no network', async () => {
    const r = await ploy(['validate', '--config', 'ploy.config.yaml'], { cwd: ROOT });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Valid: 5 resources');
  });

  it('the catalog of every kind validates once its secrets exist', async () => {
    const env = Object.fromEntries(SECRETS.map((s) => [`PLOY_SECRET_${s}`, `value-of-${s}`]));
    const r = await ploy(['validate', '--source', 'examples/catalog'], { cwd: ROOT, env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Valid: 20 resources (5 Notifications, 4 Apps, 4 Jobs, 7 Monitors).');
    // No proxy is configured for `ploy validate --source`: the route is reported, not lost.
    expect(r.stdout).toContain('apps/shop.yaml:32:1: warning: App shop-api declares routes but no proxy is configured');
  });

  it('plans nothing but the pending apps right after applying the whole catalog', async () => {
    const env = Object.fromEntries(SECRETS.map((s) => [`PLOY_SECRET_${s}`, `value-of-${s}`]));
    const cwd = await project({ 'ploy.config.yaml': `source: {path: ${join(ROOT, 'examples/catalog')}}\n` });
    const applied = await ploy(['apply', '--auto-approve'], { cwd, env });
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('Apply partial: 16 succeeded, 0 failed, 4 pending.');
    const doc = JSON.parse((await ploy(['plan', '--format', 'json'], { cwd, env })).stdout);
    expect(doc.changes.map((c: any) => `${c.action} ${c.kind}`)).toEqual(Array(4).fill('create App'));
  });
});
