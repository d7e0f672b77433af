import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeTightened, makePrivateDir } from './private-dir.js';

const modeOf = (p: string) => (fs.lstatSync(p).mode & 0o7777).toString(8);

describe('makePrivateDir', () => {
  it('creates a missing dir 0700 and has nothing to report', () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ploy-private-')), '.ploy');
    const old = process.umask(0);
    try {
      expect(makePrivateDir(dir)).toBeUndefined();
    } finally {
      process.umask(old);
    }
    expect(modeOf(dir)).toBe('700');
  });

  it('takes group and other bits off an open tree, keeps the owner bits, and leaves link targets alone', () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ploy-private-'));
    const dir = path.join(base, '.ploy');
    fs.mkdirSync(path.join(dir, 'pgdata', 'base'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'pgdata', 'PG_VERSION'), '18\n');
    fs.writeFileSync(path.join(dir, 'hook'), '#!/bin/sh\n');
    const outside = path.join(base, 'outside');
    fs.writeFileSync(outside, 'x');
    fs.chmodSync(outside, 0o644);
    fs.symlinkSync(outside, path.join(dir, 'link'));
    for (const d of [dir, path.join(dir, 'pgdata'), path.join(dir, 'pgdata', 'base')]) fs.chmodSync(d, 0o755);
    fs.chmodSync(path.join(dir, 'pgdata', 'PG_VERSION'), 0o666);
    fs.chmodSync(path.join(dir, 'hook'), 0o775);

    const t = makePrivateDir(dir)!;
    expect(t).toEqual({ dir, changed: 5, failed: [] });
    expect(describeTightened(t)).toBe(
      `${dir} was readable by other users of this host: removed group and other permissions from 5 files and folders.`,
    );
    expect([dir, 'pgdata', 'pgdata/base', 'pgdata/PG_VERSION', 'hook'].map((p) => modeOf(path.resolve(dir, p)))).toEqual([
      '700',
      '700',
      '700',
      '600',
      '700',
    ]);
    expect(modeOf(outside)).toBe('644');
    // Private now: the next open looks at the top only.
    expect(makePrivateDir(dir)).toBeUndefined();
  });
});
