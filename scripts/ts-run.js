#!/usr/bin/env node
// Runs a TypeScript dev script without a full build: compiles .ts on require with swc
// (legacy decorators + decorator metadata, same settings as jest.config.js).
const fs = require("node:fs");
const path = require("node:path");
const { transformSync } = require("@swc/core");

require.extensions[".ts"] = function compile(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, "utf8"), {
    filename,
    sourceMaps: "inline",
    jsc: {
      parser: { syntax: "typescript", decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: "es2022",
      keepClassNames: true,
    },
    module: { type: "commonjs", ignoreDynamic: true },
  });
  module._compile(code, filename);
};
require("reflect-metadata");
const [, , script, ...rest] = process.argv;
process.argv = [process.argv[0], script, ...rest];
require(path.resolve(script));
