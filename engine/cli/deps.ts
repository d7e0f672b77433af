import type { ValidateFunction } from 'ajv';
import type { EngineConfig } from '../config/types.js';
import type { SecretScrubber } from '../load/secret-scrubber.js';
import type { Clock } from '../ports/clock.js';
import type { Output } from '../ports/output.js';
import type { ContainerRuntime } from '../ports/container-runtime.js';
import type { Proxy } from '../ports/proxy.js';
import type { Store } from '../ports/store.js';
import type { StoreInspection } from '../ports/store-inspection.js';
import type { KindValidators } from '../validate/to-resources.js';

/**
 * What the CLI needs from the world. main.ts builds the real one; tests pass their own. The
 * CLI never constructs an adapter itself.
 */
export interface CliDeps {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout: Output;
  stderr: Output;
  /** Whether a person can answer a question (stdin and stdout are terminals). */
  interactive: boolean;
  /** Asks a yes/no question on the terminal. */
  confirm(question: string): Promise<boolean>;
  clock: Clock;
  validators(): KindValidators & { config: ValidateFunction };
  openStore(config: EngineConfig): Promise<Store>;
  /** The Docker Engine of `docker.host` (connects lazily): apps are observed and deployed on it, and
   * `ploy run job` runs container and exec jobs there. Absent: apps compare with the store only. */
  containers?(config: EngineConfig): Promise<ContainerRuntime>;
  /** The reverse proxy of proxy.caddy, when one is configured. */
  proxy?(config: EngineConfig): Promise<Proxy | undefined>;
  /** How long `ploy apply` waits for its notifications before exiting (default 10 s). */
  notificationDeadlineMs?: number;
  /** The store as it is, without migrating or creating it (`ploy doctor`). */
  inspectStore?(config: EngineConfig): Promise<StoreInspection>;
  /**
   * Masks known secret values in what the command stores and prints (main.ts wraps the store and
   * stdout/stderr with it). The command feeds it: every secret of the config and of the desired
   * state it reads. Absent in tests that do not need it.
   */
  scrubber?: SecretScrubber;
  /** Runs the long-lived engine; resolves with an exit code when it stops. */
  serve?(config: EngineConfig): Promise<number>;
}
