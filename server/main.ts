import "reflect-metadata";
import { createApp } from "./app";
import { loadConfig } from "./config";
import { resolveDatabase } from "./database";
import { createLogger } from "./logger";
import { resolveMasterKey } from "./master-key";

/** `npm start`: the API (HTTP + GraphQL + WebSocket) with in-process job workers. */
async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, "stdout", { sync: false });
  const db = await resolveDatabase(config, logger);
  const app = await createApp({ config, databaseUrl: db.url, logger, masterKey: resolveMasterKey(config) });
  const addr = await app.listen(config.port, config.host);
  logger.info({ url: `http://${addr.address}:${addr.port}`, embedded_db: db.embedded }, "serving");

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const timer = setTimeout(() => {
      logger.error("shutdown timed out");
      process.exit(1);
    }, config.shutdownTimeoutMs * 3).unref();
    try {
      await app.stop();
      await db.stop();
      clearTimeout(timer);
      logger.info("stopped");
      process.exit(0);
    } catch (err) {
      logger.error({ err }, "shutdown failed");
      process.exit(1);
    }
  };
  // We own shutdown (drain first, stop the embedded database last): no library signal handler
  // may exit before we have drained.
  process.removeAllListeners("SIGTERM");
  process.removeAllListeners("SIGINT");
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((err) => {
  // An EmbeddedDatabaseError is already one line that says what to do: print it alone, no stack.
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
