// @swc/jest with legacy decorators + decorator metadata (see ../shared/stack.md §2).
const swc = {
  jsc: {
    parser: { syntax: "typescript", decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: "es2022",
    keepClassNames: true,
  },
  module: { type: "commonjs" },
  sourceMaps: "inline",
};
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  setupFiles: ["<rootDir>/test/setup-env.ts"],
  globalSetup: "<rootDir>/test/global-setup.mjs",
  globalTeardown: "<rootDir>/test/global-teardown.mjs",
  maxWorkers: 2,
  // Under Node 24 a worker with nothing left open can take 150–500 ms to exit (loading Apollo and
  // type-graphql alone shows it), over jest's 500 ms default, which printed a false "failed to exit
  // gracefully" warning. Real leaks still show: the worker is then killed after 5 s with the warning.
  workerGracefulExitTimeout: 5000,
  testTimeout: 30000,
  transform: {
    "^.+\\.ts$": ["@swc/jest", swc],
    // Jest on Node 20 cannot require(esm): transpile the ESM-only deps (pg-boss 12 and friends).
    "^.+\\.m?js$": ["@swc/jest", { ...swc, jsc: { ...swc.jsc, parser: { syntax: "ecmascript" } } }],
  },
  transformIgnorePatterns: ["/node_modules/(?!(pg-boss|serialize-error|non-error|cron-parser|luxon)/)"],
};
