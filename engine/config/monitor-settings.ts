import { parseDuration } from '../model/units.js';
import type { FieldPath } from '../load/positions.js';
import { type SourcePos } from '../model/source-pos.js';
import { type Diagnostic, error } from '../model/diagnostic.js';
import type { EngineConfig } from './types.js';

const DAY = 86_400_000;
/** FORMAT-era defaults: a month of raw results, a year of rollups. */
export const DEFAULT_MONITOR_SETTINGS: EngineConfig['monitors'] = {
  retention: { rawMs: 30 * DAY, rollupsMs: 365 * DAY },
  hostConcurrency: 256,
  rdapUrl: 'https://rdap.org',
};

/**
 * `monitors` of ploy.config.yaml, after the schema has accepted its shape. What the schema
 * cannot say is checked here: raw results are kept at least a day (rollups are computed from
 * them, a day at a time after a restart) and rollups at least as long as raw results (uptime
 * over long windows reads rollups; keeping them shorter would make a 30-day figure shrink).
 */
export function monitorSettings(
  raw: Record<string, any>,
  posOf: (path: FieldPath) => SourcePos,
): { settings: EngineConfig['monitors']; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const retention = raw.monitors?.retention ?? {};
  const read = (key: 'raw' | 'rollups', dflt: number): number => {
    const text = retention[key];
    if (typeof text !== 'string') return dflt;
    const ms = parseDuration(text);
    if (ms === undefined) return dflt;
    if (ms < DAY) {
      diagnostics.push(
        error('config', `monitors.retention.${key} is ${text}; keep results at least 1d.`, posOf(['monitors', 'retention', key])),
      );
    }
    return ms;
  };
  const rawMs = read('raw', DEFAULT_MONITOR_SETTINGS.retention.rawMs);
  const rollupsMs = read('rollups', DEFAULT_MONITOR_SETTINGS.retention.rollupsMs);
  if (rollupsMs < rawMs) {
    const at = typeof retention.rollups === 'string' ? ['rollups'] : ['raw'];
    diagnostics.push(
      error(
        'config',
        `monitors.retention.rollups (${retention.rollups ?? '365d'}) is shorter than monitors.retention.raw (${retention.raw ?? '30d'}); keep rollups at least as long as raw results.`,
        posOf(['monitors', 'retention', ...at]),
      ),
    );
  }
  const hostConcurrency =
    typeof raw.monitors?.hostConcurrency === 'number' ? raw.monitors.hostConcurrency : DEFAULT_MONITOR_SETTINGS.hostConcurrency;
  const rdapUrl = typeof raw.monitors?.rdap?.url === 'string' ? raw.monitors.rdap.url : DEFAULT_MONITOR_SETTINGS.rdapUrl;
  return { settings: { retention: { rawMs, rollupsMs }, hostConcurrency, rdapUrl }, diagnostics };
}
