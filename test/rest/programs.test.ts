import crypto from "node:crypto";
import { DateTime } from "luxon";
import { OrgEnvironment } from "../../entities/partners/org.entity";
import { expectError, startHarness, type Harness, type TestMember, type TestTenant } from "../helpers/harness";

// The clock runs from a fixed future instant (tokens stay valid): 10:00 UTC = 12:00 in Berlin.
const T0 = Date.parse("2030-06-15T10:00:00Z");
const started = Date.now();
const ZONE = "Europe/Berlin";
let h: Harness;
beforeAll(async () => (h = await startHarness({ now: () => new Date(T0 + (Date.now() - started)) })));
afterAll(() => h.stop());

const generate = (t: TestTenant, m: TestMember) => h.req("POST", `/v1/admin/sandbox/users/${m.userId}/program`, { key: t.key });
const getProgram = (m: TestMember) => h.req("GET", `/v1/users/${m.userId}/program`, { token: m.token });
const priorities = (m: TestMember, q = "") => h.req("GET", `/v1/users/${m.userId}/priorities${q}`, { token: m.token });
const accept = (m: TestMember, id: string, token = m.token) => h.req("POST", `/v1/users/${m.userId}/recommended-actions/${id}/accept`, { token });
const events = (m: TestMember) =>
  h
    .em()
    .getConnection()
    .execute<{ event_type: string; body: string }[]>(
      "select event_type, body from events where subject_user_id = ? and event_type = 'program.updated' order by occurred_at, created_at",
      [m.userId],
    );

/** 28 local days ending today (2030-06-15 in Berlin). */
const DAYS = Array.from({ length: 28 }, (_, i) => DateTime.fromISO("2030-05-19", { zone: ZONE }).plus({ days: i }));

/** ~4,000 steps a day, 6 h nights from 23:30 local at 80% efficiency, BMI 27.9 and gaining. */
async function seedData(m: TestMember) {
  const post = (kind: string, data: unknown[]) => h.req("POST", `/v1/users/${m.userId}/metrics/${kind}/summary`, { token: m.token, body: { data } });
  const act = await post(
    "activity",
    DAYS.map((d, i) => ({ client_id: `a${i}`, date: d.toISODate(), steps: i % 2 ? 5000 : 3000, active_minutes: 20 })),
  );
  const sleep = await post(
    "sleep",
    DAYS.map((d, i) => ({
      client_id: `s${i}`,
      start: d.minus({ days: 1 }).set({ hour: 23, minute: 30 }).toUTC().toISO({ suppressMilliseconds: true }),
      end: d.set({ hour: 5, minute: 30 }).toUTC().toISO({ suppressMilliseconds: true }),
      duration_seconds: 6 * 3600,
      efficiency: 80,
    })),
  );
  const body = await post("body", [
    { client_id: "b1", measured_at: "2030-05-20T06:00:00Z", weight_kg: 90, bmi: 27.4 },
    { client_id: "b2", measured_at: "2030-06-14T06:00:00Z", weight_kg: 91.5, bmi: 27.9 },
  ]);
  for (const r of [act, sleep, body]) {
    expect(r.status).toBe(200);
    expect(r.body.data.every((x: { status: string }) => x.status === "accepted")).toBe(true);
  }
}

const PROGRAM_KEYS = ["active", "analysis_insight", "created_at", "description", "focus_categories", "goals", "name", "program_id"];

describe("programs: sandbox generation", () => {
  it("plans from the member's real data: ranked focus categories, goals with targets, priorities and recommendations", async () => {
    const t = await h.tenant();
    const m = await t.member({ timezone: ZONE });
    await seedData(m);
    const res = await generate(t, m);
    expect(res.status).toBe(201);
    const p = res.body.data;
    expect(Object.keys(p).sort()).toEqual([...PROGRAM_KEYS, "recommended_actions"].sort());
    expect(p).toMatchObject({ program_id: expect.any(String), active: true, created_at: expect.stringMatching(/^2030-06-15T10:\d{2}:\d{2}Z$/) });
    expect(p.focus_categories.map((f: { program_category: { category_id: string }; rank: number }) => [f.rank, f.program_category.category_id])).toEqual([
      [1, "sleep"],
      [2, "activity"],
      [3, "body"],
    ]);
    for (const f of p.focus_categories) {
      expect(Object.keys(f).sort()).toEqual(["id", "objectives", "program_category", "rank", "rationale"]);
      expect(Object.keys(f.program_category).sort()).toEqual(["category_id", "description", "domain_id", "id", "name"]);
    }
    expect(p.focus_categories[1].rationale).toContain("4,000 steps a day over 28 days");
    expect(p.analysis_insight).toContain("averaged 4,000 steps a day");
    expect(p.analysis_insight).toContain("slept 6 hours a night (28 nights)");
    expect(p.goals).toHaveLength(6);
    for (const g of p.goals) {
      expect(Object.keys(g).sort()).toEqual(["category_id", "category_ref", "description", "domain_id", "goal_id", "phase", "phase_id", "targets"]);
      expect(Object.keys(g.phase).sort()).toEqual(["description", "id", "name", "order"]);
      expect(g.phase.id).toBe(g.phase_id);
      expect(p.focus_categories.map((f: { id: string }) => f.id)).toContain(g.category_ref);
      for (const target of g.targets) expect(Object.keys(target).sort()).toEqual(["description", "frequency", "id", "value", "vital_metric"]);
    }
    const targets = p.goals.flatMap((g: { targets: { vital_metric: string; value: number }[] }) => g.targets.map((x) => `${x.vital_metric}=${x.value}`));
    expect(targets).toEqual(expect.arrayContaining(["sleep_duration=6.5", "sleep_duration=7", "steps=4500", "steps=7000", "weight_kg=89.7", "sleep_efficiency=85"]));
    expect(p.recommended_actions).toEqual([
      {
        recommendation_id: expect.any(String),
        title: "Start your wind-down routine",
        description: expect.stringContaining("23:30"),
        category: "sleep",
        local_time: "23:00",
      },
      { recommendation_id: expect.any(String), title: "Take a 15-minute walk", description: expect.any(String), category: "activity", local_time: "12:30" },
      { recommendation_id: expect.any(String), title: "Morning weigh-in", description: expect.any(String), category: "body", local_time: "07:30" },
    ]);

    const got = await getProgram(m);
    expect(got.status).toBe(200);
    const { recommended_actions: _omit, ...program } = p;
    expect(got.body).toEqual({ data: program });

    const pr = await priorities(m);
    expect(pr.body.pagination).toBeUndefined();
    expect(pr.body.data.map((x: { rank: number; domains: string[]; target: string; status: string }) => [x.rank, x.domains, x.target, x.status])).toEqual([
      [1, ["sleep"], "7 hours of sleep a night", "active"],
      [2, ["activity"], "7,000 steps a day", "active"],
      [3, ["body"], "89.7 kg", "active"],
    ]);
    expect(Object.keys(pr.body.data[0]).sort()).toEqual(["created_at", "description", "domains", "rank", "status", "target", "title", "updated_at", "user_priority_id"]);

    const ev = await events(m);
    expect(ev.map((e) => JSON.parse(e.body))).toEqual([{ user_id: m.userId, program_id: p.program_id, reason: "program_generated" }]);
  });

  it("is deterministic and replaces the active program: old priorities outdated, unaccepted recommendations removed", async () => {
    const t = await h.tenant();
    const m = await t.member({ timezone: ZONE });
    await seedData(m);
    const first = (await generate(t, m)).body.data;
    const kept = first.recommended_actions[1].recommendation_id;
    expect((await accept(m, kept)).status).toBe(201);
    const second = (await generate(t, m)).body.data;
    const strip = (p: any) => ({
      ...p,
      program_id: undefined,
      created_at: undefined,
      recommended_actions: p.recommended_actions.map((r: any) => ({ ...r, recommendation_id: undefined })),
    });
    expect(second.program_id).not.toBe(first.program_id);
    expect(strip(second)).toEqual(strip(first));
    expect((await getProgram(m)).body.data.program_id).toBe(second.program_id);
    const inactive = await h.em().getConnection().execute<{ active: boolean }[]>("select active from programs where id = ?", [first.program_id]);
    expect(inactive).toEqual([{ active: false }]);

    expect((await priorities(m, "?status=outdated")).body.data.map((x: { rank: number }) => x.rank)).toEqual([1, 2, 3]);
    expect((await priorities(m)).body.data).toHaveLength(3);
    expectError(await accept(m, first.recommended_actions[0].recommendation_id), 404, "not_found");
    expectError(await accept(m, kept), 409, "conflict");
    expect((await events(m)).map((e) => JSON.parse(e.body).reason)).toEqual(["program_generated", "recommendation_accepted", "program_generated"]);
  });

  it("builds a starter program when there is no data yet", async () => {
    const t = await h.tenant();
    const m = await t.member();
    const res = await generate(t, m);
    expect(res.status).toBe(201);
    expect(res.body.data.analysis_insight).toMatch(/no device or check-in data/);
    expect(res.body.data.focus_categories.length).toBeGreaterThanOrEqual(2);
    expect(res.body.data.focus_categories.length).toBeLessThanOrEqual(3);
    expect(res.body.data.recommended_actions).toHaveLength(3);
    expect((await priorities(m)).body.data).toHaveLength(3);
  });

  it("is forbidden for production orgs, tenant-only, and 404 for another org's member", async () => {
    const prod = await h.tenant(OrgEnvironment.production);
    const pm = await prod.member();
    const forbidden = await generate(prod, pm);
    expectError(forbidden, 403, "forbidden");
    expect(forbidden.body.error.message).toMatch(/sandbox orgs only/);
    expectError(await getProgram(pm), 404, "not_found");

    const t = await h.tenant();
    const other = await (await h.tenant()).member();
    expectError(await generate(t, other), 404, "not_found");
    const m = await t.member();
    expectError(await h.req("POST", `/v1/admin/sandbox/users/${m.userId}/program`, { token: m.token }), 401, "unauthorized");
    const viaGql = await h.gql("mutation($u: UUID!) { generateSandboxProgram(userId: $u) { programId } }", { u: m.userId }, { token: m.token });
    expect(viaGql.body.errors[0].extensions.code).toBe("forbidden");
    expect(await events(other)).toEqual([]);
  });
});

describe("programs: reads and acceptance", () => {
  it("returns 404 without a program and an empty priority list", async () => {
    const m = await (await h.tenant()).member();
    const res = await getProgram(m);
    expectError(res, 404, "not_found");
    expect((await priorities(m)).body).toEqual({ data: [] });
    for (const s of ["dismissed", "completed", "outdated"]) expect((await priorities(m, `?status=${s}`)).body).toEqual({ data: [] });
    const bad = await priorities(m, "?status=done");
    expectError(bad, 422, "validation_error");
    expect(bad.body.error.details[0]).toMatchObject({ field: "status", code: "invalid_value" });
  });

  it("accepting creates a focus action at the next local time; a repeat is 409", async () => {
    const t = await h.tenant();
    const m = await t.member({ timezone: ZONE });
    await seedData(m);
    const recs = (await generate(t, m)).body.data.recommended_actions;
    const expected: Record<string, string> = {
      // 23:00 Berlin today; 12:30 today (it is 12:00 now); 07:30 tomorrow.
      sleep: "2030-06-15T21:00:00Z",
      activity: "2030-06-15T10:30:00Z",
      body: "2030-06-16T05:30:00Z",
    };
    for (const rec of recs) {
      const res = await accept(m, rec.recommendation_id);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        data: { recommendation_id: rec.recommendation_id, focus_action_id: expect.any(String), accepted_at: expect.stringMatching(/^2030-06-15T10:\d{2}:\d{2}Z$/) },
      });
      const action = await h.req("GET", `/v1/users/${m.userId}/health-actions/${res.body.data.focus_action_id}`, { token: m.token });
      expect(action.body.data).toMatchObject({
        title: rec.title,
        description: rec.description,
        status: "pending",
        source: "program",
        scheduled_at: expected[rec.category],
      });
      const gql = await h.gql(
        "query($u: UUID!, $a: UUID!) { healthAction(userId: $u, healthActionId: $a) { isFocus category } }",
        { u: m.userId, a: res.body.data.focus_action_id },
        { token: m.token },
      );
      expect(gql.body.data.healthAction).toEqual({ isFocus: true, category: rec.category });
      expectError(await accept(m, rec.recommendation_id), 409, "conflict");
    }
    const program = await h.gql("query($u: UUID!) { program(userId: $u) { programId recommendedActions { recommendationId } } }", { u: m.userId }, { token: m.token });
    expect(program.body.data.program.recommendedActions).toEqual([]);
    const reasons = (await events(m)).map((e) => JSON.parse(e.body));
    expect(reasons.filter((b) => b.reason === "recommendation_accepted")).toHaveLength(3);
    expect(reasons.every((b) => b.program_id === program.body.data.program.programId && b.user_id === m.userId)).toBe(true);
  });

  it("lets the member dismiss or complete a priority and take it back; outdated ones cannot change", async () => {
    const t = await h.tenant();
    const m = await t.member({ timezone: ZONE });
    await seedData(m);
    const program = (await generate(t, m)).body.data;
    const [p1, p2, p3] = (await priorities(m)).body.data as { user_priority_id: string; status: string }[];
    const patch = (id: string, body: unknown, token = m.token) => h.req("PATCH", `/v1/users/${m.userId}/priorities/${id}`, { token, body });
    expect((await patch(p1.user_priority_id, { status: "dismissed" })).status).toBe(204);
    expect((await patch(p2.user_priority_id, { status: "completed" })).status).toBe(204);
    expect((await patch(p2.user_priority_id, { status: "completed" })).status).toBe(204); // same status: no-op
    expect((await priorities(m)).body.data.map((x: { user_priority_id: string }) => x.user_priority_id)).toEqual([p3.user_priority_id]);
    expect((await priorities(m, "?status=dismissed")).body.data[0]).toMatchObject({ user_priority_id: p1.user_priority_id, status: "dismissed" });
    expect((await priorities(m, "?status=completed")).body.data[0]).toMatchObject({ user_priority_id: p2.user_priority_id, status: "completed" });
    expect((await patch(p1.user_priority_id, { status: "active" })).status).toBe(204);
    expectError(await patch(p3.user_priority_id, { status: "outdated" }), 422, "invalid_transition");
    expectError(await patch(p1.user_priority_id, { status: "paused" }), 422, "validation_error");
    expectError(await patch(p1.user_priority_id, {}), 422, "validation_error");

    // Each change told the partner's other systems through program.updated.
    const reasons = (await events(m)).map((e) => JSON.parse(e.body));
    expect(reasons.map((b) => b.reason)).toEqual(["program_generated", "priority_updated", "priority_updated", "priority_updated"]);
    expect(reasons[1]).toEqual({ user_id: m.userId, program_id: program.program_id, reason: "priority_updated" });

    // A newer program makes the old priorities outdated; those are history and cannot change.
    await generate(t, m);
    expectError(await patch(p3.user_priority_id, { status: "completed" }), 422, "invalid_transition");
    // Another member, or another partner's member, sees 404.
    const other = await t.member();
    expectError(
      await h.req("PATCH", `/v1/users/${other.userId}/priorities/${p1.user_priority_id}`, { token: other.token, body: { status: "dismissed" } }),
      404,
      "not_found",
    );
    expectError(await patch(p1.user_priority_id, { status: "dismissed" }, other.token), 404, "not_found");
    const gql = await h.gql(
      `mutation($u: UUID!, $p: UUID!) { updatePriority(userId: $u, userPriorityId: $p, input: { status: dismissed }) { status } }`,
      { u: m.userId, p: (await priorities(m)).body.data[0].user_priority_id },
      { token: m.token },
    );
    expect(gql.body.data.updatePriority).toEqual({ status: "dismissed" });
  });

  it("returns 404 for unknown recommendations and other members', 422 for a malformed id", async () => {
    const t = await h.tenant();
    const a = await t.member();
    const b = await t.member();
    const rec = (await generate(t, a)).body.data.recommended_actions[0].recommendation_id;
    await generate(t, b);
    expectError(await accept(a, crypto.randomUUID()), 404, "not_found");
    expectError(await accept(b, rec), 404, "not_found");
    expectError(await accept(a, rec, b.token), 404, "not_found");
    expectError(await h.req("GET", `/v1/users/${a.userId}/program`, { token: b.token }), 404, "not_found");
    expectError(await h.req("GET", `/v1/users/${a.userId}/priorities`, { token: b.token }), 404, "not_found");
    const bad = await accept(a, "not-a-uuid");
    expectError(bad, 422, "validation_error");
    expect(bad.body.error.details[0]).toMatchObject({ field: "recommendation_id" });
    expect((await accept(a, rec)).status).toBe(201);
  });

  it("serves programs, priorities and acceptance over GraphQL", async () => {
    const t = await h.tenant();
    const m = await t.member();
    const none = await h.gql("query($u: UUID!) { program(userId: $u) { programId } }", { u: m.userId }, { token: m.token });
    expect(none.body).toEqual({ data: { program: null } });
    const gen = await h.gql(
      "mutation($u: UUID!) { generateSandboxProgram(userId: $u) { programId active focusCategories { rank programCategory { categoryId } } recommendedActions { recommendationId localTime } } }",
      { u: m.userId },
      { key: t.key },
    );
    const program = gen.body.data.generateSandboxProgram;
    expect(program.active).toBe(true);
    expect(program.recommendedActions).toHaveLength(3);
    const accepted = await h.gql(
      "mutation($u: UUID!, $r: UUID!) { acceptRecommendedAction(userId: $u, recommendationId: $r) { recommendationId focusActionId acceptedAt } }",
      { u: m.userId, r: program.recommendedActions[0].recommendationId },
      { token: m.token },
    );
    expect(accepted.body.data.acceptRecommendedAction.recommendationId).toBe(program.recommendedActions[0].recommendationId);
    const read = await h.gql(
      "query($u: UUID!) { program(userId: $u) { programId recommendedActions { recommendationId } } priorities(userId: $u) { rank status } }",
      { u: m.userId },
      { token: m.token },
    );
    expect(read.body.data.program.recommendedActions.map((r: { recommendationId: string }) => r.recommendationId)).toEqual(
      program.recommendedActions.slice(1).map((r: { recommendationId: string }) => r.recommendationId),
    );
    expect(read.body.data.priorities).toEqual([
      { rank: 1, status: "active" },
      { rank: 2, status: "active" },
      { rank: 3, status: "active" },
    ]);
  });
});

describe("contract audit regressions", () => {
  it("describes the priorities status filter and its default in the OpenAPI document", async () => {
    const doc = (await h.req("GET", "/v1/openapi.json")).body;
    const param = doc.paths["/v1/users/{user_id}/priorities"].get.parameters.find((p: { name?: string }) => p.name === "status");
    expect(param).toMatchObject({
      in: "query",
      required: false,
      description: expect.any(String),
      schema: { default: "active", enum: ["active", "dismissed", "completed", "outdated"] },
    });
  });
});
