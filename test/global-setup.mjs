// Finds a real PostgreSQL for the suite and gives it a fresh database.
// Order: TEST_DATABASE_URL, else the local server on 127.0.0.1:5432, else (outside CI) an
// embedded PostgreSQL started here. Under CI=true a missing local server fails the run.
import pg from "pg";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";

async function reachable(url) {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

export default async function globalSetup() {
  let adminUrl = process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
  if (!(await reachable(adminUrl))) {
    if (process.env.CI === "true") throw new Error(`PostgreSQL is not reachable at ${adminUrl} (CI requires it)`);
    console.log(`\n[test] PostgreSQL not reachable at ${adminUrl}; starting an embedded one for this run`);
    // The server's own embedded runner (same placement rules as `npm start`, e.g. a 0700 tmp
    // folder as root); jest's transform hook is active while global setup runs, so this loads
    // the TypeScript source.
    const { embeddedLayout, startEmbeddedPostgres } = createRequire(import.meta.url)("../server/embedded-postgres.ts");
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "thrive-test-pg-"));
    const port = 55000 + Math.floor(Math.random() * 5000);
    try {
      globalThis.__THRIVE_EMBEDDED_PG__ = await startEmbeddedPostgres(embeddedLayout(home), {
        port,
        user: "postgres",
        password: "postgres",
        persistent: false,
        flags: ["-c", "fsync=off"],
      });
    } catch (err) {
      fs.rmSync(home, { recursive: true, force: true });
      throw err;
    }
    globalThis.__THRIVE_EMBEDDED_PG_HOME__ = home;
    adminUrl = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  }
  const dbName = `thrive_test_${process.pid}_${Date.now()}`;
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(`create database ${dbName}`);
  await c.end();
  process.env.THRIVE_TEST_ADMIN_URL = adminUrl;
  process.env.THRIVE_TEST_DATABASE_URL = adminUrl.replace(/\/[^/]*$/, `/${dbName}`);
  process.env.THRIVE_TEST_DB_NAME = dbName;
}
