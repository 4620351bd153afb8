/**
 * Where our server's CPU goes on the hot member read: starts dist/server/main.js under `--cpu-prof`
 * with every guard on (as bench/health-profile.bench.ts does), drives one endpoint with autocannon,
 * stops the server, then prints self time per request by package and by function from the profile.
 *
 *   npm run bench:profile                       # REST GET /v1/users/{id}/health-profile
 *   BENCH_KIND=GraphQL BENCH_DURATION=10 npm run bench:profile
 *   BENCH_SERVER=baseline npm run bench:profile  # the same load on bench/baseline/server.ts
 *   BENCH_PROFILE_OUT=/tmp/rest.cpuprofile …     # keep the profile (open it in Chrome DevTools)
 */
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { GUARDED_BENCH_ENV, HEALTH_PROFILE_QUERY, createMember, ensureDatabase, provisionTenant, startBaseline, startServer, stopServer } from "./lib/server-process";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- autocannon ships no types: typed here
const autocannon = require("autocannon") as (o: Record<string, unknown>) => Promise<{ requests: { total: number }; non2xx: number }>;
const ROOT = path.resolve(__dirname, "..");
const DATABASE_URL = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/thrive_bench";
const KIND = process.env.BENCH_KIND === "GraphQL" ? "GraphQL" : "REST";
const BASELINE = process.env.BENCH_SERVER === "baseline";
const DURATION = Number(process.env.BENCH_DURATION || 8);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
}

const where = (url: string) => {
  if (!url) return "(native)";
  const dep = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  if (dep) return dep[1];
  if (url.startsWith("node:")) return `node:${url.slice(5).split("/")[0]}`;
  const own = /\/dist\/([^/]+\/[^/]+?)(\.js)?$/.exec(url);
  return own ? `ours:${own[1]}` : url;
};

/** Self time per node, counting only samples inside [from, to] (CLOCK_MONOTONIC µs, the profile's clock). */
function summarise(file: string, requests: number, from: number, to: number) {
  const p = JSON.parse(fs.readFileSync(file, "utf8")) as Profile;
  const self = new Map<number, number>();
  let t = p.startTime;
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i] ?? 0;
    t += dt;
    if (t >= from && t <= to) self.set(id, (self.get(id) ?? 0) + dt / 1000);
  });
  const byPkg = new Map<string, number>();
  const byFn = new Map<string, number>();
  let total = 0;
  for (const n of p.nodes) {
    const ms = self.get(n.id) ?? 0;
    if (n.callFrame.functionName === "(idle)") continue;
    total += ms;
    const pkg = where(n.callFrame.url);
    byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + ms);
    const fn = `${n.callFrame.functionName || "(anonymous)"} ${pkg}:${n.callFrame.lineNumber + 1}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + ms);
  }
  const top = (m: Map<string, number>, k: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k);
  const line = ([k, v]: [string, number]) => `${(v / requests).toFixed(4).padStart(9)} ms/req  ${k}`;
  console.log(
    `${KIND} on ${BASELINE ? "the baseline" : "ours"}: ${requests} requests, busy CPU ${(total / requests).toFixed(3)} ms/req (self time in the measured window, idle excluded)`,
  );
  console.log("\nby package:\n" + top(byPkg, 20).map(line).join("\n"));
  console.log("\nby function:\n" + top(byFn, 30).map(line).join("\n"));
}

async function main() {
  execFileSync("npm", ["run", "--silent", "build"], { cwd: ROOT, stdio: ["ignore", 2, 2] });
  await ensureDatabase(DATABASE_URL);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "thrive-profile-"));
  const env = { ...process.env, DATABASE_URL, DATA_DIR: dir, MASTER_KEY: crypto.randomBytes(32).toString("base64") };
  const tenant = provisionTenant(ROOT, env, "profile");
  const profiling = ["--cpu-prof", `--cpu-prof-dir=${dir}`];
  const ours = await startServer(ROOT, { ...env, ...GUARDED_BENCH_ENV }, { stdout: "ignore", execArgv: BASELINE ? [] : profiling });
  const server = BASELINE ? await startBaseline(ROOT, env, profiling) : ours;
  try {
    const { userId, token } = await createMember(ours.base, tenant.tenant_api_key);
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const opts =
      KIND === "REST"
        ? { url: `${server.base}/v1/users/${userId}/health-profile`, method: "GET", headers }
        : { url: `${server.base}/graphql`, method: "POST", headers, body: JSON.stringify({ query: HEALTH_PROFILE_QUERY, variables: { userId } }) };
    await autocannon({ ...opts, connections: 10, duration: 2 });
    const from = Number(process.hrtime.bigint() / 1000n);
    const r = await autocannon({ ...opts, connections: 10, duration: DURATION });
    const to = Number(process.hrtime.bigint() / 1000n);
    if (r.non2xx) throw new Error(`${r.non2xx} non-2xx responses`);
    await stopServer(server.child);
    const file = fs.readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
    if (!file) throw new Error("no profile written");
    summarise(path.join(dir, file), r.requests.total, from, to);
    if (process.env.BENCH_PROFILE_OUT) fs.copyFileSync(path.join(dir, file), process.env.BENCH_PROFILE_OUT);
  } finally {
    await Promise.all([stopServer(server.child), stopServer(ours.child)]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
