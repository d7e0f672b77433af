/**
 * Which way imports run in engine/, checked by test/architecture/imports.test.ts (so in CI) and
 * `npm run lint`. Floors, lowest first: model (the shared types and pure helpers) ←
 * load/validate/conditions ← config ← kinds/probes/executors/notifiers ← plan ← apply ←
 * runtime/source ← api ← cli ← the composition root (main.ts and root/). model/ imports nothing
 * else in engine/. ports/ holds interfaces and imports only model/; adapters/ implement them,
 * import only ports/ and model/, and are wired only in the root. config/ (ploy.config.yaml) is
 * read from runtime/source up: the phases below get what they need handed to them. render/ turns
 * plan data into text, for the CLI and the API. docs/architecture.md lists, folder by folder,
 * what each may import.
 *
 * The arrows that still run back up are listed, one by one, in
 * .dependency-cruiser-known-violations.json. Any new arrow fails; one removed must be removed
 * from that file too (the test says so), so the list only shrinks.
 */

/**
 * The floors, lowest first: a floor imports none above it. Each entry is a path under engine/
 * (a folder ends in `/`); model/, the ground floor, has its own stricter rule below.
 */
const FLOORS = [
  ['model/'],
  ['load/', 'validate/', 'conditions/'],
  ['config/'],
  ['kinds/', 'probes/', 'executors/', 'notifiers/'],
  ['plan/'],
  ['apply/'],
  ['runtime/', 'source/'],
  ['api/'],
  ['cli/'],
  ['root/', 'main\\.ts$'],
];

const paths = (floors) => `^engine/(${floors.flat().join('|')})`;
const floorOf = (folder) => FLOORS.findIndex((floor) => floor.includes(folder));

const floorRules = FLOORS.slice(1, -1).map((floor, i) => ({
  name: `floor-${floor[0].replace('/', '')}`,
  comment: 'A floor imports only the floors below it.',
  severity: 'error',
  from: { path: paths([floor]), pathNot: '\\.test\\.ts$' },
  to: { path: paths(FLOORS.slice(i + 2)) },
}));

module.exports = {
  forbidden: [
    {
      name: 'model-is-the-ground-floor',
      comment: 'model/ holds the shared types and pure helpers every phase uses; it imports nothing else in engine/.',
      severity: 'error',
      from: { path: '^engine/model/', pathNot: '\\.test\\.ts$' },
      to: { path: '^engine/', pathNot: '^engine/model/' },
    },
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
      name: 'config-read-from-runtime-up',
      comment:
        'The engine config is read where the engine is assembled (runtime/, source/ and up); the phases below it, and render/, get what they need as arguments.',
      severity: 'error',
      from: {
        path: paths([...FLOORS.slice(floorOf('config/') + 1, floorOf('runtime/')), 'render/']),
        pathNot: '\\.test\\.ts$',
      },
      to: { path: '^engine/config/' },
    },
    {
      name: 'adapters-implement-ports',
      comment:
        'An adapter implements a port with a library: it imports ports/, model/ and other adapters, never the engine that uses it (cli/, api/, runtime/, ...).',
      severity: 'error',
      from: { path: '^engine/adapters/', pathNot: '\\.test\\.ts$' },
      to: { path: '^engine/', pathNot: '^engine/(model|ports|adapters)/' },
    },
    {
      name: 'ports-are-interfaces',
      comment: 'ports/ imports only the shared types of model/ (and other ports), never an implementation.',
      severity: 'error',
      from: { path: '^engine/ports/' },
      to: { path: '^engine/', pathNot: '^engine/(model|ports)/' },
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
