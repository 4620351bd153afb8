import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { createSchema, printSortedSchema } from "../server/schema";

/** Writes schema/schema.graphql (committed; the contract test fails on drift). */
async function main() {
  const sdl = printSortedSchema(await createSchema());
  const file = path.resolve(__dirname, "../schema/schema.graphql");
  fs.writeFileSync(file, sdl);
  process.stdout.write(`wrote ${path.relative(process.cwd(), file)} (${sdl.length} bytes)\n`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
