import crypto from "node:crypto";
import { expectError, startHarness, type Harness, type TestMember, type TestTenant } from "../helpers/harness";

// The clock runs from a fixed instant in the future (tokens stay valid): 03:30 UTC, when
// Los Angeles is still on the previous calendar day.
const T0 = Date.parse("2030-06-15T03:30:00Z");
const started = Date.now();
let h: Harness;
beforeAll(async () => (h = await startHarness({ now: () => new Date(T0 + (Date.now() - started)) })));
afterAll(() => h.stop());

const UTC_TODAY = "2030-06-15";
const LA_TODAY = "2030-06-14";

const path = (m: TestMember, rest = "") => `/v1/users/${m.userId}/daily-check-ins${rest}`;
const create = (m: TestMember, body: Record<string, unknown> = {}) => h.req("POST", path(m), { token: m.token, body });
const list = (m: TestMember, query = "") => h.req("GET", path(m, query), { token: m.token });

async function member(profile?: Record<string, unknown>): Promise<{ t: TestTenant; m: TestMember }> {
  const t = await h.tenant();
  return { t, m: await t.member(profile) };
}

async function checkInOn(m: TestMember, ...dates: string[]) {
  const out: Record<string, any> = {};
  for (const d of dates) {
    const res = await create(m, { calendar_date: d });
    expect(res.status).toBe(201);
    out[d] = res.body.data;
  }
  return out;
}

describe("POST /v1/users/{user_id}/daily-check-ins", () => {
  it("creates a check-in with the documented shape (201)", async () => {
    const { m } = await member();
    const res = await create(m, { calendar_date: "2030-06-01", mood_rating: 4, energy_level: 2, sleep_quality: 5, notes: "Slept well" });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      data: {
        check_in_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        user_id: m.userId,
        calendar_date: "2030-06-01",
        status: "completed",
        mood_rating: 4,
        energy_level: 2,
        sleep_quality: 5,
        notes: "Slept well",
        thread_id: null,
        session_id: null,
        streak_count: 1,
      },
    });
    const minimal = await create(m, { calendar_date: "2030-06-03" });
    expect(minimal.status).toBe(201);
    expect(minimal.body.data).toMatchObject({ mood_rating: null, energy_level: null, sleep_quality: null, notes: null });
  });

  it("defaults calendar_date to today in the member's time zone, not UTC's", async () => {
    const { m: la } = await member({ timezone: "America/Los_Angeles" });
    const { m: utc } = await member();
    const { m: auckland } = await member({ timezone: "Pacific/Auckland" });
    const noBody = await h.req("POST", path(la), { token: la.token });
    expect(noBody.status).toBe(201);
    expect(noBody.body.data.calendar_date).toBe(LA_TODAY);
    expect((await create(utc)).body.data.calendar_date).toBe(UTC_TODAY);
    expect((await create(auckland)).body.data.calendar_date).toBe("2030-06-15");
    // UTC's today is still tomorrow in Los Angeles.
    const future = await create(la, { calendar_date: UTC_TODAY });
    expectError(future, 422, "validation_error");
    expect(future.body.error.details).toEqual([expect.objectContaining({ field: "calendar_date", code: "out_of_range" })]);
  });

  it("rejects invalid fields with 422 details", async () => {
    const { m } = await member();
    const cases: [Record<string, unknown>, string, string][] = [
      [{ mood_rating: 0 }, "mood_rating", "out_of_range"],
      [{ energy_level: 6 }, "energy_level", "out_of_range"],
      [{ sleep_quality: 2.5 }, "sleep_quality", "invalid_value"],
      [{ mood_rating: "3" }, "mood_rating", "invalid_value"],
      [{ notes: "x".repeat(2001) }, "notes", "too_long"],
      [{ calendar_date: "2030-6-1" }, "calendar_date", "invalid_value"],
      [{ calendar_date: "2030-02-30" }, "calendar_date", "invalid_value"],
      [{ calendar_date: "2030-06-01T00:00:00Z" }, "calendar_date", "invalid_value"],
      [{ mood: 3 }, "mood", "unknown_field"],
    ];
    for (const [body, field, code] of cases) {
      const res = await create(m, body);
      expectError(res, 422, "validation_error");
      expect(res.body.error.details).toEqual([expect.objectContaining({ field, code })]);
    }
    expect((await create(m, { notes: "x".repeat(2000), mood_rating: 1, energy_level: 5 })).status).toBe(201);
    expect((await list(m)).body.pagination.total).toBe(1);
  });

  it("allows one check-in per date: a second is 409 duplicate_check_in, also under a concurrent race", async () => {
    const { m } = await member();
    await checkInOn(m, "2030-06-10");
    expectError(await create(m, { calendar_date: "2030-06-10", mood_rating: 3 }), 409, "duplicate_check_in");
    const race = await Promise.all(Array.from({ length: 6 }, () => create(m, { calendar_date: "2030-06-11" })));
    expect(race.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    for (const r of race.filter((x) => x.status === 409)) expectError(r, 409, "duplicate_check_in");
    expect((await list(m)).body.summary.total_check_ins).toBe(2);
  });

  it("counts the streak of consecutive local dates, and a back-filled missed day joins the runs around it", async () => {
    const { m } = await member();
    const made = await checkInOn(m, "2030-06-05", "2030-06-06", "2030-06-08", "2030-06-09");
    expect(Object.values(made).map((c) => c.streak_count)).toEqual([1, 2, 1, 2]);
    const backfill = await create(m, { calendar_date: "2030-06-07" });
    expect(backfill.body.data.streak_count).toBe(3);
    const later = await h.req("GET", path(m, `/${made["2030-06-09"].check_in_id}`), { token: m.token });
    expect(later.body.data.streak_count).toBe(5);
    expect((await create(m, { calendar_date: "2030-06-10" })).body.data.streak_count).toBe(6);
    expect((await create(m, { calendar_date: "2030-06-03" })).body.data.streak_count).toBe(1);
    const page = await list(m);
    expect(page.body.data.map((c: any) => [c.calendar_date, c.streak_count])).toEqual([
      ["2030-06-10", 6],
      ["2030-06-09", 5],
      ["2030-06-08", 4],
      ["2030-06-07", 3],
      ["2030-06-06", 2],
      ["2030-06-05", 1],
      ["2030-06-03", 1],
    ]);
  });

  it("keeps streaks right when missed days are back-filled concurrently", async () => {
    const { m } = await member();
    await checkInOn(m, "2030-06-01", "2030-06-03", "2030-06-05", "2030-06-07");
    const fills = await Promise.all(["2030-06-02", "2030-06-04", "2030-06-06"].map((d) => create(m, { calendar_date: d })));
    expect(fills.map((r) => r.status)).toEqual([201, 201, 201]);
    const page = await list(m);
    expect(page.body.data.map((c: any) => c.streak_count)).toEqual([7, 6, 5, 4, 3, 2, 1]);
  });
});

describe("GET /v1/users/{user_id}/daily-check-ins", () => {
  it("lists the last 30 local days newest first, paginated, with the summary block", async () => {
    const { m } = await member();
    await checkInOn(m, "2030-05-16", "2030-05-17", "2030-06-10", "2030-06-11", "2030-06-12", "2030-06-14");
    const res = await list(m);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(["data", "pagination", "summary"]);
    // 2030-05-16 is 30 days before today: outside the default window; 2030-05-17 is its first day.
    expect(res.body.data.map((c: any) => c.calendar_date)).toEqual(["2030-06-14", "2030-06-12", "2030-06-11", "2030-06-10", "2030-05-17"]);
    expect(Object.keys(res.body.data[0]).sort()).toEqual([
      "calendar_date",
      "check_in_id",
      "energy_level",
      "mood_rating",
      "notes",
      "session_id",
      "sleep_quality",
      "status",
      "streak_count",
      "thread_id",
      "user_id",
    ]);
    expect(res.body.pagination).toEqual({ limit: 25, offset: 0, total: 5 });
    // No check-in today yet: the current streak ends yesterday.
    expect(res.body.summary).toEqual({ current_streak: 1, longest_streak: 3, total_check_ins: 5 });

    const page = await list(m, "?limit=2&offset=1");
    expect(page.body.data.map((c: any) => c.calendar_date)).toEqual(["2030-06-12", "2030-06-11"]);
    expect(page.body.pagination).toEqual({ limit: 2, offset: 1, total: 5 });
    expect(page.body.summary).toEqual(res.body.summary);

    await checkInOn(m, UTC_TODAY);
    expect((await list(m)).body.summary).toEqual({ current_streak: 2, longest_streak: 3, total_check_ins: 6 });
  });

  it("filters by an inclusive window; longest_streak and the total stay inside it, current_streak does not", async () => {
    const { m } = await member();
    await checkInOn(m, "2030-05-16", "2030-05-17", "2030-06-10", "2030-06-11", "2030-06-12", "2030-06-13", "2030-06-14");
    const res = await list(m, "?start_date=2030-05-16&end_date=2030-06-11");
    expect(res.body.data.map((c: any) => c.calendar_date)).toEqual(["2030-06-11", "2030-06-10", "2030-05-17", "2030-05-16"]);
    expect(res.body.summary).toEqual({ current_streak: 5, longest_streak: 2, total_check_ins: 4 });
    const clipped = await list(m, "?start_date=2030-06-12&end_date=2030-06-13");
    expect(clipped.body.summary).toEqual({ current_streak: 5, longest_streak: 2, total_check_ins: 2 });
    const startOnly = await list(m, "?start_date=2030-06-13");
    expect(startOnly.body.data.map((c: any) => c.calendar_date)).toEqual(["2030-06-14", "2030-06-13"]);
    const endOnly = await list(m, "?end_date=2030-06-10");
    expect(endOnly.body.data.map((c: any) => c.calendar_date)).toEqual(["2030-06-10", "2030-05-17", "2030-05-16"]);
    const empty = await list(m, "?start_date=2029-01-01&end_date=2029-01-31");
    expect(empty.body).toEqual({ data: [], pagination: { limit: 25, offset: 0, total: 0 }, summary: { current_streak: 5, longest_streak: 0, total_check_ins: 0 } });
  });

  it("uses the member's local today for the default window and the current streak", async () => {
    const { m } = await member({ timezone: "America/Los_Angeles" });
    await checkInOn(m, "2030-05-16", "2030-06-13", LA_TODAY);
    const res = await list(m);
    expect(res.body.data.map((c: any) => c.calendar_date)).toEqual([LA_TODAY, "2030-06-13", "2030-05-16"]);
    expect(res.body.summary).toEqual({ current_streak: 2, longest_streak: 2, total_check_ins: 3 });
  });

  it("lists with a constant number of SQL statements", async () => {
    const statements: string[] = [];
    const counted = await startHarness({ now: () => new Date(T0 + (Date.now() - started)), onQuery: (sql) => statements.push(sql) });
    try {
      const m = await (await counted.tenant()).member();
      const measure = async () => {
        statements.length = 0;
        const res = await counted.req("GET", `/v1/users/${m.userId}/daily-check-ins?limit=100`, { token: m.token });
        expect(res.status).toBe(200);
        return { rows: res.body.data.length, sql: statements.length };
      };
      const add = async (day: number) =>
        expect(
          (await counted.req("POST", `/v1/users/${m.userId}/daily-check-ins`, { token: m.token, body: { calendar_date: `2030-06-${String(day).padStart(2, "0")}` } }))
            .status,
        ).toBe(201);
      await add(1);
      await add(2);
      const small = await measure();
      for (let d = 3; d <= 12; d++) await add(d);
      const large = await measure();
      expect(large.rows).toBe(small.rows + 10);
      expect(large.sql).toBe(small.sql);
    } finally {
      await counted.stop();
    }
  });

  it("validates the window and pagination with 422", async () => {
    const { m } = await member();
    const cases: [string, string, string][] = [
      ["?start_date=2030-6-01", "start_date", "invalid_value"],
      ["?end_date=20300601", "end_date", "invalid_value"],
      ["?start_date=2030-06-10&end_date=2030-06-09", "end_date", "invalid_value"],
      ["?start_date=2029-06-01&end_date=2030-06-02", "end_date", "out_of_range"],
      ["?limit=101", "limit", "out_of_range"],
      ["?limit=0", "limit", "out_of_range"],
      ["?offset=-1", "offset", "out_of_range"],
    ];
    for (const [query, field, code] of cases) {
      const res = await list(m, query);
      expectError(res, 422, "validation_error");
      expect(res.body.error.details).toEqual([expect.objectContaining({ field, code })]);
    }
    expect((await list(m, "?start_date=2029-06-01&end_date=2030-06-01")).status).toBe(200);
    expectError(await list(m, "?from=2030-06-01"), 400, "invalid_request");
  });
});

describe("GET /v1/users/{user_id}/daily-check-ins/{check_in_id}", () => {
  it("returns a check-in of the last 90 local days and 404 for older ones, even though they are stored", async () => {
    const { m } = await member();
    const made = await checkInOn(m, "2030-03-16", "2030-03-17");
    const inside = await h.req("GET", path(m, `/${made["2030-03-17"].check_in_id}`), { token: m.token });
    expect(inside.status).toBe(200);
    expect(inside.body).toEqual({ data: made["2030-03-17"] });
    expectError(await h.req("GET", path(m, `/${made["2030-03-16"].check_in_id}`), { token: m.token }), 404, "not_found");
    expect((await list(m, "?start_date=2030-03-01&end_date=2030-03-31")).body.pagination.total).toBe(2);
    expectError(await h.req("GET", path(m, `/${crypto.randomUUID()}`), { token: m.token }), 404, "not_found");
    expectError(await h.req("GET", path(m, "/not-a-uuid"), { token: m.token }), 422, "validation_error");
  });
});

describe("isolation", () => {
  it("returns 404 for another member's or another partner's check-ins", async () => {
    const { t, m: a } = await member();
    const b = await t.member();
    const { m: c } = await member();
    const mine = (await create(a, { calendar_date: "2030-06-01" })).body.data;
    for (const other of [b, c]) {
      expectError(await h.req("GET", path(a), { token: other.token }), 404, "not_found");
      expectError(await h.req("POST", path(a), { token: other.token, body: {} }), 404, "not_found");
      expectError(await h.req("GET", path(a, `/${mine.check_in_id}`), { token: other.token }), 404, "not_found");
      expectError(await h.req("GET", path(other, `/${mine.check_in_id}`), { token: other.token }), 404, "not_found");
    }
    expect((await list(b)).body.pagination.total).toBe(0);
    // The same date is free for every other member.
    expect((await create(b, { calendar_date: "2030-06-01" })).status).toBe(201);
  });
});

describe("GraphQL", () => {
  it("creates and lists check-ins with the summary, with the same error codes", async () => {
    const { m } = await member();
    const mutation = `mutation($u: UUID!, $i: CreateDailyCheckInInput!) { createDailyCheckIn(userId: $u, input: $i) { userId calendarDate streakCount moodRating } }`;
    const created = await h.gql(mutation, { u: m.userId, i: { calendarDate: "2030-06-14", moodRating: 5 } }, { token: m.token });
    expect(created.body.data.createDailyCheckIn).toEqual({ userId: m.userId, calendarDate: "2030-06-14", streakCount: 1, moodRating: 5 });
    const dup = await h.gql(mutation, { u: m.userId, i: { calendarDate: "2030-06-14" } }, { token: m.token });
    expect(dup.body.errors[0].extensions.code).toBe("duplicate_check_in");
    const bad = await h.gql(mutation, { u: m.userId, i: { moodRating: 9 } }, { token: m.token });
    expect(bad.body.errors[0].extensions).toMatchObject({ code: "validation_error", details: [{ field: "moodRating", code: "out_of_range" }] });
    const q = `query($u: UUID!) { dailyCheckIns(userId: $u) { items { calendarDate } pagination { total } summary { currentStreak longestStreak totalCheckIns } } }`;
    const res = await h.gql(q, { u: m.userId }, { token: m.token });
    expect(res.body.data.dailyCheckIns).toEqual({
      items: [{ calendarDate: "2030-06-14" }],
      pagination: { total: 1 },
      summary: { currentStreak: 1, longestStreak: 1, totalCheckIns: 1 },
    });
  });

  it("documents the summary block in the OpenAPI envelope", async () => {
    const doc = (await (await fetch(`${h.baseUrl}/v1/openapi.json`)).json()) as any;
    const schema = doc.paths["/v1/users/{user_id}/daily-check-ins"].get.responses["200"].content["application/json"].schema;
    expect(schema.required).toEqual(["data", "pagination", "summary"]);
    expect(Object.keys(schema.properties.summary.properties)).toEqual(["current_streak", "longest_streak", "total_check_ins"]);
    expect(doc.paths["/v1/users/{user_id}/daily-check-ins"].post.responses["201"]).toBeDefined();
  });
});

describe("contract audit regressions", () => {
  it("rejects dates before 0001-01-01 with 422 out_of_range and clamps the default window there (was 500)", async () => {
    const { m } = await member();
    const bad = await create(m, { calendar_date: "0000-12-31" });
    expectError(bad, 422, "validation_error");
    expect(bad.body.error.details).toEqual([{ field: "calendar_date", code: "out_of_range", message: "must not be before 0001-01-01" }]);
    expect((await create(m, { calendar_date: "0001-01-01" })).status).toBe(201);
    for (const [q, field] of [
      ["?end_date=0000-01-01", "end_date"],
      ["?start_date=0000-12-31&end_date=0001-01-05", "start_date"],
    ] as const) {
      const res = await list(m, q);
      expectError(res, 422, "validation_error");
      expect(res.body.error.details).toEqual([expect.objectContaining({ field, code: "out_of_range" })]);
    }
    // The default start (29 days before end_date) would be in year 0; it stops at 0001-01-01.
    const edge = await list(m, "?end_date=0001-01-05");
    expect(edge.status).toBe(200);
    expect(edge.body.data.map((c: { calendar_date: string }) => c.calendar_date)).toEqual(["0001-01-01"]);
    expect(edge.body.summary).toEqual({ current_streak: 0, longest_streak: 1, total_check_ins: 1 });
  });

  it("rejects notes containing NUL (U+0000) with 422 invalid_value (was 500)", async () => {
    const { m } = await member();
    const res = await create(m, { notes: "ok\u0000" });
    expectError(res, 422, "validation_error");
    expect(res.body.error.details).toEqual([expect.objectContaining({ field: "notes", code: "invalid_value" })]);
    expect((await list(m)).body.summary.total_check_ins).toBe(0);
  });
});
