// Type-aware lint: ESLint's and typescript-eslint's recommended (type-checked) rules, on the whole tree.
// Formatting is Prettier's job (`npm run format`), so no stylistic rules here.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    // Generated or build output: not edited by hand, so not linted.
    ignores: ["node_modules/", "dist/", ".data/", "coverage/", ".tmp/", "test/artifacts/", "rest-facade/__generated__/", "entities/_migrations/"],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // Async functions without `await` are deliberate: they implement Promise-returning interfaces (queue adapters,
      // Apollo plugin hooks, test fakes) and turn a synchronous throw into a rejection; dropping `async` would change that.
      "@typescript-eslint/require-await": "off",
      // A leading underscore marks a parameter or binding that must exist but is unused (Express's 4-arity error
      // handler, type-graphql @Arg parameters that only shape the schema, rest-sibling omissions).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ["test/**/*.ts", "bench/**/*.ts"],
    rules: {
      // Tests and benchmarks read untyped JSON bodies (`Harness.req().body`, bench `call()`: `any`) and check their shape
      // with expect() or a runtime check; typing every body would add casts, not safety. The promise rules stay on.
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
  {
    // Plain JS config and helper scripts run by Node directly: outside tsconfig, so no type information.
    files: ["**/*.js", "**/*.mjs"],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
  {
    files: ["**/*.js"],
    languageOptions: { sourceType: "commonjs" },
    // package.json says "type": "commonjs": these files load their dependencies with require().
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
