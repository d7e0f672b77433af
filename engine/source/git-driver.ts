import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import type { EngineConfig, GitSourceConfig } from '../config/types.js';
import type { Kind } from '../model/resource.js';
import { parseDuration } from '../model/units.js';
import type { Clock } from '../ports/clock.js';
import { desiredFromConfig } from './desired-from-config.js';
import { GitSource } from './git-source.js';
import { type GitPoller, pollGitSource } from './poll.js';
import type { SourceDriver } from './source-driver.js';

/**
 * A git repository followed by polling every `interval` and by webhooks. Each load reads one
 * fetched commit from git's object store: never a working tree, never half a push.
 */
export function gitDriver(
  config: EngineConfig & { source: { git: GitSourceConfig } },
  opts: {
    env: Readonly<Record<string, string | undefined>>;
    validators: Record<Kind, ValidateFunction>;
    clock: Clock;
    onError(err: Error): void;
  },
): SourceDriver {
  const g = config.source.git;
  const source = new GitSource({
    url: g.url,
    ref: g.ref,
    dir: g.dir,
    auth: g.auth,
    cacheDir: join(config.baseDir, '.ploy', 'git'),
  });
  const intervalMs = parseDuration(g.interval) ?? 60_000;
  let poller: GitPoller | undefined;
  let oid: string | undefined;
  let poked = false;
  return {
    description: `${source.displayUrl}#${g.ref}${g.dir && g.dir !== '.' ? `:${g.dir}` : ''}`,
    ref: g.ref,
    async load() {
      oid ??= (await source.fetch()).oid;
      const { snapshot, commit, diagnostics } = await source.snapshot(oid);
      const desired = await desiredFromConfig(config, {
        env: opts.env,
        validators: opts.validators,
        secrets: 'resolve',
        snapshot,
        commit,
        root: join(source.repoDir, g.dir),
      });
      return { ...desired, diagnostics: [...diagnostics, ...desired.diagnostics] };
    },
    async start(onChange) {
      poller = pollGitSource(
        source,
        intervalMs,
        (next, previous) => {
          oid = next;
          // The first fetch is the startup reconcile's; later commits each start one.
          if (previous !== undefined) onChange(poked ? 'webhook' : 'git-poll');
          poked = false;
        },
        opts.clock,
        opts.onError,
      );
    },
    poke() {
      poked = true;
      poller?.fetchNow().catch(() => undefined);
    },
    async stop() {
      await poller?.stop();
    },
  };
}
