import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { waitFor } from "../helpers/harness";
import { freePort, repoRoot, runCli as runCliIn, spawnServer, waitReady, type ServerProcess } from "../helpers/processes";

/**
 * The two commands a newcomer runs, as real processes: the server on the embedded PostgreSQL
 * (no DATABASE_URL), the admin CLI finding that same database while the server runs, and a
 * graceful SIGTERM. Runs the TypeScript sources through scripts/ts-run.js (no build needed).
 */
const runCli = (args: string[], env: NodeJS.ProcessEnv) => runCliIn(repoRoot, args, env);

describe("processes on the embedded database", () => {
  let server: ServerProcess | undefined;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let baseUrl: string;
  const output = () => server!.output();

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "thrive-e2e-"));
    // A checkout's DATA_DIR as `npm start` creates it (the closed-folder case: fresh-machine.test.ts).
    fs.chmodSync(dataDir, 0o755);
    const port = await freePort();
    env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: "development",
      DATA_DIR: dataDir,
      PORT: String(port),
      EMBEDDED_PG_PORT: String(await freePort()),
      LOG_LEVEL: "info",
      JOB_POLLING_SECONDS: "0.5",
    };
    server = spawnServer(repoRoot, env, port);
    baseUrl = server.baseUrl;
    await waitReady(server);
  }, 120_000);

  afterAll(async () => {
    await server?.kill();
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
      method: "POST",
      headers: { "taih-tenant-key": tenant.tenant_api_key, "content-type": "application/json" },
      body: JSON.stringify({ user_id: userId }),
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
    const res = await fetch(`${baseUrl}/v1/users`, {
      headers: { "x-request-id": "e2e-log-check", "taih-tenant-key": "ak_sandbox_0123456789abcdef.not-a-real-secret-value-000000000000000" },
    });
    expect(res.status).toBe(401);
    const line = await waitFor(async () =>
      output()
        .split("\n")
        .find((l) => l.includes("e2e-log-check")),
    );
    expect(JSON.parse(line)).toMatchObject({ request_id: "e2e-log-check", status: 401, method: "GET" });
    expect(output()).not.toContain("not-a-real-secret-value");
  });

  it("shuts down gracefully on SIGTERM: a request in flight completes normally, new connections are refused, exit 0", async () => {
    const tenant = JSON.parse((await runCli(["create-tenant", "--name", "Drain"], env)).stdout);
    const userId = crypto.randomUUID();
    const body = JSON.stringify({ user_id: userId, first_name: "Grace" });
    // A slow upload (headers now, the body later), on a connection of its own. The server's
    // `100 Continue` proves it has taken the request before SIGTERM arrives.
    const req = http.request(`${baseUrl}/v1/users`, {
      method: "POST",
      agent: false,
      headers: { "taih-tenant-key": tenant.tenant_api_key, "content-type": "application/json", "content-length": Buffer.byteLength(body), expect: "100-continue" },
    });
    const response = new Promise<{ status?: number; body: string }>((resolve, reject) => {
      req.on("response", (res) => {
        let text = "";
        res.on("data", (d) => (text += d)).on("end", () => resolve({ status: res.statusCode, body: text }));
      });
      req.on("error", reject);
    });
    await new Promise((resolve) => req.once("continue", resolve));
    req.write(body.slice(0, 10));

    server!.child.kill("SIGTERM");
    const refused = () =>
      new Promise<true | undefined>((resolve) => {
        const s = net.connect(Number(new URL(baseUrl).port), "127.0.0.1");
        s.once("connect", () => (s.destroy(), resolve(undefined)));
        s.once("error", (err: NodeJS.ErrnoException) => resolve(err.code === "ECONNREFUSED" ? true : undefined));
      });
    await waitFor(refused);
    // Still running, still holding the request: it is the one thing the drain waits for.
    expect(server!.child.exitCode).toBeNull();
    expect(output()).not.toContain('"msg":"stopped"');

    req.end(body.slice(10));
    const res = await response;
    expect(res.status).toBe(201);
    expect(JSON.parse(res.body).data).toMatchObject({ user_id: userId });
    expect(await server!.exited).toBe(0);
    expect(output()).toContain('"msg":"stopped"');
  }, 120_000);
});
