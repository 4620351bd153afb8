import { User } from "../../entities/users/user.entity";
import { AsyncJobsService } from "../../resolvers/async-jobs";
import { DomainError } from "../../resolvers/_shared/errors";
import { createContext } from "../../resolvers/_shared/context";
import { expectError, startHarness, waitFor, type Harness, type TestMember, type TestTenant } from "../helpers/harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ runWorkers: true });
  h.app.jobRegistry
    .register("test.echo", async (job) => ({ echoed: job.params.value, for_user: job.userId !== null }))
    .register("test.refuse", async () => {
      throw new DomainError("validation_error", "The document could not be read");
    })
    .register("test.crash", async () => {
      throw new Error("boom: secret internals");
    });
});
afterAll(() => h.stop());

async function startJob(tenant: TestTenant, member: TestMember, type: string, params: Record<string, unknown> = {}) {
  const ctx = await createContext(h.app.deps, { requestId: "test", credentials: { tenantKey: tenant.key } });
  const user = await ctx.em.findOneOrFail(User, { partnerUserId: member.userId, org: tenant.orgId });
  return new AsyncJobsService(ctx).start(user, type, params);
}

const poll = (m: TestMember, jobId: string) =>
  waitFor(async () => {
    const res = await h.req("GET", `/v1/users/${m.userId}/jobs/${jobId}`, { token: m.token });
    return res.body?.data?.status === "running" ? undefined : res;
  });

describe("async jobs", () => {
  it("runs a started job on the job engine and reports completed with its result", async () => {
    const t = await h.tenant();
    const m = await t.member();
    const started = await startJob(t, m, "test.echo", { value: 42 });
    expect(started.status).toBe("accepted");
    const done = await poll(m, started.jobId);
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ data: { job_id: started.jobId, status: "completed", result: { echoed: 42, for_user: true } } });
  });

  it("reports failed with error and reason, never internals", async () => {
    const t = await h.tenant();
    const m = await t.member();
    const refused = await poll(m, (await startJob(t, m, "test.refuse")).jobId);
    expect(refused.body.data).toMatchObject({ status: "failed", result: { error: "validation_error", reason: "The document could not be read" } });
    const crashed = await poll(m, (await startJob(t, m, "test.crash")).jobId);
    expect(crashed.body.data).toMatchObject({ status: "failed", result: { error: "internal_error" } });
    expect(crashed.text).not.toContain("boom");
  });

  it("returns 404 for an unknown job and for another member's job", async () => {
    const t = await h.tenant();
    const a = await t.member();
    const b = await t.member();
    const job = await startJob(t, a, "test.echo", { value: 1 });
    expectError(await h.req("GET", `/v1/users/${b.userId}/jobs/${job.jobId}`, { token: b.token }), 404, "not_found");
    expectError(await h.req("GET", `/v1/users/${a.userId}/jobs/${b.userId}`, { token: a.token }), 404, "not_found");
  });

  it("is purged with the member", async () => {
    const t = await h.tenant();
    const m = await t.member();
    const job = await startJob(t, m, "test.echo", { value: 1 });
    await poll(m, job.jobId);
    await h.req("DELETE", `/v1/users/${m.userId}`, { token: m.token });
    const left = await h.em().getConnection().execute("select id from async_jobs where id = ?", [job.jobId]);
    expect(left).toHaveLength(0);
  });
});
