/* eslint-disable @typescript-eslint/no-require-imports, no-undef -- a CommonJS preload (node --require), run outside the ESM build */
// Preloaded into a `ploy serve` process (node --require) by the clock-step fault test: steps its
// wall clock as NTP catching up would. Date.now() and `new Date()` are moved by the offset (ms)
// in the file named by PLOY_TEST_CLOCK_OFFSET_FILE, read again on SIGUSR2. Timers (setTimeout,
// performance.now) are monotonic and do not move, as on a real machine.
const fs = require('node:fs');

const file = process.env.PLOY_TEST_CLOCK_OFFSET_FILE;
let offset = 0;
const read = () => {
  try {
    offset = Number(fs.readFileSync(file, 'utf8')) || 0;
  } catch {
    offset = 0;
  }
};
read();
process.on('SIGUSR2', read);

const RealDate = Date;
const realNow = RealDate.now.bind(RealDate);
class SteppedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(realNow() + offset);
    else super(...args);
  }
  static now() {
    return realNow() + offset;
  }
  // Dates made before the preload, or cloned from another thread, are real Dates: still dates.
  static [Symbol.hasInstance](value) {
    return value instanceof RealDate;
  }
}
globalThis.Date = SteppedDate;
