import "reflect-metadata";
import type { EntityManager } from "@mikro-orm/postgresql";
import { parseArgs } from "node:util";
import { OrgEnvironment } from "../entities/partners/org.entity";
import { listTenants, provisionTenant } from "../resolvers/auth";
import { SecretBox } from "../resolvers/_shared/crypto";
import { loadConfig } from "../server/config";
import { resolveDatabase } from "../server/database";
import { createLogger } from "../server/logger";
import { resolveMasterKey } from "../server/master-key";
import { initOrm, migrate } from "../server/orm";
import { standaloneDeps } from "../server/standalone-deps";
import { runNudgeSweep } from "../resolvers/nudges";

const USAGE = `usage:
  npm run --silent admin -- create-tenant --name <name> [--env sandbox|production]
  npm run --silent admin -- list-tenants
  npm run --silent admin -- sweep-nudges [--at <ISO instant>]   (one detector sweep now, or as of --at)`;
const COMMANDS = ["create-tenant", "list-tenants", "sweep-nudges"];

/** Operator CLI. Prints exactly one JSON document on stdout; logs go to stderr. */
async function main() {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: { name: { type: "string" }, env: { type: "string", default: "sandbox" }, at: { type: "string" } },
    strict: true,
  });
  if (!command || !COMMANDS.includes(command)) throw new UsageError(USAGE);
  const at = values.at === undefined ? undefined : new Date(values.at);
  if (at && Number.isNaN(at.getTime())) throw new UsageError("--at must be an ISO 8601 instant, e.g. 2026-11-22T08:00:00Z");
  if (command === "create-tenant") {
    if (!values.name || values.name.trim().length === 0 || values.name.length > 200) throw new UsageError("--name is required (1–200 characters)");
    if (values.env !== "sandbox" && values.env !== "production") throw new UsageError("--env must be sandbox or production");
  }

  const config = loadConfig();
  const logger = createLogger(process.env.LOG_LEVEL ?? "warn", "stderr");
  const db = await resolveDatabase(config, logger);
  const orm = await initOrm({ clientUrl: db.url, poolMax: 2, log: (m) => logger.debug({ orm: m }, "orm") });
  try {
    await migrate(orm, db.url);
    const em = orm.em.fork() as EntityManager;
    const masterKey = resolveMasterKey(config);
    const out =
      command === "create-tenant"
        ? await provisionTenant(em, new SecretBox(masterKey), { name: values.name!.trim(), environment: values.env as OrgEnvironment })
        : command === "sweep-nudges"
          ? await runNudgeSweep(standaloneDeps({ orm, config, logger, masterKey }), { now: at })
          : await listTenants(em);
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } finally {
    await orm.close();
    await db.stop();
  }
}

class UsageError extends Error {}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(err instanceof UsageError ? 64 : 1);
});
