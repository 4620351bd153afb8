import crypto from "node:crypto";
import { EventRecord } from "../../entities/event-stream/event.entity";
import { expectError, startHarness, type Harness, type TestMember, type TestTenant } from "../helpers/harness";

let h: Harness;
beforeAll(async () => (h = await startHarness()));
afterAll(() => h.stop());

const post = (m: TestMember, kind: string, data: unknown[], extra: Record<string, unknown> = {}) =>
  h.req("POST", `/v1/users/${m.userId}/metrics/${kind}/summary`, { token: m.token, body: { data, ...extra } });
const get = (m: TestMember, kind: string, q: string) => h.req("GET", `/v1/users/${m.userId}/metrics/${kind}/summary?${q}`, { token: m.token });
const cid = () => crypto.randomUUID();
const sql = (q: string, p: unknown[] = []) => h.em().getConnection().execute<Record<string, any>[]>(q, p);

async function memberIn(zone: string): Promise<[TestTenant, TestMember]> {
  const t = await h.tenant();
  return [t, await t.member({ timezone: zone })];
}

describe("summary ingestion", () => {
  it("accepts, reports duplicates on replay, and applies revisions without a second row", async () => {
    const [, m] = await memberIn("Europe/Paris");
    const item = { client_id: "act-1", date: "2026-05-04", steps: 8000, calories: 2100.5, distance_meters: 6200, active_minutes: 45 };
    const first = await post(m, "activity", [item]);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ data: [{ client_id: "act-1", status: "accepted", sample_id: expect.any(String), error: null }] });
    const sampleId = first.body.data[0].sample_id;
    expect((await post(m, "activity", [item])).body.data[0]).toMatchObject({ status: "duplicate", sample_id: sampleId });
    expect((await post(m, "activity", [{ ...item, steps: 9100 }])).body.data[0]).toMatchObject({ status: "accepted", sample_id: sampleId });
    // A new client_id for the same local day is the day's revised total from the same source.
    expect((await post(m, "activity", [{ ...item, client_id: "act-1b", steps: 9500 }])).body.data[0]).toMatchObject({ status: "accepted", sample_id: sampleId });
    const read = await get(m, "activity", "start_date=2026-05-04&end_date=2026-05-04");
    expect(read.body).toEqual({
      data: [
        {
          date: "2026-05-04",
          sample_id: sampleId,
          client_id: "act-1b",
          provider: expect.stringMatching(/^partner:/),
          steps: 9500,
          calories: 2100.5,
          distance_meters: 6200,
          active_minutes: 45,
        },
      ],
      pagination: { limit: 25, offset: 0, total: 1 },
    });
  });

  it("rejects bad items one by one and stores the rest", async () => {
    const [, m] = await memberIn("UTC");
    const res = await post(m, "workouts", [
      { client_id: "w-ok", start: "2026-05-04T10:00:00Z", end: "2026-05-04T11:00:00Z", activity_type: "run", calories: 500 },
      { client_id: "w-bad", start: "2026-05-04T10:00:00Z", end: "2026-05-04T09:00:00Z", activity_type: "run", avg_heart_rate: 999 },
      { start: "2026-05-04T10:00:00Z", end: "2026-05-04T11:00:00Z", activity_type: "swim", colour: "blue" },
    ]);
    expect(res.status).toBe(200);
    expect(res.body.data.map((r: any) => r.status)).toEqual(["accepted", "rejected", "rejected"]);
    expect(res.body.data[1].error).toMatchObject({ code: "validation_error", details: [{ field: "avg_heart_rate", code: "out_of_range" }] });
    const fields = res.body.data[2].error.details.map((d: any) => `${d.field}:${d.code}`).sort();
    expect(fields).toEqual(["client_id:required", "colour:unknown_field"]);
  });

  it("refuses more than 500 items with 413", async () => {
    const [, m] = await memberIn("UTC");
    const items = Array.from({ length: 501 }, (_, i) => ({ client_id: `b${i}`, measured_at: "2026-05-04T08:00:00Z", weight_kg: 70 }));
    const res = await post(m, "body", items);
    expectError(res, 413, "payload_too_large");
    expect(res.body.error.message).toMatch(/500/);
  });

  it("keeps members apart", async () => {
    const t = await h.tenant();
    const a = await t.member();
    const b = await t.member();
    expectError(await h.req("POST", `/v1/users/${b.userId}/metrics/activity/summary`, { token: a.token, body: { data: [] } }), 404, "not_found");
    expectError(await h.req("GET", `/v1/users/${b.userId}/metrics/activity/summary?start_date=2026-01-01&end_date=2026-01-02`, { token: a.token }), 404, "not_found");
  });
});

describe("local day", () => {
  it("keeps an 11 pm Pacific workout on its own date and dates a night by the wake-up day", async () => {
    const [, m] = await memberIn("America/Los_Angeles");
    await post(m, "workouts", [{ client_id: cid(), start: "2026-07-11T06:00:00Z", end: "2026-07-11T06:45:00Z", activity_type: "run" }]); // 23:00 PDT Jul 10
    await post(m, "sleep", [{ client_id: cid(), start: "2026-07-11T06:30:00Z", end: "2026-07-11T14:00:00Z", duration_seconds: 27000 }]); // 23:30 → 07:00 PDT
    expect((await get(m, "workouts", "start_date=2026-07-10&end_date=2026-07-11")).body.data.map((r: any) => r.date)).toEqual(["2026-07-10"]);
    expect((await get(m, "sleep", "start_date=2026-07-10&end_date=2026-07-11")).body.data.map((r: any) => r.date)).toEqual(["2026-07-11"]);
  });

  it("assigns days correctly across both DST transitions", async () => {
    const [, m] = await memberIn("America/Los_Angeles");
    const body = (at: string) => ({ client_id: cid(), measured_at: at, weight_kg: 70 });
    await post(m, "body", [
      body("2026-03-08T07:59:00Z"), // 23:59 PST, Mar 7 (DST starts Mar 8 02:00)
      body("2026-03-08T10:30:00Z"), // 03:30 PDT, Mar 8
      body("2026-11-01T06:30:00Z"), // 23:30 PDT, Oct 31 (DST ends Nov 1 02:00)
      body("2026-11-01T09:30:00Z"), // 01:30 PST (the second 01:30), Nov 1
    ]);
    const march = await get(m, "body", "start_date=2026-03-07&end_date=2026-03-08");
    expect(march.body.data.map((r: any) => r.date)).toEqual(["2026-03-07", "2026-03-08"]);
    const nov = await get(m, "body", "start_date=2026-10-31&end_date=2026-11-01");
    expect(nov.body.data.map((r: any) => r.date)).toEqual(["2026-10-31", "2026-11-01"]);
  });

  it("validates the date window strictly and inclusively", async () => {
    const [, m] = await memberIn("UTC");
    expectError(await get(m, "activity", "end_date=2026-01-02"), 422, "validation_error");
    const bad = await get(m, "activity", "start_date=2026-1-1&end_date=2026-01-02");
    expect(bad.body.error.details[0]).toMatchObject({ field: "start_date", code: "invalid_value" });
    const reversed = await get(m, "activity", "start_date=2026-01-03&end_date=2026-01-02");
    expect(reversed.body.error.details[0]).toMatchObject({ field: "end_date", code: "invalid_value" });
    expectError(await get(m, "activity", "start_date=2025-01-01&end_date=2026-01-03"), 422, "validation_error");
  });
});

describe("one source per local day", () => {
  it("never adds two sources up: the configured priority picks the day's winner", async () => {
    const [t, m] = await memberIn("UTC");
    await post(m, "activity", [{ client_id: "p1", date: "2026-06-01", steps: 5000 }]);
    const [user] = await sql("select u.id from users u where u.partner_user_id = ? and u.org_id = ?", [m.userId, t.orgId]);
    for (const [date, steps] of [
      ["2026-06-01", 7000],
      ["2026-06-02", 6000],
    ] as const) {
      await sql(
        "insert into activity_summaries (id, user_id, provider, date, steps, is_backfill, created_at, updated_at) values (gen_random_uuid(), ?, 'fitbit', ?, ?, false, now(), now())",
        [user.id, date, steps],
      );
    }
    const read = await get(m, "activity", "start_date=2026-06-01&end_date=2026-06-02");
    expect(read.body.data.map((r: any) => [r.date, r.steps, r.provider.split(":")[0]])).toEqual([
      ["2026-06-01", 5000, "partner"],
      ["2026-06-02", 6000, "fitbit"],
    ]);

    const fitbitFirst = await startHarness({ env: { METRIC_SOURCE_PRIORITY: "fitbit,partner" } });
    try {
      const r = await fitbitFirst.req("GET", `/v1/users/${m.userId}/metrics/activity/summary?start_date=2026-06-01&end_date=2026-06-02`, { token: m.token });
      expect(r.body.data.map((x: any) => x.steps)).toEqual([7000, 6000]);
    } finally {
      await fitbitFirst.stop();
    }
  });
});

describe("sleep stages", () => {
  it("joins stage segments to the nightly summary by sample_id and rejects segments outside the night", async () => {
    const [, m] = await memberIn("Asia/Tokyo");
    const night = {
      client_id: "n1",
      start: "2026-04-01T14:00:00Z",
      end: "2026-04-01T21:00:00Z",
      duration_seconds: 25200,
      efficiency: 91.5,
      stage_intervals: [
        { stage: "light", start: "2026-04-01T14:00:00Z", end: "2026-04-01T16:00:00Z" },
        { stage: "deep", start: "2026-04-01T16:00:00Z", end: "2026-04-01T18:00:00Z" },
        { stage: "rem", start: "2026-04-01T18:00:00Z", end: "2026-04-01T21:00:00Z" },
      ],
    };
    const res = await post(m, "sleep", [
      night,
      { ...night, client_id: "n2", stage_intervals: [{ stage: "deep", start: "2026-04-01T13:00:00Z", end: "2026-04-01T15:00:00Z" }] },
    ]);
    expect(res.body.data.map((r: any) => r.status)).toEqual(["accepted", "rejected"]);
    const stream = await h.req("GET", `/v1/users/${m.userId}/metrics/sleep/stream?start_date=2026-04-02&end_date=2026-04-02`, { token: m.token });
    expect(stream.body.data).toEqual(
      night.stage_intervals.map((s) => ({ sample_id: res.body.data[0].sample_id, date: "2026-04-02", stage: s.stage, start: s.start, end: s.end })),
    );
    // Changed stages alone make a revision.
    const revised = await post(m, "sleep", [
      { ...night, stage_intervals: night.stage_intervals.slice(0, 2).map((s, i) => (i === 1 ? { ...s, end: "2026-04-01T21:00:00Z" } : s)) },
    ]);
    expect(revised.body.data[0].status).toBe("accepted");
    const after = await h.req("GET", `/v1/users/${m.userId}/metrics/sleep/stream?start_date=2026-04-02&end_date=2026-04-02`, { token: m.token });
    expect(after.body.data.map((s: any) => s.stage)).toEqual(["light", "deep"]);
  });
});

describe("device.data.daily events", () => {
  it("emits one per changed local day, none for duplicates or backfill", async () => {
    const [t, m] = await memberIn("UTC");
    const day = (d: string, n: number) => ({ client_id: `${d}-${n}`, date: d, steps: n });
    await post(m, "activity", [day("2026-02-01", 1), day("2026-02-02", 2)]);
    await post(m, "activity", [day("2026-02-01", 1)]); // duplicate
    await post(m, "activity", [day("2026-02-03", 3)], { is_backfill: true });
    const events = await h.em().find(EventRecord, { org: t.orgId, eventType: "device.data.daily" });
    expect(events.map((e) => JSON.parse(e.body).date).sort()).toEqual(["2026-02-01", "2026-02-02"]);
    expect(JSON.parse(events[0].body)).toMatchObject({ user_id: m.userId, resources: ["activity"], provider: expect.stringMatching(/^partner:/) });
  });
});

describe("measurement deep link", () => {
  it("finds one sample by sample_id or client_id, and 404s across members and for unknown metrics", async () => {
    const t = await h.tenant();
    const a = await t.member();
    const b = await t.member();
    const res = await post(a, "body", [{ client_id: "scale-42", measured_at: "2026-05-04T07:00:00Z", weight_kg: 71.2, bmi: 22.9 }]);
    const sampleId = res.body.data[0].sample_id;
    const expected = {
      date: "2026-05-04",
      sample_id: sampleId,
      client_id: "scale-42",
      provider: expect.stringMatching(/^partner:/),
      measured_at: "2026-05-04T07:00:00Z",
      weight_kg: 71.2,
      body_fat_pct: null,
      bmi: 22.9,
    };
    for (const id of [sampleId, "scale-42"]) {
      const got = await h.req("GET", `/v1/users/${a.userId}/metrics/body/measurements/${id}`, { token: a.token });
      expect(got.body).toEqual({ data: expected });
    }
    expectError(await h.req("GET", `/v1/users/${a.userId}/metrics/mood/measurements/${sampleId}`, { token: a.token }), 404, "not_found");
    expectError(await h.req("GET", `/v1/users/${a.userId}/metrics/activity/measurements/${sampleId}`, { token: a.token }), 404, "not_found");
    expectError(await h.req("GET", `/v1/users/${b.userId}/metrics/body/measurements/${sampleId}`, { token: a.token }), 404, "not_found");
    expectError(await h.req("GET", `/v1/users/${b.userId}/metrics/body/measurements/${sampleId}`, { token: b.token }), 404, "not_found");
  });
});

describe("GraphQL: many members' latest summaries", () => {
  it("uses a constant number of SQL statements whatever the number of members", async () => {
    const statements: string[] = [];
    const counted = await startHarness({ onQuery: (s) => statements.push(s) });
    try {
      const t = await counted.tenant();
      const addMember = async (steps: number) => {
        const m = await t.member();
        await counted.req("POST", `/v1/users/${m.userId}/metrics/activity/summary`, {
          token: m.token,
          body: {
            data: [
              { client_id: "a", date: "2026-05-01", steps },
              { client_id: "b", date: "2026-05-02", steps: steps + 1 },
            ],
          },
        });
      };
      const measure = async () => {
        statements.length = 0;
        const res = await counted.gql("{ users(limit: 100) { items { userId latestActivitySummary { date steps } latestSleepSummary { date } } } }", {}, { key: t.key });
        expect(res.body.errors).toBeUndefined();
        return { users: res.body.data.users.items, sql: statements.length };
      };
      for (let i = 0; i < 2; i++) await addMember(1000 * (i + 1));
      const small = await measure();
      for (let i = 2; i < 12; i++) await addMember(1000 * (i + 1));
      const large = await measure();
      expect(large.users).toHaveLength(12);
      expect(large.users[0].latestActivitySummary).toEqual({ date: "2026-05-02", steps: 1001 });
      expect(large.sql).toBe(small.sql);
    } finally {
      await counted.stop();
    }
  });
});

describe("measurement deep link: timeseries", () => {
  it("finds a heart-rate sample by client_id or sample_id", async () => {
    const t = await h.tenant();
    const m = await t.member();
    const ing = await h.req("POST", `/v1/users/${m.userId}/metrics/heart_rate/timeseries`, {
      token: m.token,
      body: { data: [{ client_id: "hr-1", timestamp: "2026-05-04T07:00:00Z", value: 61, unit: "bpm" }] },
    });
    expect(ing.status).toBe(200);
    const byClient = await h.req("GET", `/v1/users/${m.userId}/metrics/heart_rate/measurements/hr-1`, { token: m.token });
    expect(byClient.body.data).toEqual({
      sample_id: expect.any(String),
      client_id: "hr-1",
      provider: expect.stringMatching(/^partner:/),
      metric: "heart_rate",
      timestamp: "2026-05-04T07:00:00Z",
      value: 61,
      systolic: null,
      diastolic: null,
      unit: "bpm",
    });
    const byId = await h.req("GET", `/v1/users/${m.userId}/metrics/heart_rate/measurements/${byClient.body.data.sample_id}`, { token: m.token });
    expect(byId.body.data.client_id).toBe("hr-1");
    expectError(await h.req("GET", `/v1/users/${m.userId}/metrics/hrv/measurements/hr-1`, { token: m.token }), 404, "not_found");
  });
});

describe("device data freshness", () => {
  it("reports per-resource freshness from the data that arrived for that provider", async () => {
    const t = await h.tenant();
    const m = await t.member();
    const today = new Date().toISOString().slice(0, 10);
    await post(m, "activity", [{ client_id: "ah-1", date: today, steps: 1234, source: "apple_health" }]);
    const status = await h.req("GET", `/v1/users/${m.userId}/devices/apple_health/status`, { token: m.token });
    expect(status.status).toBe(200);
    const fresh = status.body.data.data_freshness;
    expect(fresh.last_data_received_at).toMatch(/Z$/);
    expect(fresh.by_resource.activity).toEqual({ status: "available", last_data_at: fresh.last_data_received_at });
    expect(fresh.by_resource.sleep).toEqual({ status: "unavailable", last_data_at: null });
    const other = await h.req("GET", `/v1/users/${m.userId}/devices/fitbit/status`, { token: m.token });
    expect(other.body.data.data_freshness.by_resource.activity.status).toBe("unavailable");
  });
});
