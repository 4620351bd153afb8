import { execFile, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import crypto from "node:crypto";
import { waitFor } from "../helpers/harness";

/**
 * The two commands a newcomer runs, as real processes: the server on the embedded PostgreSQL
 * (no DATABASE_URL), the admin CLI finding that same database while the server runs, and a
 * graceful SIGTERM. Runs the TypeScript sources through scripts/ts-run.js (no build needed).
 */
const root = path.resolve(__dirname, "../..");
const tsRun = path.join(root, "scripts/ts-run.js");

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });

function runCli(args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [tsRun, "scripts/admin.ts", ...args], { cwd: root, env, timeout: 120_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("processes on the embedded database", () => {
  let server: ChildProcess | undefined;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let baseUrl: string;
  let output = "";

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "thrive-e2e-"));
    const port = await freePort();
    env = {
      PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "development", DATA_DIR: dataDir, PORT: String(port),
      EMBEDDED_PG_PORT: String(await freePort()), LOG_LEVEL: "info", JOB_POLLING_SECONDS: "0.5",
    };
    baseUrl = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, [tsRun, "server/main.ts"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    server.stdout!.on("data", (d) => (output += d));
    server.stderr!.on("data", (d) => (output += d));
    await waitFor(async () => ((await fetch(`${baseUrl}/readyz`).catch(() => null))?.status === 200 ? true : undefined), { timeoutMs: 90_000, intervalMs: 200 }).catch(
      (err: Error) => {
        throw new Error(`${err.message}; server output:\n${output.slice(-3000)}`);
      },
    );
  }, 120_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      server.kill("SIGKILL");
      await new Promise((r) => server!.once("exit", r));
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("serves on the embedded PostgreSQL and the admin CLI provisions a tenant on that same database", async () => {
    const created = await runCli(["create-tenant", "--name", "E2E Partner"], env);
    expect(created.code).toBe(0);
    const lines = created.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const tenant = JSON.parse(lines[0]);
    expect(Object.keys(tenant).sort()).toEqual(["org_id", "signing_secret", "tenant_api_key"]);
    expect(tenant.tenant_api_key).toMatch(/^ak_sandbox_/);

    const userId = crypto.randomUUID();
    const res = await fetch(`${baseUrl}/v1/users`, {
      method: "POST", headers: { "taih-tenant-key": tenant.tenant_api_key, "content-type": "application/json" }, body: JSON.stringify({ user_id: userId }),
    });
    expect(res.status).toBe(201);

    const listed = await runCli(["list-tenants"], env);
    expect(JSON.parse(listed.stdout).map((t: { org_id: string }) => t.org_id)).toContain(tenant.org_id);
    expect(listed.stdout).not.toContain(tenant.tenant_api_key.split(".")[1]);

    const prod = await runCli(["create-tenant", "--name", "Prod", "--env", "production"], env);
    expect(JSON.parse(prod.stdout).tenant_api_key).toMatch(/^ak_production_/);
    const bad = await runCli(["create-tenant"], env);
    expect(bad.code).toBe(64);
    expect(bad.stdout).toBe("");

    // The master key was created once, private to the owner.
    expect(fs.statSync(path.join(dataDir, "master.key")).mode & 0o777).toBe(0o600);
  }, 120_000);

  it("logs JSON lines with the request id and without secrets", async () => {
    const res = await fetch(`${baseUrl}/v1/users`, { headers: { "x-request-id": "e2e-log-check", "taih-tenant-key": "ak_sandbox_0123456789abcdef.not-a-real-secret-value-000000000000000" } });
    expect(res.status).toBe(401);
    const line = await waitFor(async () => output.split("\n").find((l) => l.includes("e2e-log-check")));
    expect(JSON.parse(line)).toMatchObject({ request_id: "e2e-log-check", status: 401, method: "GET" });
    expect(output).not.toContain("not-a-real-secret-value");
  });

  it("shuts down gracefully on SIGTERM: in-flight requests finish, then the process exits 0", async () => {
    const inFlight = fetch(`${baseUrl}/readyz`);
    server!.kill("SIGTERM");
    expect((await inFlight).status).toBeLessThan(500);
    const code = await new Promise<number | null>((resolve) => server!.once("exit", (c) => resolve(c)));
    expect(code).toBe(0);
    expect(output).toContain('"msg":"stopped"');
    await expect(fetch(`${baseUrl}/healthz`)).rejects.toThrow();
  }, 60_000);
});
