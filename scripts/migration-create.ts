import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { loadConfig } from "../server/config";
import { initOrm, migrate } from "../server/orm";

/**
 * `DATABASE_URL=postgres://…/scratch npm run migration:create`: recreates the scratch database,
 * applies the committed migrations, diffs the entities against it, writes the next migration and
 * registers it in entities/_migrations/index.ts.
 */
async function main() {
  const url = loadConfig().databaseUrl;
  if (!url) throw new Error("set DATABASE_URL to a scratch database (it is dropped and recreated)");
  const dbName = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: url.replace(/\/[^/]*$/, "/postgres") });
  await admin.connect();
  await admin.query(`drop database if exists "${dbName}" with (force)`);
  await admin.query(`create database "${dbName}"`);
  await admin.end();

  const orm = await initOrm({ clientUrl: url });
  await migrate(orm, url);
  const dir = path.resolve(__dirname, "../entities/_migrations");
  const result = await orm.getMigrator().createMigration(dir, false, false);
  await orm.close();
  if (!result.fileName) {
    process.stdout.write("no changes\n");
    return;
  }
  const className = result.fileName.replace(/\.ts$/, "");
  const index = path.join(dir, "index.ts");
  let src = fs.readFileSync(index, "utf8");
  src = src.replace(/(import type \{ MigrationObject \} from "@mikro-orm\/core";\n)/, `$1import { ${className} } from "./${className}";\n`);
  src = src
    .replace(/\];\s*$/, `  { name: "${className}", class: ${className} },\n];\n`)
    .replace("= [\n  {", "= [\n  {")
    .replace("= [  {", "= [\n  {");
  fs.writeFileSync(index, src);
  process.stdout.write(`created ${result.fileName}\n`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
