import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { User } from "../../entities/users/user.entity";
import { AsyncJobsService } from "../../resolvers/async-jobs";
import { createContext } from "../../resolvers/_shared/context";
import { startHarness, testDatabaseUrl, TEST_MASTER_KEY, waitFor, type Harness } from "../helpers/harness";

/** `npm run worker` as its own process: it consumes the shared queue that the API process writes to. */
const root = path.resolve(__dirname, "../..");
let h: Harness;
let worker: ChildProcess;
let output = "";

beforeAll(async () => {
  h = await startHarness({ runWorkers: false });
  worker = spawn(process.execPath, [path.join(root, "scripts/ts-run.js"), "server/worker.ts"], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: testDatabaseUrl(),
      MASTER_KEY: TEST_MASTER_KEY.toString("base64"),
      LOG_LEVEL: "info",
      JOB_POLLING_SECONDS: "0.5",
      JOB_QUEUE: h.app.deps.config.jobQueue,
      EVENT_DISPATCH: "false",
      NUDGE_SWEEP: "false",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  worker.stdout!.on("data", (d) => (output += d));
  worker.stderr!.on("data", (d) => (output += d));
  await waitFor(async () => (output.includes("worker started") ? true : undefined), { timeoutMs: 60_000, intervalMs: 100 });
}, 90_000);

afterAll(async () => {
  if (worker.exitCode === null) {
    worker.kill("SIGTERM");
    await new Promise((r) => worker.once("exit", r));
  }
  await h.stop();
});

it("a separate worker process runs jobs the API enqueued, and exits 0 on SIGTERM", async () => {
  const t = await h.tenant();
  const m = await t.member();
  const ctx = await createContext(h.app.deps, { requestId: "worker-test", credentials: { tenantKey: t.key } });
  const user = await ctx.em.findOneOrFail(User, { partnerUserId: m.userId, org: t.orgId });
  // The standalone worker registers only the built-in handlers, so an unregistered type must end `failed`, not hang.
  const { jobId } = await new AsyncJobsService(ctx).start(user, "test.unregistered-type");
  const res = await waitFor(
    async () => {
      const r = await h.req("GET", `/v1/users/${m.userId}/jobs/${jobId}`, { token: m.token });
      return r.body.data.status === "running" ? undefined : r;
    },
    { timeoutMs: 20_000 },
  );
  expect(res.body.data).toEqual({ job_id: jobId, status: "failed", result: { error: "internal_error", reason: "No handler for this job type" } });

  worker.kill("SIGTERM");
  expect(await new Promise((r) => worker.once("exit", r))).toBe(0);
}, 60_000);
