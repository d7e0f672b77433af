import { appContainers } from './app-address.js';
import { describeError, ms, type Probe } from './types.js';

export interface DockerProbeSpec {
  app: string;
}

/**
 * Probe: an App's containers through the container runtime. Passes when there is at least one
 * and every one is running and healthy (or has no health check). [CONNECTED] is whether any runs.
 */
export const dockerProbe: Probe<DockerProbeSpec> = async (spec, ctx) => {
  const started = process.hrtime.bigint();
  if (!ctx.runtime) {
    return { values: { connected: false }, passed: false, error: 'no container runtime is connected' };
  }
  try {
    const containers = await appContainers(ctx.runtime, spec.app);
    const states = containers.map((c) => (c.health === 'none' ? c.state : `${c.state} (${c.health})`));
    const bad = containers.filter((c) => c.state !== 'running' || (c.health !== 'healthy' && c.health !== 'none'));
    const running = containers.some((c) => c.state === 'running');
    const passed = containers.length > 0 && bad.length === 0;
    const error =
      containers.length === 0
        ? `app ${spec.app} has no containers`
        : bad.length > 0
          ? `${bad.length} of ${containers.length} container(s) not running and healthy: ${bad.map((c) => `${c.name} ${c.state}${c.health === 'none' ? '' : ` (${c.health})`}`).join(', ')}`
          : undefined;
    return {
      values: { connected: running, responseTimeMs: ms(started) },
      passed,
      status: states.length ? [...new Set(states)].join(', ') : 'no containers',
      error,
    };
  } catch (err) {
    return { values: { connected: false, responseTimeMs: ms(started) }, passed: false, error: describeError(err) };
  }
};
