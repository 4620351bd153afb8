import fs from "node:fs";
import pg from "pg";
import type { Logger } from "pino";
import type { Config } from "./config";
import { EmbeddedDatabaseError, embeddedLayout, runningPort, startEmbeddedPostgres } from "./embedded-postgres";

export { EmbeddedDatabaseError } from "./embedded-postgres";

export interface DatabaseHandle {
  url: string;
  embedded: boolean;
  /** Stops the embedded server if this process started it; otherwise does nothing. */
  stop(): Promise<void>;
}

const EMBEDDED_DB = "thrive";
const EMBEDDED_USER = "postgres";
const EMBEDDED_PASSWORD = "postgres";

const embeddedUrl = (port: number) => `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${EMBEDDED_DB}`;

/**
 * DATABASE_URL when set. Otherwise the embedded PostgreSQL for DATA_DIR (DATA_DIR/pg, or its
 * stand-in when the postgres OS user cannot reach DATA_DIR: see embeddedLayout): if one is
 * already running on it (e.g. the server, while the admin CLI runs) it is reused, else it is
 * initialised (first time) and started by this process. Every embedded failure is an
 * EmbeddedDatabaseError whose message is one line saying what to do.
 */
export async function resolveDatabase(config: Config, logger: Logger): Promise<DatabaseHandle> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: false, stop: async () => undefined };
  try {
    return await startEmbedded(config, logger);
  } catch (err) {
    if (err instanceof EmbeddedDatabaseError) throw err;
    throw new EmbeddedDatabaseError(err instanceof Error ? err.message : String(err), `Check DATA_DIR (${config.dataDir})`);
  }
}

async function startEmbedded(config: Config, logger: Logger): Promise<DatabaseHandle> {
  if (!fs.existsSync(config.dataDir)) {
    fs.mkdirSync(config.dataDir, { recursive: true });
    fs.chmodSync(config.dataDir, 0o755); // ours, just created: the postgres OS user may enter it when we run as root
  }
  if (!fs.statSync(config.dataDir).isDirectory()) throw new EmbeddedDatabaseError(`DATA_DIR ${config.dataDir} is not a folder`, "Point DATA_DIR at a folder");
  const layout = embeddedLayout(config.dataDir);
  const running = runningPort(layout.dataDir);
  if (running) {
    logger.info({ port: running }, "using the embedded PostgreSQL already running on DATA_DIR");
    return { url: embeddedUrl(running), embedded: true, stop: async () => undefined };
  }
  const server = await startEmbeddedPostgres(layout, {
    port: config.embeddedPgPort,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    persistent: true,
    onLog: (line) => logger.debug({ pg: line }, "embedded postgres"),
    onInfo: (msg, fields) => logger.info(fields, msg),
  });
  try {
    await ensureDatabase(config.embeddedPgPort);
  } catch (err) {
    await server.stop();
    throw new EmbeddedDatabaseError(`started, but creating the ${EMBEDDED_DB} database failed (${String(err)})`, `Remove ${server.layout.dataDir} to start over`);
  }
  logger.info({ port: config.embeddedPgPort, cluster: server.layout.dataDir, binaries: server.layout.binDir }, "embedded PostgreSQL started");
  return { url: embeddedUrl(config.embeddedPgPort), embedded: true, stop: () => server.stop() };
}

async function ensureDatabase(port: number): Promise<void> {
  const client = new pg.Client({ host: "127.0.0.1", port, user: EMBEDDED_USER, password: EMBEDDED_PASSWORD, database: "postgres" });
  await client.connect();
  try {
    const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [EMBEDDED_DB]);
    if (!rowCount) await client.query(`create database ${EMBEDDED_DB}`);
  } finally {
    await client.end();
  }
}
