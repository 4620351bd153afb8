import { ineligibleSql } from "../../resolvers/onboarding";
import { expectError, startHarness, type Harness, type TestMember, type TestTenant } from "../helpers/harness";

// A fixed clock in the future (tokens stay valid): 03:30 UTC on 2030-06-15 is still 2030-06-14 in Los Angeles.
const T0 = Date.parse("2030-06-15T03:30:00Z");
const started = Date.now();
let h: Harness;
beforeAll(async () => (h = await startHarness({ now: () => new Date(T0 + (Date.now() - started)) })));
afterAll(() => h.stop());

const path = (m: TestMember, rest = "") => `/v1/users/${m.userId}/onboarding${rest}`;
const get = (m: TestMember) => h.req("GET", path(m), { token: m.token });
const complete = (m: TestMember, task: string) => h.req("POST", path(m, `/tasks/${task}/complete`), { token: m.token });
const skip = (m: TestMember, task: string) => h.req("POST", path(m, `/tasks/${task}/skip`), { token: m.token });
const statuses = (body: any) => Object.fromEntries(body.data.tasks.map((t: any) => [t.task_id, t.status]));

async function member(profile?: Record<string, unknown>): Promise<{ t: TestTenant; m: TestMember }> {
  const t = await h.tenant();
  return { t, m: await t.member(profile) };
}

describe("GET /v1/users/{user_id}/onboarding", () => {
  it("starts with every task pending, in the documented shape", async () => {
    const { m } = await member();
    const res = await get(m);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: {
        progressive_onboarding_enabled: true,
        eligible: true,
        is_complete: false,
        completed_count: 0,
        total_count: 5,
        tasks: [
          { task_id: "complete_profile", title: "Complete your profile", status: "pending" },
          { task_id: "connect_device", title: "Connect a device", status: "pending" },
          { task_id: "enable_notifications", title: "Turn on notifications", status: "pending" },
          { task_id: "first_check_in", title: "Complete your first daily check-in", status: "pending" },
          { task_id: "review_program", title: "Review your program", status: "pending" },
        ],
      },
    });
  });

  it("completes the data-driven tasks from the member's own data", async () => {
    const { m } = await member();
    await h.req("PATCH", `/v1/users/${m.userId}`, { token: m.token, body: { timezone: "Europe/Paris" } });
    expect(statuses((await get(m)).body).complete_profile).toBe("pending");
    await h.req("PATCH", `/v1/users/${m.userId}`, { token: m.token, body: { birthday: "1990-01-01" } });
    expect(statuses((await get(m)).body).complete_profile).toBe("completed");

    const reg = await h.req("POST", `/v1/users/${m.userId}/devices/actions/register`, { token: m.token, body: { platform: "apple_health_kit" } });
    expect(reg.status).toBe(200);
    expect(statuses((await get(m)).body).connect_device).toBe("completed");

    await h.req("PATCH", `/v1/users/${m.userId}/notifications/state`, { token: m.token, body: { backend_notifications_enabled: true } });
    expect(statuses((await get(m)).body).enable_notifications).toBe("completed");

    expect((await h.req("POST", `/v1/users/${m.userId}/daily-check-ins`, { token: m.token, body: {} })).status).toBe(201);
    const res = await get(m);
    expect(statuses(res.body)).toEqual({
      complete_profile: "completed",
      connect_device: "completed",
      enable_notifications: "completed",
      first_check_in: "completed",
      review_program: "pending",
    });
    expect(res.body.data).toMatchObject({ is_complete: false, completed_count: 4, total_count: 5 });

    // Turning notifications back off reopens that task.
    await h.req("PATCH", `/v1/users/${m.userId}/notifications/state`, { token: m.token, body: { backend_notifications_enabled: false } });
    expect(statuses((await get(m)).body).enable_notifications).toBe("pending");
  });
});

describe("onboarding task writes", () => {
  it("completes a task with 200 and the updated onboarding, idempotently", async () => {
    const { m } = await member();
    const res = await complete(m, "review_program");
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ completed_count: 1, total_count: 5, is_complete: false });
    expect(statuses(res.body).review_program).toBe("completed");
    const again = await complete(m, "review_program");
    expect(again.status).toBe(200);
    expect(again.body).toEqual(res.body);
    expect((await get(m)).body).toEqual(res.body);
  });

  it("skips tasks; onboarding is complete when nothing is pending; a skip never undoes a completion", async () => {
    const { m } = await member();
    await complete(m, "review_program");
    const skipped = await skip(m, "review_program");
    expect(skipped.status).toBe(200);
    expect(statuses(skipped.body).review_program).toBe("completed");

    for (const task of ["complete_profile", "connect_device", "enable_notifications"]) expect((await skip(m, task)).status).toBe(200);
    const last = await skip(m, "first_check_in");
    expect(last.body.data).toMatchObject({ is_complete: true, completed_count: 1, total_count: 5 });
    expect(statuses(last.body)).toEqual({
      complete_profile: "skipped",
      connect_device: "skipped",
      enable_notifications: "skipped",
      first_check_in: "skipped",
      review_program: "completed",
    });

    // Completing a skipped task, or doing what it asks, turns it completed.
    expect(statuses((await complete(m, "complete_profile")).body).complete_profile).toBe("completed");
    await h.req("POST", `/v1/users/${m.userId}/daily-check-ins`, { token: m.token, body: {} });
    const after = await get(m);
    expect(statuses(after.body).first_check_in).toBe("completed");
    expect(after.body.data).toMatchObject({ is_complete: true, completed_count: 3 });
  });

  it("returns 404 for an unknown task and records nothing", async () => {
    const { m } = await member();
    expectError(await complete(m, "walk_the_dog"), 404, "not_found");
    expectError(await skip(m, "walk_the_dog"), 404, "not_found");
    const rows = await h
      .em()
      .getConnection()
      .execute<{ n: string }[]>("select count(*) as n from onboarding_tasks o join users u on u.id = o.user_id where u.partner_user_id = ?", [m.userId]);
    expect(Number(rows[0].n)).toBe(0);
  });

  it("returns 404 for another member's or another partner's onboarding", async () => {
    const { t, m: a } = await member();
    const b = await t.member();
    const { m: c } = await member();
    for (const other of [b, c]) {
      expectError(await h.req("GET", path(a), { token: other.token }), 404, "not_found");
      expectError(await h.req("POST", path(a, "/tasks/review_program/complete"), { token: other.token }), 404, "not_found");
      expectError(await h.req("POST", path(a, "/tasks/review_program/skip"), { token: other.token }), 404, "not_found");
    }
    expect(statuses((await get(a)).body).review_program).toBe("pending");
  });
});

describe("eligibility", () => {
  it("is false only for members under 18 on their local today", async () => {
    // 18 today in UTC, but still the day before the birthday in Los Angeles.
    const { m: laMinor } = await member({ timezone: "America/Los_Angeles", birthday: "2012-06-15" });
    const { m: utcAdult } = await member({ birthday: "2012-06-15" });
    const { m: laAdult } = await member({ timezone: "America/Los_Angeles", birthday: "2012-06-14" });
    const { m: unknown } = await member({ timezone: "America/Los_Angeles" });
    expect((await get(laMinor)).body.data.eligible).toBe(false);
    expect((await get(utcAdult)).body.data.eligible).toBe(true);
    expect((await get(laAdult)).body.data.eligible).toBe(true);
    expect((await get(unknown)).body.data.eligible).toBe(true);

    // The nudge sweep's SQL fragment agrees at the same instant.
    const rows = await h
      .em()
      .getConnection()
      .execute<{ partner_user_id: string; ineligible: boolean }[]>(
        `select u.partner_user_id, ${ineligibleSql("u", "?::timestamptz")} as ineligible from users u where u.partner_user_id in (?, ?, ?, ?)`,
        [new Date(T0).toISOString(), laMinor.userId, utcAdult.userId, laAdult.userId, unknown.userId],
      );
    expect(Object.fromEntries(rows.map((r) => [r.partner_user_id, r.ineligible]))).toEqual({
      [laMinor.userId]: true,
      [utcAdult.userId]: false,
      [laAdult.userId]: false,
      [unknown.userId]: false,
    });
  });

  it("evaluates the SQL fragment at now() by default", async () => {
    const tenYearsAgo = new Date(Date.now() - 10 * 365 * 86_400_000).toISOString().slice(0, 10);
    const { m: child } = await member({ birthday: tenYearsAgo });
    const { m: adult } = await member({ timezone: "Asia/Tokyo", birthday: "1980-03-01" });
    const rows = await h
      .em()
      .getConnection()
      .execute<{ partner_user_id: string; ineligible: boolean }[]>(
        `select u.partner_user_id, ${ineligibleSql("u")} as ineligible from users u where u.partner_user_id in (?, ?)`,
        [child.userId, adult.userId],
      );
    expect(Object.fromEntries(rows.map((r) => [r.partner_user_id, r.ineligible]))).toEqual({ [child.userId]: true, [adult.userId]: false });
  });
});

describe("GraphQL", () => {
  it("reads the checklist and writes tasks", async () => {
    const { m } = await member();
    const done = await h.gql(
      'mutation($u: UUID!) { completeOnboardingTask(userId: $u, taskId: "review_program") { completedCount tasks { taskId status } } }',
      { u: m.userId },
      { token: m.token },
    );
    expect(done.body.data.completeOnboardingTask.completedCount).toBe(1);
    const skipped = await h.gql(
      'mutation($u: UUID!) { skipOnboardingTask(userId: $u, taskId: "connect_device") { tasks { taskId status } } }',
      { u: m.userId },
      { token: m.token },
    );
    expect(skipped.body.data.skipOnboardingTask.tasks).toContainEqual({ taskId: "connect_device", status: "skipped" });
    const got = await h.gql(
      "query($u: UUID!) { onboarding(userId: $u) { progressiveOnboardingEnabled eligible isComplete totalCount } }",
      { u: m.userId },
      { token: m.token },
    );
    expect(got.body.data.onboarding).toEqual({ progressiveOnboardingEnabled: true, eligible: true, isComplete: false, totalCount: 5 });
    const unknown = await h.gql('mutation($u: UUID!) { skipOnboardingTask(userId: $u, taskId: "nope") { isComplete } }', { u: m.userId }, { token: m.token });
    expect(unknown.body.errors[0].extensions.code).toBe("not_found");
  });
});
