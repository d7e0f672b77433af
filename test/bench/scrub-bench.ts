/**
 * What masking secrets costs where the engine does it: a large GraphQL answer (one scan when it
 * holds no secret; string by string when it does), a job's 64 KB output tail, one heartbeat
 * through the store's rule. 20 known secrets, medians of 21 runs.
 * Run: npm run build && node dist/test/bench/scrub-bench.js
 */
import { SecretScrubber } from '../../engine/load/secret-scrubber.js';
import { scrubJsonText } from '../../engine/model/scrub-json-text.js';

const secrets = Array.from({ length: 20 }, (_, i) => `secret-value-${i}-${Math.random().toString(36).slice(2)}`);
const scrubber = new SecretScrubber(secrets);
const scrub = (t: string) => scrubber.scrub(t);

const rows = (leak: boolean) =>
  Array.from({ length: 5000 }, (_, i) => ({
    name: `monitor-${i}`,
    status: 'up',
    latencyMs: i,
    at: new Date(0).toISOString(),
    message: leak && i === 4999 ? `token ${secrets[3]}` : 'ok 200 lorem ipsum dolor sit amet',
  }));
const clean = JSON.stringify({ data: { monitors: rows(false) } });
const leaky = JSON.stringify({ data: { monitors: rows(true) } });
const output = `${'x'.repeat(80)}\n`.repeat(800);
const beat = {
  status: '503',
  error: 'connection refused',
  conditions: [{ condition: '[STATUS] == 200', success: false, resolved: '503 == 200' }],
};

function median(times: number, fn: () => unknown): number {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    fn();
    ms.push(performance.now() - start);
  }
  return ms.sort((a, b) => a - b)[Math.floor(times / 2)];
}

scrub('warm-up');
const kb = (s: string) => `${Math.round(s.length / 1024)} KB`;
console.log(`GraphQL answer of ${kb(clean)}, no secret in it: ${median(21, () => scrubJsonText(scrub, clean)).toFixed(2)} ms`);
console.log(`GraphQL answer of ${kb(leaky)}, one secret in it: ${median(21, () => scrubJsonText(scrub, leaky)).toFixed(2)} ms`);
console.log(`job output of ${kb(output)}: ${median(21, () => scrub(output)).toFixed(3)} ms`);
// A thousand heartbeats take as many milliseconds as one takes microseconds.
const perThousandMs = median(21, () => {
  for (let i = 0; i < 1000; i++) scrubber.scrubDeep(beat);
});
console.log(`one heartbeat (scrubDeep): ${perThousandMs.toFixed(2)} µs`);
