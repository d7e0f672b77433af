/**
 * Which way imports run in engine/, checked by test/architecture/imports.test.ts (so in CI) and
 * `npm run lint`. Floors, lowest first: load/validate ← kinds ← plan ← apply ← runtime ← api ←
 * cli ← the composition root (main.ts and root/). ports/ holds interfaces only; adapters/
 * implement them and are wired only in the root. render/ turns plan data into text, for the CLI
 * and the API.
 *
 * The arrows that ran back up when these rules were written are listed, one by one, in
 * .dependency-cruiser-known-violations.json: they are the work of moving the shared types to a
 * ground floor. Any new arrow fails; one removed must be removed from that file too (the test
 * says so), so the list only shrinks.
 */

/** The floors, lowest first, each named by its first folder: a floor imports none above it. */
const FLOORS = [
  ['load', 'validate', 'conditions'],
  ['kinds', 'probes', 'executors', 'notifiers'],
  ['plan'],
  ['apply'],
  ['runtime', 'source'],
  ['api'],
  ['cli'],
  ['root'],
];

const floorRules = FLOORS.slice(0, -1).map((floor, i) => ({
  name: `floor-${floor[0]}`,
  comment: 'A floor imports only the floors below it.',
  severity: 'error',
  from: { path: `^engine/(${floor.join('|')})/`, pathNot: '\\.test\\.ts$' },
  to: { path: `^engine/(${FLOORS.slice(i + 1).flat().join('|')})/` },
}));

module.exports = {
  forbidden: [
    ...floorRules,
    {
      name: 'plan-is-data',
      comment: 'plan/ computes plans; it never imports apply/ or render/.',
      severity: 'error',
      from: { path: '^engine/plan/' },
      to: { path: '^engine/(apply|render)/' },
    },
    {
      name: 'render-only-for-cli-and-api',
      comment: 'Nothing but the CLI and the API reads render/.',
      severity: 'error',
      from: { path: '^engine/', pathNot: '^engine/(cli|api|render|reference)/' },
      to: { path: '^engine/render/' },
    },
    {
      name: 'adapters-only-in-the-root',
      comment: 'Adapters are wired only in the composition root, main.ts and root/ (and tested by the contract suites).',
      severity: 'error',
      from: { path: '^engine/', pathNot: '^engine/(main\\.ts|root/|adapters/)|\\.test\\.ts$' },
      to: { path: '^engine/adapters/' },
    },
    {
      name: 'ports-are-interfaces',
      comment: 'ports/ imports only the shared types, never an implementation.',
      severity: 'error',
      from: { path: '^engine/ports/' },
      to: { path: '^engine/(apply|runtime|api|cli|adapters|render|plan|source)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '^engine/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|web)' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
