import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import path from "node:path";
import { AsyncJob } from "../../entities/async-jobs/async-job.entity";
import { Org } from "../../entities/partners/org.entity";
import { User } from "../../entities/users/user.entity";
import { emitEvent } from "../../resolvers/event-stream";
import { JOBS_CHANNEL, type JobNotice } from "../../resolvers/event-stream/live";
import { startHarness, testDatabaseUrl, TEST_MASTER_KEY, waitFor, type Harness, type TestMember, type TestTenant } from "../helpers/harness";
import { subscribe } from "../helpers/ws-client";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ runWorkers: true });
  h.app.jobRegistry.register("test.sub-echo", async (job) => ({ echoed: job.params.n }));
});
afterAll(() => h.stop());

const EVENTS = "subscription($types: [String!]) { events(types: $types) { eventId eventType userId body } }";
const NUDGES = "subscription($userId: UUID) { nudgeCreated(userId: $userId) { eventId userId triggerName targetType targetId } }";

/**
 * graphql-ws has no subscribe acknowledgement: trigger warm-up events until every subscription
 * has seen one, then forget them.
 */
async function primed(subs: ReturnType<typeof subscribe>[], trigger: () => Promise<string>): Promise<Set<string>> {
  const warm = new Set<string>();
  await Promise.all(subs.map((s) => s.ready()));
  await waitFor(
    async () => {
      warm.add(await trigger());
      return subs.every((s) => s.received.length > 0) ? true : undefined;
    },
    { intervalMs: 100 },
  );
  return warm;
}

async function nudge(t: TestTenant, m: TestMember, trigger: string) {
  const target = crypto.randomUUID();
  await h.em().transactional((em) =>
    emitEvent(em, {
      orgId: t.orgId,
      type: "coach.nudge.created",
      subjectUserId: m.userId,
      occurredAt: new Date(),
      body: { user_id: m.userId, trigger_name: trigger, delivery: "basic", target: { type: "card", id: target } },
    }),
  );
  return target;
}

describe("subscriptions over graphql-ws", () => {
  it("streams the org's events to a tenant dashboard, filtered by type, and nothing from other partners", async () => {
    const t = await h.tenant();
    const other = await h.tenant();
    const sub = subscribe(h.baseUrl, { "taih-tenant-key": t.key }, EVENTS, { types: ["user.deleted"] });
    const warm = await primed([sub], async () => {
      const w = await t.member();
      await h.req("DELETE", `/v1/users/${w.userId}`, { token: w.token });
      return w.userId;
    });
    const theirs = await other.member();
    await h.req("DELETE", `/v1/users/${theirs.userId}`, { token: theirs.token });
    const mine = await t.member();
    await nudge(t, mine, "morning_report");
    await h.req("DELETE", `/v1/users/${mine.userId}`, { token: mine.token });
    const got = await sub.until((all) => all.find((r) => r.data.events.userId === mine.userId));
    expect(got.data.events).toMatchObject({ eventType: "user.deleted", body: { user_id: mine.userId } });
    expect(sub.received.map((r) => r.data.events.userId).filter((id) => !warm.has(id))).toEqual([mine.userId]);
    await sub.close();
  });

  it("gives a member only their own nudges, and refuses the org-wide feed", async () => {
    const t = await h.tenant();
    const a = await t.member();
    const b = await t.member();
    const subA = subscribe(h.baseUrl, { authorization: `Bearer ${a.token}` }, NUDGES);
    const dash = subscribe(h.baseUrl, { "taih-tenant-key": t.key }, NUDGES);
    const warm = await primed([subA, dash], () => nudge(t, a, "warm_up"));
    await nudge(t, b, "step_trend");
    const targetA = await nudge(t, a, "bedtime_drift");
    const got = await subA.until((all) => all.find((r) => r.data.nudgeCreated.targetId === targetA));
    expect(got.data.nudgeCreated).toMatchObject({ userId: a.userId, triggerName: "bedtime_drift", targetType: "card" });
    expect(subA.received.every((r) => r.data.nudgeCreated.userId === a.userId)).toBe(true);
    const real = (all: any[]) => all.filter((r) => !warm.has(r.data.nudgeCreated.targetId));
    const seen = await dash.until((all) => (real(all).length >= 2 ? real(all) : undefined));
    expect(seen.map((r) => r.data.nudgeCreated.userId).sort()).toEqual([a.userId, b.userId].sort());
    const denied = subscribe(h.baseUrl, { authorization: `Bearer ${a.token}` }, EVENTS);
    expect((await denied.until((all) => all[0]?.errors))[0].extensions.code).toBe("forbidden");
    const peek = subscribe(h.baseUrl, { authorization: `Bearer ${a.token}` }, NUDGES, { userId: b.userId });
    expect((await peek.until((all) => all[0]?.errors))[0].extensions.code).toBe("not_found");
    await Promise.all([subA.close(), dash.close(), denied.close(), peek.close()]);
  });

  it("follows one job through running to completed", async () => {
    const t = await h.tenant();
    const m = await t.member();
    const em = h.em();
    const user = await em.findOneOrFail(User, { partnerUserId: m.userId, org: t.orgId });
    // The job's row first (so it can be followed) and its queue message only once the
    // subscription is live: what AsyncJobsService.start writes in one transaction, in two steps.
    const job = em.create(AsyncJob, { org: em.getReference(Org, t.orgId), user, type: "test.sub-echo", params: { n: 7 } });
    await em.flush();
    const jobId = job.id;
    const sub = subscribe(h.baseUrl, { authorization: `Bearer ${m.token}` }, "subscription($id: UUID!) { jobUpdated(jobId: $id) { jobId status result } }", {
      id: jobId,
    });
    // Live once it has seen a notice for this job (warm-ups say `accepted`, which the runner never sends).
    const warmUp: JobNotice = { job_id: jobId, org_id: t.orgId, user_id: m.userId, status: "accepted", result: null };
    await primed([sub], async () => {
      await h.em().execute("select pg_notify(?, ?)", [JOBS_CHANNEL, JSON.stringify(warmUp)]);
      return jobId;
    });
    await h.app.deps.jobs.enqueue(jobId);
    const updates = await sub.until((all) => {
      const real = all.filter((r) => r.data?.jobUpdated.status !== "accepted");
      return real.length >= 2 ? real : undefined;
    });
    expect(updates).toEqual([
      { data: { jobUpdated: { jobId, status: "running", result: null } } },
      { data: { jobUpdated: { jobId, status: "completed", result: { echoed: 7 } } } },
    ]);
    expect(sub.errors).toEqual([]);
    const other = await t.member();
    const denied = subscribe(h.baseUrl, { authorization: `Bearer ${other.token}` }, "subscription($id: UUID!) { jobUpdated(jobId: $id) { status } }", { id: jobId });
    expect((await denied.until((all) => all[0]?.errors))[0].extensions.code).toBe("not_found");
    await Promise.all([sub.close(), denied.close()]);
  });
});

describe("fan-out across server processes", () => {
  let child: ChildProcess;
  let childUrl: string;
  let output = "";

  beforeAll(async () => {
    const port = 20000 + Math.floor(Math.random() * 20000);
    childUrl = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, [path.resolve(__dirname, "../../scripts/ts-run.js"), "server/main.ts"], {
      cwd: path.resolve(__dirname, "../.."),
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: testDatabaseUrl(),
        MASTER_KEY: TEST_MASTER_KEY.toString("base64"),
        PORT: String(port),
        LOG_LEVEL: "warn",
        RUN_WORKERS: "false",
        EVENT_DISPATCH: "false",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    await waitFor(async () => ((await fetch(`${childUrl}/readyz`).catch(() => null))?.status === 200 ? true : undefined), { timeoutMs: 60_000, intervalMs: 100 });
  }, 90_000);

  afterAll(async () => {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    }
  });

  it("delivers to a subscriber on one process what another process committed", async () => {
    const t = await h.tenant();
    const sub = subscribe(h.baseUrl, { "taih-tenant-key": t.key }, EVENTS, { types: ["user.deleted"] });
    await sub.ready();
    const userId = crypto.randomUUID();
    const headers = { "taih-tenant-key": t.key, "content-type": "application/json" };
    expect((await fetch(`${childUrl}/v1/users`, { method: "POST", headers, body: JSON.stringify({ user_id: userId }) })).status).toBe(201);
    const tok = await (await fetch(`${childUrl}/v1/auth/token`, { method: "POST", headers, body: JSON.stringify({ user_id: userId }) })).json();
    const del = await fetch(`${childUrl}/v1/users/${userId}`, { method: "DELETE", headers: { authorization: `Bearer ${(tok as any).data.access_token}` } });
    expect(del.status).toBe(204);
    const got = await sub.until((all) => all.find((r) => r.data.events.userId === userId));
    expect(got.data.events.eventType).toBe("user.deleted");
    await sub.close();
  }, 30_000);
});
