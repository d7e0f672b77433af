/**
 * Generated config repos for the plan benchmark: N resources split evenly across the chosen
 * kinds, ~10 per file, one folder per kind, and the equivalent Terraform configuration
 * (`terraform_data` resources whose `input` holds the same fields). A `variant` of 1 rewrites one
 * field of every tenth resource of each kind, so a plan against variant 0 changes 10%.
 */
import fs from 'node:fs';
import path from 'node:path';

export type BenchKind = 'App' | 'Monitor' | 'Job' | 'Notification';
export const ALL_KINDS: readonly BenchKind[] = ['App', 'Monitor', 'Job', 'Notification'];
export const NO_APPS: readonly BenchKind[] = ['Monitor', 'Job', 'Notification'];

const PER_FILE = 10;
const FOLDER: Record<BenchKind, string> = {
  App: 'apps',
  Monitor: 'monitors',
  Job: 'jobs',
  Notification: 'notifications',
};
const PREFIX: Record<BenchKind, string> = { App: 'app', Monitor: 'mon', Job: 'job', Notification: 'notify' };

/** How many of each kind: n split evenly, the remainder to the first kinds. */
export function countsFor(n: number, kinds: readonly BenchKind[]): Map<BenchKind, number> {
  const base = Math.floor(n / kinds.length);
  return new Map(kinds.map((k, i) => [k, base + (i < n % kinds.length ? 1 : 0)]));
}

const pad = (i: number) => String(i).padStart(5, '0');
const nameOf = (kind: BenchKind, i: number) => `${PREFIX[kind]}-${pad(i)}`;
/** Every tenth resource of each kind is the one variant 1 changes. */
export const isChanged = (i: number, variant: number) => variant === 1 && i % 10 === 0;

/** The fields of one generated resource, as plain data (rendered to YAML and to HCL). */
function fields(kind: BenchKind, i: number, variant: number, notifications: number): Record<string, unknown> {
  const changed = isChanged(i, variant);
  const notify = [nameOf('Notification', i % Math.max(notifications, 1))];
  switch (kind) {
    case 'App':
      return {
        image: `registry.example.com/team/${nameOf(kind, i)}:${changed ? '1.1' : '1.0'}`,
        command: ['node', 'server.js', '--port', '3000'],
        env: { NODE_ENV: 'production', APP_ID: String(i), LOG_LEVEL: 'info' },
        replicas: 1,
        restart: 'unless-stopped',
        labels: { team: `team-${i % 7}`, tier: 'web' },
      };
    case 'Monitor':
      return {
        tcp: { host: `10.0.${Math.floor(i / 250) % 250}.${(i % 250) + 1}`, port: 5000 + (i % 1000) },
        interval: changed ? '45s' : '30s',
        timeout: '5s',
        conditions: ['[CONNECTED] == true'],
        ...(notifications ? { notify } : {}),
      };
    case 'Job':
      return {
        schedule: '*/5 * * * *',
        shell: { command: `echo ${nameOf(kind, i)} ${changed ? 'v2' : 'v1'}` },
        timeout: '5m',
        ...(notifications ? { notify } : {}),
      };
    case 'Notification':
      return {
        webhook: { url: `http://127.0.0.1:9999/hooks/${nameOf(kind, i)}${changed ? '?v=2' : ''}` },
        events: ['monitor.down', 'monitor.up', 'job.failed'],
      };
  }
}

/** A scalar as a user would write it: plain when YAML reads it back as the same string, else quoted. */
function scalar(v: unknown): string {
  if (typeof v !== 'string') return JSON.stringify(v);
  const plain = /^[a-z0-9][\w./:-]*$/i.test(v) && Number.isNaN(Number(v)) && !/^(true|false|null|~)$/i.test(v);
  return plain ? v : JSON.stringify(v);
}

/** Block style for mappings, flow style for lists: how config repos are usually written. */
function yamlEntries(obj: Record<string, unknown>, indent: string): string[] {
  const lines: string[] = [];
  for (const [k, v] of Object.entries(obj)) {
    if (Array.isArray(v)) lines.push(`${indent}${k}: [${v.map(scalar).join(', ')}]`);
    else if (v && typeof v === 'object')
      lines.push(`${indent}${k}:`, ...yamlEntries(v as Record<string, unknown>, `${indent}  `));
    else lines.push(`${indent}${k}: ${scalar(v)}`);
  }
  return lines;
}

function yamlDoc(kind: BenchKind, name: string, spec: Record<string, unknown>): string {
  return `${[`kind: ${kind}`, `name: ${name}`, ...yamlEntries(spec, '')].join('\n')}\n`;
}

function hcl(v: unknown, indent = '    '): string {
  if (Array.isArray(v)) return `[${v.map((x) => hcl(x, indent)).join(', ')}]`;
  if (v && typeof v === 'object') {
    const inner = Object.entries(v).map(([k, x]) => `${indent}  ${k} = ${hcl(x, `${indent}  `)}`);
    return `{\n${inner.join('\n')}\n${indent}}`;
  }
  return JSON.stringify(v);
}

/** Writes a Ploy config repo into `dir` (created fresh) and returns its resource count per kind. */
export function writePloyRepo(dir: string, n: number, kinds: readonly BenchKind[], variant: number): Map<BenchKind, number> {
  fs.rmSync(dir, { recursive: true, force: true });
  const counts = countsFor(n, kinds);
  const notifications = counts.get('Notification') ?? 0;
  for (const [kind, count] of counts) {
    const folder = path.join(dir, FOLDER[kind]);
    fs.mkdirSync(folder, { recursive: true });
    for (let start = 0; start < count; start += PER_FILE) {
      const docs: string[] = [];
      for (let i = start; i < Math.min(start + PER_FILE, count); i++)
        docs.push(yamlDoc(kind, nameOf(kind, i), fields(kind, i, variant, notifications)));
      fs.writeFileSync(path.join(folder, `${PREFIX[kind]}-${pad(start / PER_FILE)}.yaml`), docs.join('---\n'));
    }
  }
  return counts;
}

/** Writes the equivalent Terraform configuration (no provider to download: terraform_data is built in). */
export function writeTerraform(dir: string, n: number, kinds: readonly BenchKind[], variant: number): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(dir)) if (f.endsWith('.tf')) fs.rmSync(path.join(dir, f));
  const counts = countsFor(n, kinds);
  const notifications = counts.get('Notification') ?? 0;
  for (const [kind, count] of counts) {
    for (let start = 0; start < count; start += PER_FILE) {
      const blocks: string[] = [];
      for (let i = start; i < Math.min(start + PER_FILE, count); i++) {
        const input = { kind, name: nameOf(kind, i), ...fields(kind, i, variant, notifications) };
        blocks.push(`resource "terraform_data" "${nameOf(kind, i).replace(/-/g, '_')}" {\n  input = ${hcl(input, '  ')}\n}\n`);
      }
      fs.writeFileSync(path.join(dir, `${PREFIX[kind]}-${pad(start / PER_FILE)}.tf`), blocks.join('\n'));
    }
  }
}
