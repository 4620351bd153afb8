import fs from "node:fs";
import pg from "pg";

export default async function globalTeardown() {
  const adminUrl = process.env.THRIVE_TEST_ADMIN_URL;
  if (adminUrl && process.env.THRIVE_TEST_DB_NAME) {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`drop database if exists ${process.env.THRIVE_TEST_DB_NAME} with (force)`);
    await c.end();
  }
  if (globalThis.__THRIVE_EMBEDDED_PG__) await globalThis.__THRIVE_EMBEDDED_PG__.stop();
  if (globalThis.__THRIVE_EMBEDDED_PG_HOME__) fs.rmSync(globalThis.__THRIVE_EMBEDDED_PG_HOME__, { recursive: true, force: true });
}
