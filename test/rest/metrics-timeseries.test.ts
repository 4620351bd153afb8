import { findTimeseriesSample } from "../../resolvers/metrics";
import { ROLLUP_SQL, readStatement, rollupParams, type ReadQuery } from "../../resolvers/metrics/timeseries.sql";
import { expectError, startHarness, type Harness, type TestMember } from "../helpers/harness";

let h: Harness;
beforeAll(async () => (h = await startHarness()));
afterAll(() => h.stop());

const T0 = Date.parse("2026-03-16T08:00:00Z");
/** `2026-03-16T08:00:00Z` + minutes (+ seconds), as the wire writes instants. */
const at = (minutes: number, seconds = 0) => new Date(T0 + minutes * 60_000 + seconds * 1000).toISOString().replace(".000Z", "Z");
const hr = (minutes: number, value: number, extra: Record<string, unknown> = {}) => ({ timestamp: at(minutes), value, unit: "bpm", ...extra });

const path = (m: TestMember, metric: string) => `/v1/users/${m.userId}/metrics/${metric}/timeseries`;
const ingest = (m: TestMember, metric: string, data: unknown[]) => h.req("POST", path(m, metric), { token: m.token, body: { data } });
const read = (m: TestMember, metric: string, query: Record<string, string | number>) =>
  h.req("GET", `${path(m, metric)}?${new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString()}`, { token: m.token });
const window = (fromMin: number, toMin: number) => ({ start_time: at(fromMin), end_time: at(toMin) });

const sql = async <T = Record<string, unknown>>(text: string, params: unknown[] = []) => h.em().getConnection().execute<T[]>(text, params);
const rowsOf = (m: TestMember, metric: string) =>
  sql<{ ts: string; value: number; provider: string; client_id: string | null }>(
    `select s.ts, s.value, s.provider, s.client_id from timeseries_samples s join users u on u.id = s.user_id
      where u.partner_user_id = ? and s.metric = ? order by s.ts`,
    [m.userId, metric],
  );
const internalId = async (m: TestMember) => (await sql<{ id: string }>("select id from users where partner_user_id = ?", [m.userId]))[0].id;
/**
 * Stores samples as another provider would (device sync), bypassing the partner ingest. Like every
 * writer of timeseries_samples, it then recomputes the hourly rollup of the hours it touched.
 */
const deviceSamples = async (m: TestMember, metric: string, provider: string, samples: [minutes: number, value: number][]) => {
  await sql(
    `insert into timeseries_samples (id, user_id, metric, ts, value, unit, provider, created_at, updated_at)
     select gen_random_uuid(), u.id, ?, x.ts, x.value, ?, ?, now(), now()
       from users u, json_to_recordset(?::json) as x(ts timestamptz, value float8) where u.partner_user_id = ?`,
    [metric, metric === "steps" ? "count" : "bpm", provider, JSON.stringify(samples.map(([min, value]) => ({ ts: at(min), value }))), m.userId],
  );
  const hours = samples.map(([min]) => Math.floor((T0 + min * 60_000) / 3_600_000) * 3600);
  await sql(ROLLUP_SQL, rollupParams(await internalId(m), metric, provider, hours));
};

async function member() {
  const t = await h.tenant();
  return { t, m: await t.member({ timezone: "America/Los_Angeles" }) };
}

describe("POST /v1/users/{user_id}/metrics/{metric}/timeseries", () => {
  it("stores a batch with counts and stamps the partner's provider on every sample", async () => {
    const { t, m } = await member();
    const res = await ingest(m, "heart_rate", [hr(0, 61), hr(1, 62, { client_id: "hr-1", device: "Watch 9", source: "healthkit" }), hr(2, 63)]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { accepted: 3, updated: 0, duplicate: 0, rejected: [] } });
    const [org] = await sql<{ key: string }>("select key from orgs where id = ?", [t.orgId]);
    const rows = await sql<{ provider: string; device: string | null; source: string | null; client_id: string | null; unit: string }>(
      `select provider, device, source, client_id, unit from timeseries_samples s join users u on u.id = s.user_id
        where u.partner_user_id = ? order by ts`,
      [m.userId],
    );
    expect(rows).toEqual([
      { provider: `partner:${org.key}`, device: null, source: null, client_id: null, unit: "bpm" },
      { provider: `partner:${org.key}`, device: "Watch 9", source: "healthkit", client_id: "hr-1", unit: "bpm" },
      { provider: `partner:${org.key}`, device: null, source: null, client_id: null, unit: "bpm" },
    ]);
  });

  it("reports a replayed batch as duplicates and stores nothing twice", async () => {
    const { m } = await member();
    const batch = [hr(0, 70, { client_id: "a" }), hr(5, 71, { client_id: "b" }), hr(10, 72)];
    await ingest(m, "heart_rate", batch);
    const replay = await ingest(m, "heart_rate", batch);
    expect(replay.body.data).toEqual({ accepted: 0, updated: 0, duplicate: 3, rejected: [] });
    expect(await rowsOf(m, "heart_rate")).toHaveLength(3);
  });

  it("updates a revised sample in place: same instant, or same client_id with a corrected timestamp", async () => {
    const { m } = await member();
    await ingest(m, "heart_rate", [hr(0, 70), hr(5, 71, { client_id: "late" })]);
    const revised = await ingest(m, "heart_rate", [hr(0, 75), hr(7, 71, { client_id: "late" }), hr(9, 80)]);
    expect(revised.body.data).toEqual({ accepted: 1, updated: 2, duplicate: 0, rejected: [] });
    const rows = await rowsOf(m, "heart_rate");
    expect(rows.map((r) => [new Date(r.ts).toISOString(), r.value, r.client_id])).toEqual([
      [new Date(at(0)).toISOString(), 75, null],
      [new Date(at(7)).toISOString(), 71, "late"],
      [new Date(at(9)).toISOString(), 80, null],
    ]);
  });

  it("keeps the last sample for an instant within one batch (sub-second times collapse to the second)", async () => {
    const { m } = await member();
    const res = await ingest(m, "heart_rate", [hr(0, 60), { timestamp: "2026-03-16T08:00:00.700Z", value: 64, unit: "bpm" }, hr(1, 65)]);
    expect(res.body.data).toEqual({ accepted: 2, updated: 0, duplicate: 1, rejected: [] });
    expect((await rowsOf(m, "heart_rate")).map((r) => r.value)).toEqual([64, 65]);
  });

  it("rejects bad samples one by one with their index, client_id and field details; the rest are stored", async () => {
    const { m } = await member();
    const res = await ingest(m, "heart_rate", [
      hr(0, 60, { client_id: "ok" }),
      hr(1, 500, { client_id: "too-high" }),
      { timestamp: "2026-02-30T08:00:00Z", value: 60, unit: "bpm" },
      { timestamp: at(3), value: "60", unit: "bpm", valu: 1 },
      null,
      { client_id: "bare" },
      hr(6, 61),
    ]);
    expect(res.status).toBe(200);
    const error = (details: unknown[]) => ({ code: "validation_error", message: "The sample has invalid fields", details });
    expect(res.body.data).toEqual({
      accepted: 2,
      updated: 0,
      duplicate: 0,
      rejected: [
        { index: 1, client_id: "too-high", error: error([{ field: "data.1.value", code: "out_of_range", message: "must be between 20 and 300 bpm" }]) },
        { index: 2, client_id: null, error: error([{ field: "data.2.timestamp", code: "invalid_value", message: expect.stringContaining("ISO-8601") }]) },
        {
          index: 3,
          client_id: null,
          error: error([
            { field: "data.3.valu", code: "unknown_field", message: "is not a recognised field" },
            { field: "data.3.value", code: "invalid_value", message: "must be a number" },
          ]),
        },
        { index: 4, client_id: null, error: error([{ field: "data.4", code: "required", message: "must be an object" }]) },
        {
          index: 5,
          client_id: "bare",
          error: error([
            { field: "data.5.timestamp", code: "required", message: "is required" },
            { field: "data.5.unit", code: "required", message: "is required" },
            { field: "data.5.value", code: "required", message: "is required" },
          ]),
        },
      ],
    });
    expect((await rowsOf(m, "heart_rate")).map((r) => r.value)).toEqual([60, 61]);
  });

  it("rejects a unit that is not the metric's and converts glucose mmol/L to mg/dL", async () => {
    const { m } = await member();
    const hrRes = await ingest(m, "heart_rate", [{ timestamp: at(0), value: 60, unit: "ms" }]);
    expect(hrRes.body.data.rejected).toEqual([
      {
        index: 0,
        client_id: null,
        error: expect.objectContaining({ details: [{ field: "data.0.unit", code: "invalid_value", message: "must be bpm for heart_rate" }] }),
      },
    ]);
    const glucose = await ingest(m, "glucose", [
      { timestamp: at(0), value: 5.5, unit: "mmol/L" },
      { timestamp: at(1), value: 101, unit: "mg/dL" },
    ]);
    expect(glucose.body.data.accepted).toBe(2);
    const raw = await read(m, "glucose", window(0, 60));
    expect(raw.body.data.map((r: { value: number; unit: string }) => [r.value, r.unit])).toEqual([
      [99.088, "mg/dL"],
      [101, "mg/dL"],
    ]);
    const steps = await ingest(m, "steps", [{ timestamp: at(0), value: 10.5, unit: "count" }]);
    expect(steps.body.data.rejected[0].error.details).toEqual([{ field: "data.0.value", code: "invalid_value", message: "must be an integer" }]);
  });

  it("returns 413 payload_too_large above 5000 samples and stores none of them", async () => {
    const { m } = await member();
    const res = await ingest(
      m,
      "heart_rate",
      Array.from({ length: 5001 }, (_, i) => ({ timestamp: at(0, i), value: 60, unit: "bpm" })),
    );
    expectError(res, 413, "payload_too_large");
    expect(res.body.error.message).toBe("At most 5000 samples per request");
    expect(await rowsOf(m, "heart_rate")).toHaveLength(0);
  });

  it("returns 404 for a metric that is not in the catalog, on both routes", async () => {
    const { m } = await member();
    expectError(await ingest(m, "ecg", [hr(0, 60)]), 404, "not_found");
    expectError(await read(m, "ecg", window(0, 60)), 404, "not_found");
  });

  it("stores and reads blood pressure as systolic/diastolic", async () => {
    const { m } = await member();
    const bp = (min: number, systolic: number, diastolic: number) => ({ timestamp: at(min), systolic, diastolic, unit: "mmHg" });
    const res = await ingest(m, "blood_pressure", [bp(0, 120, 80), bp(10, 130, 84), { timestamp: at(20), value: 120, unit: "mmHg" }, bp(30, 80, 90)]);
    expect(res.body.data.accepted).toBe(2);
    expect(
      res.body.data.rejected.map((r: { index: number; error: { details: { field: string; code: string }[] } }) => [
        r.index,
        r.error.details.map((d) => `${d.field}:${d.code}`),
      ]),
    ).toEqual([
      [2, ["data.2.value:unknown_field", "data.2.systolic:required", "data.2.diastolic:required"]],
      [3, ["data.3.diastolic:invalid_value"]],
    ]);
    expect((await read(m, "blood_pressure", window(0, 60))).body).toEqual({
      data: [
        { start: at(0), end: at(0), systolic: 120, diastolic: 80, unit: "mmHg" },
        { start: at(10), end: at(10), systolic: 130, diastolic: 84, unit: "mmHg" },
      ],
    });
    expect((await read(m, "blood_pressure", { ...window(0, 60), granularity: "one_hour" })).body).toEqual({
      data: [{ start: at(0), end: at(60), systolic: 125, diastolic: 82, unit: "mmHg" }],
    });
  });
});

describe("GET /v1/users/{user_id}/metrics/{metric}/timeseries", () => {
  it("returns raw samples in [start_time, end_time) ordered by time, with start = end and limit/offset", async () => {
    const { m } = await member();
    await ingest(m, "heart_rate", [hr(30, 90), hr(0, 60), hr(10, 70), hr(20, 80)]);
    expect((await read(m, "heart_rate", window(0, 30))).body).toEqual({
      data: [
        { start: at(0), end: at(0), value: 60, unit: "bpm" },
        { start: at(10), end: at(10), value: 70, unit: "bpm" },
        { start: at(20), end: at(20), value: 80, unit: "bpm" },
      ],
    });
    const page = await read(m, "heart_rate", { ...window(0, 60), granularity: "raw", limit: 2, offset: 1 });
    expect(page.body.data.map((r: { value: number }) => r.value)).toEqual([70, 80]);
  });

  it("buckets by five_minute and one_hour from start_time: mean for heart_rate, sum for steps, end clipped to end_time", async () => {
    const { m } = await member();
    await ingest(m, "heart_rate", [hr(0, 60), hr(1, 70), hr(4, 80), hr(5, 100), hr(61, 50)]);
    await ingest(
      m,
      "steps",
      [0, 1, 4, 5, 61].map((min, i) => ({ timestamp: at(min), value: (i + 1) * 100, unit: "count" })),
    );
    expect((await read(m, "heart_rate", { ...window(0, 90), granularity: "five_minute" })).body.data).toEqual([
      { start: at(0), end: at(5), value: 70, unit: "bpm" },
      { start: at(5), end: at(10), value: 100, unit: "bpm" },
      { start: at(60), end: at(65), value: 50, unit: "bpm" },
    ]);
    expect((await read(m, "steps", { ...window(0, 90), granularity: "one_hour" })).body.data).toEqual([
      { start: at(0), end: at(60), value: 1000, unit: "count" },
      { start: at(60), end: at(90), value: 500, unit: "count" },
    ]);
    // Buckets start at start_time, not at clock boundaries.
    expect((await read(m, "steps", { ...window(1, 90), granularity: "fifteen_minute" })).body.data).toEqual([
      { start: at(1), end: at(16), value: 900, unit: "count" },
      { start: at(61), end: at(76), value: 500, unit: "count" },
    ]);
    const avg = await ingest(m, "heart_rate", [hr(120, 70), hr(121, 71), hr(122, 71)]);
    expect(avg.body.data.accepted).toBe(3);
    expect((await read(m, "heart_rate", { ...window(120, 130), granularity: "five_minute" })).body.data[0].value).toBe(70.67);
  });

  it("never adds two providers together: each bucket uses the highest-priority provider with data in it", async () => {
    const { m } = await member();
    await ingest(m, "steps", [
      { timestamp: at(0), value: 100, unit: "count" },
      { timestamp: at(1), value: 50, unit: "count" },
    ]);
    // The same walk also synced from a phone (lower priority), plus an hour only the phone saw.
    await deviceSamples(m, "steps", "apple_health", [
      [0, 120],
      [1, 60],
      [2, 40],
      [70, 300],
    ]);
    const hourly = await read(m, "steps", { ...window(0, 120), granularity: "one_hour" });
    expect(hourly.body.data).toEqual([
      { start: at(0), end: at(60), value: 150, unit: "count" },
      { start: at(60), end: at(120), value: 300, unit: "count" },
    ]);
    // Raw: one provider per minute slot.
    expect((await read(m, "steps", window(0, 120))).body.data.map((r: { start: string; value: number }) => [r.start, r.value])).toEqual([
      [at(0), 100],
      [at(1), 50],
      [at(2), 40],
      [at(70), 300],
    ]);
  });

  it("filters by provider; provider=partner is the partner's own ingest", async () => {
    const { m } = await member();
    await ingest(m, "heart_rate", [hr(0, 60)]);
    await deviceSamples(m, "heart_rate", "oura", [
      [0, 58],
      [1, 59],
    ]);
    expect((await read(m, "heart_rate", { ...window(0, 60), provider: "oura" })).body.data.map((r: { value: number }) => r.value)).toEqual([58, 59]);
    expect((await read(m, "heart_rate", { ...window(0, 60), provider: "partner" })).body.data.map((r: { value: number }) => r.value)).toEqual([60]);
    expect((await read(m, "heart_rate", { ...window(0, 60), provider: "oura", granularity: "one_hour" })).body.data).toEqual([
      { start: at(0), end: at(60), value: 58.5, unit: "bpm" },
    ]);
    expect((await read(m, "heart_rate", { ...window(0, 60), provider: "fitbit" })).body).toEqual({ data: [] });
  });

  it("validates the window and paging: required start_time, end after start, at most 366 days, limit ≤ 1000", async () => {
    const { m } = await member();
    const missing = await h.req("GET", `${path(m, "heart_rate")}?end_time=${at(60)}`, { token: m.token });
    expectError(missing, 422, "validation_error");
    expect(missing.body.error.details).toEqual([{ field: "start_time", code: "required", message: "is required" }]);
    const backwards = await read(m, "heart_rate", window(60, 0));
    expectError(backwards, 422, "validation_error");
    expect(backwards.body.error.details).toEqual([{ field: "end_time", code: "invalid_value", message: "must be after start_time" }]);
    const long = await read(m, "heart_rate", { start_time: "2025-01-01T00:00:00Z", end_time: "2026-01-03T00:00:00Z" });
    expect(long.body.error.details).toEqual([{ field: "end_time", code: "out_of_range", message: "must be within 366 days of start_time" }]);
    expect((await read(m, "heart_rate", { ...window(0, 60), limit: 1001 })).body.error.details[0]).toMatchObject({ field: "limit", code: "out_of_range" });
    expect((await read(m, "heart_rate", { ...window(0, 60), granularity: "daily" })).body.error.details[0]).toMatchObject({
      field: "granularity",
      code: "invalid_value",
    });
    expect((await read(m, "heart_rate", { start_time: "yesterday", end_time: at(60) })).status).toBe(422);
  });

  it("returns 404 for another member's or another partner's timeseries, on both routes", async () => {
    const { t, m: a } = await member();
    const b = await t.member();
    const other = (await member()).m;
    await ingest(b, "heart_rate", [hr(0, 60)]);
    for (const target of [b, other]) {
      expectError(await h.req("GET", `${path(target, "heart_rate")}?start_time=${at(0)}&end_time=${at(60)}`, { token: a.token }), 404, "not_found");
      expectError(await h.req("POST", path(target, "heart_rate"), { token: a.token, body: { data: [hr(1, 60)] } }), 404, "not_found");
    }
    expect(await rowsOf(b, "heart_rate")).toHaveLength(1);
  });
});

describe("hourly rollup", () => {
  /** A member's rollup rows must always equal the same figures aggregated from the samples. */
  const expectExact = async (m: TestMember) => {
    const rollup = await sql(
      `select h.metric, h.hour, h.provider, h.sample_count, h.value_sum, h.systolic_sum, h.diastolic_sum from timeseries_hourly h join users u on u.id = h.user_id
        where u.partner_user_id = ? order by 1, 2, 3`,
      [m.userId],
    );
    const samples = await sql(
      `select s.metric, date_bin('1 hour', s.ts, timestamptz 'epoch') as hour, s.provider, count(*)::int as sample_count,
              sum(s.value) as value_sum, sum(s.systolic) as systolic_sum, sum(s.diastolic) as diastolic_sum
         from timeseries_samples s join users u on u.id = s.user_id where u.partner_user_id = ? group by 1, 2, 3 order by 1, 2, 3`,
      [m.userId],
    );
    expect(rollup).toEqual(samples);
    return rollup;
  };
  /** The service's one_hour statement (rollup where it applies) and the same read aggregated from the samples. */
  const bothStatements = async (m: TestMember, metric: string, fromMin: number, toMin: number, provider: string | null = null) => {
    const q: ReadQuery = {
      userId: await internalId(m),
      metric,
      shape: metric === "blood_pressure" ? "blood_pressure" : "scalar",
      start: new Date(at(fromMin)),
      end: new Date(at(toMin)),
      bucket: "1 hour",
      aggregate: metric === "steps" ? "sum" : "avg",
      provider,
      priority: ["partner", "apple_health", "oura"],
      limit: 1000,
      offset: 0,
    };
    const run = async (x: ReadQuery) => {
      const { sql: text, params } = readStatement(x);
      return (await sql<Record<string, unknown>>(text, params)).map((r) => ({ ...r, start: new Date(r.start as string).toISOString() }));
    };
    return { rollup: await run(q), samples: await run({ ...q, samplesOnly: true }) };
  };
  const hourly = async (m: TestMember, metric: string, fromMin: number, toMin: number, extra: Record<string, string> = {}) =>
    (await read(m, metric, { ...window(fromMin, toMin), granularity: "one_hour", ...extra })).body.data;

  it("reads one_hour with an hour-aligned start from the rollup only, and any other start from the samples", async () => {
    const q: ReadQuery = {
      userId: "u",
      metric: "heart_rate",
      shape: "scalar",
      start: new Date(at(0)),
      end: new Date(at(120)),
      bucket: "1 hour",
      aggregate: "avg",
      provider: null,
      priority: ["partner"],
      limit: 10,
      offset: 0,
    };
    expect(readStatement(q).sql).toContain("timeseries_hourly");
    expect(readStatement(q).sql).not.toContain("timeseries_samples");
    // A partial last hour comes from the samples; a non-aligned start or a narrower bucket never uses the rollup.
    expect(readStatement({ ...q, end: new Date(at(90)) }).sql).toMatch(/^(?=[\s\S]*timeseries_hourly)(?=[\s\S]*timeseries_samples)/);
    expect(readStatement({ ...q, start: new Date(at(1)) }).sql).not.toContain("timeseries_hourly");
    expect(readStatement({ ...q, bucket: "15 minutes" }).sql).not.toContain("timeseries_hourly");
  });

  it("keeps per-hour provider priority: the rollup read equals the samples' aggregation for two providers", async () => {
    const { m } = await member();
    await ingest(m, "heart_rate", [hr(0, 60), hr(30, 70), hr(125, 90)]);
    await deviceSamples(m, "heart_rate", "oura", [
      [5, 50],
      [65, 55],
      [70, 57],
      [130, 40],
    ]);
    await expectExact(m);
    // 08:00 both (partner wins), 09:00 only oura, 10:00 both (partner wins).
    expect(await hourly(m, "heart_rate", 0, 180)).toEqual([
      { start: at(0), end: at(60), value: 65, unit: "bpm" },
      { start: at(60), end: at(120), value: 56, unit: "bpm" },
      { start: at(120), end: at(180), value: 90, unit: "bpm" },
    ]);
    expect(await hourly(m, "heart_rate", 0, 180, { provider: "oura" })).toEqual([
      { start: at(0), end: at(60), value: 50, unit: "bpm" },
      { start: at(60), end: at(120), value: 56, unit: "bpm" },
      { start: at(120), end: at(180), value: 40, unit: "bpm" },
    ]);
    for (const provider of [null, "oura", "partner", "fitbit"]) {
      const both = await bothStatements(m, "heart_rate", 0, 180, provider);
      expect(both.rollup).toEqual(both.samples);
    }
  });

  it("follows revised values and client_ids moved to another hour, and drops hours left empty", async () => {
    const { m } = await member();
    await ingest(m, "heart_rate", [hr(0, 70), hr(5, 80), hr(10, 60, { client_id: "mv" }), hr(70, 100), hr(200, 90, { client_id: "solo" })]);
    expect((await expectExact(m)).map((r) => [new Date(r.hour as string).toISOString(), r.sample_count, r.value_sum])).toEqual([
      [new Date(at(0)).toISOString(), 3, 210],
      [new Date(at(60)).toISOString(), 1, 100],
      [new Date(at(180)).toISOString(), 1, 90],
    ]);
    // Revise 08:05, move "mv" from 08:00 to 10:10, move "solo" (alone in 11:00) into 09:00.
    const res = await ingest(m, "heart_rate", [hr(5, 90), hr(130, 60, { client_id: "mv" }), hr(75, 80, { client_id: "solo" })]);
    expect(res.body.data).toMatchObject({ accepted: 0, updated: 3 });
    const rows = await expectExact(m);
    expect(rows.map((r) => [new Date(r.hour as string).toISOString(), r.sample_count, r.value_sum])).toEqual([
      [new Date(at(0)).toISOString(), 2, 160],
      [new Date(at(60)).toISOString(), 2, 180],
      [new Date(at(120)).toISOString(), 1, 60],
    ]);
    expect(await hourly(m, "heart_rate", 0, 240)).toEqual([
      { start: at(0), end: at(60), value: 80, unit: "bpm" },
      { start: at(60), end: at(120), value: 90, unit: "bpm" },
      { start: at(120), end: at(180), value: 60, unit: "bpm" },
    ]);
    const both = await bothStatements(m, "heart_rate", 0, 240);
    expect(both.rollup).toEqual(both.samples);
    // A replay changes nothing.
    await ingest(m, "heart_rate", [hr(5, 90), hr(130, 60, { client_id: "mv" })]);
    expect(await expectExact(m)).toEqual(rows);
  });

  it("sums steps per hour and reads a partial last hour from the samples", async () => {
    const { m } = await member();
    await ingest(
      m,
      "steps",
      [0, 30, 61, 80, 95].map((min, i) => ({ timestamp: at(min), value: (i + 1) * 10, unit: "count" })),
    );
    await deviceSamples(m, "steps", "apple_health", [
      [1, 500],
      [150, 700],
    ]);
    await expectExact(m);
    // end_time 09:30: the 09:00 bucket holds only 09:01 and 09:20 (09:35 is past the end).
    expect(await hourly(m, "steps", 0, 90)).toEqual([
      { start: at(0), end: at(60), value: 30, unit: "count" },
      { start: at(60), end: at(90), value: 70, unit: "count" },
    ]);
    for (const [to, provider] of [
      [90, null],
      [180, null],
      [170, "apple_health"],
      [100, "partner"],
    ] as const) {
      const both = await bothStatements(m, "steps", 0, to, provider);
      expect(both.rollup).toEqual(both.samples);
    }
  });

  it("rolls up blood pressure as systolic and diastolic means", async () => {
    const { m } = await member();
    const bp = (min: number, systolic: number, diastolic: number, clientId?: string) => ({
      timestamp: at(min),
      systolic,
      diastolic,
      unit: "mmHg",
      ...(clientId ? { client_id: clientId } : {}),
    });
    await ingest(m, "blood_pressure", [bp(0, 120, 80), bp(20, 131, 85, "b"), bp(65, 140, 90)]);
    await ingest(m, "blood_pressure", [bp(70, 131, 85, "b")]);
    await expectExact(m);
    expect(await hourly(m, "blood_pressure", 0, 120)).toEqual([
      { start: at(0), end: at(60), systolic: 120, diastolic: 80, unit: "mmHg" },
      { start: at(60), end: at(120), systolic: 135.5, diastolic: 87.5, unit: "mmHg" },
    ]);
    const both = await bothStatements(m, "blood_pressure", 0, 100);
    expect(both.rollup).toEqual(both.samples);
  });

  it("pages the rollup read: pages concatenated equal the unpaged read and the samples' aggregation; offsets past the end are empty", async () => {
    const { m } = await member();
    // 30 hours with gaps (every third hour empty), two providers overlapping on some hours, and a partial last hour.
    const minutes = Array.from({ length: 30 * 4 }, (_, i) => i * 15).filter((min) => Math.floor(min / 60) % 3 !== 2);
    await ingest(
      m,
      "heart_rate",
      minutes.filter((min) => min % 120 < 60).map((min) => hr(min, 60 + (min % 37))),
    );
    const to = 28 * 60 + 30;
    const oura = minutes.filter((min) => min % 90 < 45).map((min): [number, number] => [min + 1, 50 + (min % 23)]);
    await deviceSamples(m, "heart_rate", "oura", [...oura, [to - 5, 55]]);
    for (const provider of [null, "oura", "partner"]) {
      const extra: Record<string, string> = provider ? { provider } : {};
      const all = await hourly(m, "heart_rate", 0, to, { ...extra, limit: "1000" });
      expect(all.length).toBeGreaterThanOrEqual(10);
      expect(all.at(-1).end).toBe(at(to));
      const both = await bothStatements(m, "heart_rate", 0, to, provider);
      expect(both.rollup).toEqual(both.samples);
      for (const limit of [1, 3, 7]) {
        const pages: unknown[] = [];
        for (let offset = 0; offset <= all.length; offset += limit) {
          pages.push(...(await hourly(m, "heart_rate", 0, to, { ...extra, limit: String(limit), offset: String(offset) })));
        }
        expect(pages).toEqual(all);
      }
      // The last page holds only the partial last hour; past the end nothing, at any distance.
      expect(await hourly(m, "heart_rate", 0, to, { ...extra, limit: "5", offset: String(all.length - 1) })).toEqual([all.at(-1)]);
      for (const offset of [all.length, all.length + 1, 100_000]) {
        expect(await hourly(m, "heart_rate", 0, to, { ...extra, limit: "5", offset: String(offset) })).toEqual([]);
      }
    }
    // The statement itself, page by page, against the samples' aggregation with the same limit and offset.
    const q: ReadQuery = {
      userId: await internalId(m),
      metric: "heart_rate",
      shape: "scalar",
      start: new Date(at(0)),
      end: new Date(at(to)),
      bucket: "1 hour",
      aggregate: "avg",
      provider: null,
      priority: ["partner", "apple_health", "oura"],
      limit: 4,
      offset: 0,
    };
    const run = async (x: ReadQuery) => {
      const { sql: text, params } = readStatement(x);
      return (await sql<Record<string, unknown>>(text, params)).map((r) => ({ ...r, start: new Date(r.start as string).toISOString() }));
    };
    for (const offset of [0, 4, 17, 19, 20, 21, 40]) {
      expect(await run({ ...q, offset })).toEqual(await run({ ...q, offset, samplesOnly: true }));
      expect(await run({ ...q, offset, end: new Date(at(24 * 60)) })).toEqual(await run({ ...q, offset, end: new Date(at(24 * 60)), samplesOnly: true }));
    }
  });

  it("stays exact under concurrent batches for the same member and hours", async () => {
    const { m } = await member();
    const batches = [0, 1, 2, 3].map((k) => Array.from({ length: 200 }, (_, i) => hr(0, 60 + k, { timestamp: at(0, i * 17 + k) })));
    const results = await Promise.all(batches.map((b) => ingest(m, "heart_rate", b)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const rows = await expectExact(m);
    expect(rows.reduce((a, r) => a + (r.sample_count as number), 0)).toBe(800);
  });

  it("purges a provider's rollup rows when the member disconnects that provider", async () => {
    const { m } = await member();
    expect((await h.req("POST", `/v1/users/${m.userId}/devices/actions/register`, { token: m.token, body: { platform: "apple_health_kit" } })).status).toBe(200);
    await ingest(m, "steps", [{ timestamp: at(70), value: 10, unit: "count" }]);
    await deviceSamples(m, "steps", "apple_health", [
      [1, 500],
      [65, 700],
    ]);
    expect(await hourly(m, "steps", 0, 120)).toEqual([
      { start: at(0), end: at(60), value: 500, unit: "count" },
      { start: at(60), end: at(120), value: 10, unit: "count" },
    ]);
    expect((await h.req("DELETE", `/v1/users/${m.userId}/devices/apple_health`, { token: m.token })).status).toBe(204);
    const rows = await expectExact(m);
    expect(rows.map((r) => r.provider)).toEqual([expect.stringMatching(/^partner:/)]);
    expect(await hourly(m, "steps", 0, 120)).toEqual([{ start: at(60), end: at(120), value: 10, unit: "count" }]);
  });
});

describe("timeseries over GraphQL", () => {
  it("serves the same operations: ingest with wire-named items, read as a union of point shapes", async () => {
    const { m } = await member();
    const ingested = await h.gql(
      `mutation($u: UUID!) { ingestTimeseries(userId: $u, metric: "heart_rate", input: { data: [{ timestamp: "${at(0)}", value: 66, unit: "bpm", client_id: "g1" }] }) { accepted updated duplicate } }`,
      { u: m.userId },
      { token: m.token },
    );
    expect(ingested.body).toEqual({ data: { ingestTimeseries: { accepted: 1, updated: 0, duplicate: 0 } } });
    const q = `query($u: UUID!, $s: DateTime!, $e: DateTime!) { timeseries(userId: $u, metric: "heart_rate", startTime: $s, endTime: $e) {
      __typename ... on TimeseriesValuePoint { start value } ... on BloodPressurePoint { systolic } } }`;
    const res = await h.gql(q, { u: m.userId, s: at(0), e: at(60) }, { token: m.token });
    expect(res.body).toEqual({ data: { timeseries: [{ __typename: "TimeseriesValuePoint", start: at(0), value: 66 }] } });
  });
});

describe("set-based ingest", () => {
  it("issues the same number of SQL statements for 100 and 2,000 samples", async () => {
    const statements: string[] = [];
    const counted = await startHarness({ onQuery: (s: string) => statements.push(s) });
    try {
      const t = await counted.tenant();
      const m = await t.member();
      const send = async (n: number, offsetMin: number) => {
        const data = Array.from({ length: n }, (_, i) => ({ timestamp: at(offsetMin, i * 5), value: 60 + (i % 30), unit: "bpm", client_id: `c-${offsetMin}-${i}` }));
        statements.length = 0;
        const res = await counted.req("POST", path(m, "heart_rate"), { token: m.token, body: { data } });
        expect(res.body.data).toMatchObject({ accepted: n, rejected: [] });
        return {
          all: statements.length,
          samples: statements.filter((s) => s.includes("timeseries_samples")).length,
          hourly: statements.filter((s) => s.includes("timeseries_hourly")).length,
        };
      };
      const small = await send(100, 0);
      const large = await send(2000, 60 * 24);
      expect(large).toEqual(small);
      // One set-based upsert writes the whole batch; one more recomputes the hours it touched in the rollup.
      expect(small).toMatchObject({ samples: 2, hourly: 1 });
    } finally {
      await counted.stop();
    }
  });

  it("lets concurrent overlapping batches all succeed without duplicating a sample", async () => {
    const { m } = await member();
    const batch = Array.from({ length: 500 }, (_, i) => ({ timestamp: at(0, i * 10), value: 60 + (i % 20), unit: "bpm", client_id: `k${i}` }));
    const results = await Promise.all([0, 1, 2, 3].map(() => ingest(m, "heart_rate", batch)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const sum = (k: string) => results.reduce((a, r) => a + (r.body.data[k] as number), 0);
    expect({ accepted: sum("accepted"), updated: sum("updated"), duplicate: sum("duplicate") }).toEqual({ accepted: 500, updated: 0, duplicate: 1500 });
    expect(await rowsOf(m, "heart_rate")).toHaveLength(500);
    // The same client_ids at different instants race on the client_id index: the loser retries and moves them.
    const moved = await Promise.all(
      [1, 2, 3, 4].map((k) =>
        ingest(
          m,
          "heart_rate",
          batch.map((b, i) => ({ ...b, timestamp: at(k * 100, i * 10) })),
        ),
      ),
    );
    expect(moved.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(moved.reduce((a, r) => a + r.body.data.updated + r.body.data.accepted, 0)).toBe(2000);
    const rows = await rowsOf(m, "heart_rate");
    expect(rows).toHaveLength(500);
    expect(new Set(rows.map((r) => r.client_id)).size).toBe(500);
  });

  it("finds one stored sample by sample_id or client_id for the measurements deep link", async () => {
    const { m } = await member();
    await ingest(m, "heart_rate", [hr(0, 60, { client_id: "deep-1" }), hr(1, 61)]);
    const [user] = await sql<{ id: string }>("select id from users where partner_user_id = ?", [m.userId]);
    const byClient = await findTimeseriesSample(h.em(), user.id, "heart_rate", "deep-1");
    expect(byClient).toMatchObject({ metric: "heart_rate", value: 60, clientId: "deep-1" });
    expect(await findTimeseriesSample(h.em(), user.id, null, byClient!.id)).toMatchObject({ id: byClient!.id });
    expect(await findTimeseriesSample(h.em(), user.id, "steps", "deep-1")).toBeNull();
    const other = (await member()).m;
    const [otherUser] = await sql<{ id: string }>("select id from users where partner_user_id = ?", [other.userId]);
    expect(await findTimeseriesSample(h.em(), otherUser.id, null, byClient!.id)).toBeNull();
  });

  it("purges a member's samples with the member", async () => {
    const { m } = await member();
    await ingest(m, "heart_rate", [hr(0, 60)]);
    const [{ id }] = (await sql<{ id: string }>("select id from users where partner_user_id = ?", [m.userId])) as [{ id: string }];
    expect((await h.req("DELETE", `/v1/users/${m.userId}`, { token: m.token })).status).toBe(204);
    expect(await sql("select 1 from timeseries_samples where user_id = ?", [id])).toHaveLength(0);
  });
});
