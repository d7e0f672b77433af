/** Durations (`30s`) and memory sizes (`256M`) as specs and the engine config write them, parsed into numbers. Pure. */

const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `500ms`, `30s`, `5m`, `6h`, `2d` → milliseconds; undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text);
  return m ? Number(m[1]) * UNIT_MS[m[2]] : undefined;
}

const MEMORY = /^(\d+(?:\.\d+)?)([KMGkmg]?)$/;
const UNIT_BYTES: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** `256M`, `1G` → bytes; undefined when it is not a memory size. */
export function parseMemory(text: string): number | undefined {
  const m = MEMORY.exec(text);
  return m ? Math.round(Number(m[1]) * UNIT_BYTES[m[2].toLowerCase()]) : undefined;
}
