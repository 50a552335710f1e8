/**
 * The dependency rule of STYLE.md, checked in `npm test`: core imports nothing of ours; connectors, engines, stores,
 * buses and audit import only core and never each other; operations import core; api imports core; only runtime and cli
 * wire concrete parts together.
 */
const family = (name) => `^src/${name}/([^/]+)/`;

module.exports = {
  forbidden: [
    {
      name: 'core-is-self-contained',
      comment: 'core holds the model and the interfaces; it must not depend on any implementation',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    ...['connectors', 'engines', 'store', 'bus', 'audit'].map((name) => ({
      name: `${name}-import-only-core`,
      comment: `${name} may import src/core and nothing else of ours`,
      severity: 'error',
      from: { path: `^src/${name}/`, pathNot: '\\.test\\.ts$' },
      to: { path: '^src/', pathNot: ['^src/core/', `^src/${name}/`] },
    })),
    ...['connectors', 'engines', 'store', 'bus', 'operations'].map((name) => ({
      name: `${name}-siblings-independent`,
      comment: `one folder of src/${name} never imports another (they meet only through core interfaces)`,
      severity: 'error',
      from: { path: family(name) },
      to: { path: `^src/${name}/`, pathNot: `^src/${name}/$1/` },
    })),
    {
      name: 'operations-import-only-core',
      comment: 'integration tests beside the code may build the real runtime, as connector tests do',
      severity: 'error',
      from: { path: '^src/operations/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/', pathNot: ['^src/core/', '^src/operations/'] },
    },
    {
      name: 'api-imports-only-core',
      comment: 'the API is handed its parts by the runtime; tests may build real stores',
      severity: 'error',
      from: { path: '^src/api/', pathNot: ['\\.test\\.ts$', '^src/api/test-support\\.ts$'] },
      to: { path: '^src/', pathNot: ['^src/core/', '^src/api/'] },
    },
    {
      name: 'nothing-imports-runtime-or-cli',
      comment: 'runtime and cli are the composition root; nothing below may reach up into them',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/runtime/', '^src/cli/', '\\.test\\.ts$'] },
      to: { path: '^src/(runtime|cli)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
