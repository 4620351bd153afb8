import { DateTime } from "luxon";
import { EventRecord } from "../../entities/event-stream/event.entity";
import { startFakeProviderApi, type FakeAccount, type FakeProviderApi } from "../helpers/fake-provider-api";
import { startHarness, waitFor, type Harness, type TestMember } from "../helpers/harness";

/**
 * Real data sync from Oura (API v2) and Fitbit (Web API) against a loopback fake of both APIs:
 * links are made through the real OAuth callback (the fake is also the authorization server),
 * the backfill and refresh jobs run on the real job engine, and the member's data is read back
 * through the public REST reads.
 */
const ZONE = "America/Los_Angeles";
const PARTNER_REDIRECT = "com.partner.app://devices/linked";

let h: Harness;
let fake: FakeProviderApi;
let accountSeq = 0;

beforeAll(async () => {
  fake = await startFakeProviderApi({ pageSize: 2 });
  const endpoints = { authorizationUrl: `${fake.baseUrl}/oauth/authorize`, tokenUrl: `${fake.baseUrl}/oauth/token`, apiBaseUrl: fake.baseUrl };
  h = await startHarness({
    runWorkers: true,
    env: {
      OAUTH_CALLBACK_URL: "https://api.thrive.test/v1/devices/oauth/callback",
      OAUTH_PROVIDERS_JSON: JSON.stringify({
        oura: { ...endpoints, clientId: "oura-client", clientSecret: "oura-secret", tokenAuthMethod: "client_secret_post" },
        fitbit: { ...endpoints, clientId: "fitbit-client", clientSecret: "fitbit-secret", tokenAuthMethod: "client_secret_basic" },
      }),
    },
  });
});
afterAll(async () => {
  await h?.stop();
  await fake?.stop();
});

const today = () => DateTime.now().setZone(ZONE).startOf("day");
/** The member's local date `n` days ago. */
const day = (n: number) => today().minus({ days: n }).toISODate()!;
/** An instant at local wall time `hhmm` on the local date `n` days ago, ISO with its offset (Oura style). */
const at = (n: number, hhmm: string) => DateTime.fromISO(`${day(n)}T${hhmm}`, { zone: ZONE });

function ouraAccount(steps = [8000, 9000, 10000]): FakeAccount {
  return {
    oura: {
      daily_activity: steps.map((s, i) => ({
        id: `act-${i + 1}`,
        day: day(i + 1),
        steps: s,
        total_calories: 2400 + i,
        active_calories: 500,
        equivalent_walking_distance: 6100 + i,
        high_activity_time: 1200,
        medium_activity_time: 1500,
        low_activity_time: 9000,
      })),
      sleep: [
        {
          id: "sleep-a",
          day: day(1),
          type: "long_sleep",
          bedtime_start: at(2, "23:10").toISO(),
          bedtime_end: at(1, "06:40").toISO(),
          total_sleep_duration: 24000,
          efficiency: 88,
          deep_sleep_duration: 5000,
          rem_sleep_duration: 6000,
          light_sleep_duration: 13000,
          awake_time: 3000,
        },
        { id: "sleep-gone", day: day(1), type: "deleted", bedtime_start: at(1, "13:00").toISO(), bedtime_end: at(1, "13:30").toISO(), total_sleep_duration: 1500 },
      ],
    },
  };
}

const fitbitWall = (n: number, hhmm: string) => `${day(n)}T${hhmm}:00.000`;
function fitbitAccount(): FakeAccount {
  return {
    fitbit: {
      activities: {
        [day(1)]: {
          steps: 9001,
          caloriesOut: 2310,
          distances: [
            { activity: "total", distance: 6.5 },
            { activity: "tracker", distance: 6.4 },
          ],
          veryActiveMinutes: 20,
          fairlyActiveMinutes: 15,
          lightlyActiveMinutes: 200,
        },
        [day(2)]: { steps: 4200, caloriesOut: 1990, distances: [{ activity: "total", distance: 3.1 }], veryActiveMinutes: 0, fairlyActiveMinutes: 5 },
      },
      sleep: [
        {
          logId: 26001,
          dateOfSleep: day(1),
          isMainSleep: true,
          type: "stages",
          startTime: fitbitWall(2, "23:00"),
          endTime: fitbitWall(1, "01:30"),
          duration: 9_000_000,
          minutesAsleep: 140,
          efficiency: 93,
          levels: {
            data: [
              { dateTime: fitbitWall(2, "23:00"), level: "wake", seconds: 600 },
              { dateTime: fitbitWall(2, "23:10"), level: "light", seconds: 3000 },
              { dateTime: fitbitWall(1, "00:00"), level: "deep", seconds: 3600 },
              { dateTime: fitbitWall(1, "01:00"), level: "rem", seconds: 1800 },
            ],
            shortData: [{ dateTime: fitbitWall(2, "23:40"), level: "wake", seconds: 60 }],
          },
        },
      ],
    },
  };
}

async function member(): Promise<TestMember & { orgId: string }> {
  const t = await h.tenant();
  return { ...(await t.member({ timezone: ZONE })), orgId: t.orgId };
}

/** Link token → oauth-url → consent as `account` at the fake → our callback; then the backfill's end state. */
async function link(m: TestMember, provider: "oura" | "fitbit", account: string) {
  const minted = await h.req("POST", `/v1/users/${m.userId}/devices/auth/token`, { token: m.token, body: { provider_slug: provider, redirect_uri: PARTNER_REDIRECT } });
  expect(minted.status).toBe(200);
  const url = await h.req("GET", `/v1/devices/${provider}/oauth-url?link_token=${encodeURIComponent(minted.body.data.token)}`);
  const consent = await fetch(`${url.body.data.oauth_url}&account=${account}`, { redirect: "manual" });
  const callback = new URL(consent.headers.get("location")!);
  const cb = await h.req("GET", `/v1/devices/oauth/callback${callback.search}`);
  expect(cb.body.data).toMatchObject({ status: "connected", provider_slug: provider });
  return waitFor(async () => {
    const res = await h.req("GET", `/v1/users/${m.userId}/devices/${provider}/status`, { token: m.token });
    return ["completed", "failed"].includes(res.body.data.backfill.status) ? res.body.data : undefined;
  });
}

function newAccount(data: FakeAccount): string {
  const name = `acct-${++accountSeq}`;
  fake.accounts.set(name, data);
  return name;
}

async function refreshJob(m: TestMember) {
  const started = await h.req("POST", `/v1/users/${m.userId}/devices/actions/refresh`, { token: m.token });
  expect(started.status).toBe(202);
  return waitFor(async () => {
    const res = await h.req("GET", `/v1/users/${m.userId}/jobs/${started.body.data.job_id}`, { token: m.token });
    return ["completed", "failed"].includes(res.body.data.status) ? res.body.data : undefined;
  });
}

const window = `start_date=${day(40)}&end_date=${day(0)}`;
const summary = (m: TestMember, kind: "activity" | "sleep") => h.req("GET", `/v1/users/${m.userId}/metrics/${kind}/summary?${window}&limit=100`, { token: m.token });
const sql = <T = Record<string, any>>(q: string, p: unknown[] = []) => h.em().getConnection().execute<T[]>(q, p);
const rowCount = async (m: TestMember, table: string, provider: string) =>
  Number(
    (
      await sql<{ n: string }>(`select count(*) as n from ${table} s join users u on u.id = s.user_id where u.partner_user_id = ? and s.provider = ?`, [
        m.userId,
        provider,
      ])
    )[0].n,
  );
const dailyEvents = (m: TestMember & { orgId: string }) =>
  h
    .em()
    .find(EventRecord, { org: m.orgId, eventType: "device.data.daily" })
    .then((es) => es.map((e) => JSON.parse(e.body)).filter((b) => b.user_id === m.userId));

describe("Oura sync", () => {
  it("backfills 30 local days of activity and sleep through paging, as is_backfill rows without events", async () => {
    const m = await member();
    const status = await link(m, "oura", newAccount(ouraAccount()));
    expect(status.backfill).toMatchObject({ status: "completed", error: null });
    expect(status.data_freshness.by_resource.activity.status).toBe("available");
    expect(status.data_freshness.by_resource.sleep.status).toBe("available");

    const activity = await summary(m, "activity");
    expect(activity.body.data).toEqual(
      [3, 2, 1].map((n) => ({
        date: day(n),
        sample_id: expect.any(String),
        client_id: `oura:daily_activity:act-${n}`,
        provider: "oura",
        steps: [8000, 9000, 10000][n - 1],
        calories: 2400 + n - 1,
        distance_meters: 6100 + n - 1,
        active_minutes: 45,
      })),
    );
    const sleep = await summary(m, "sleep");
    // The night belongs to the local day the member woke up; the deleted period is not imported.
    expect(sleep.body.data).toEqual([
      {
        date: day(1),
        sample_id: expect.any(String),
        client_id: "oura:sleep:sleep-a",
        provider: "oura",
        start: expect.any(String),
        end: expect.any(String),
        duration_seconds: 24000,
        efficiency: 88,
      },
    ]);
    expect(Date.parse(sleep.body.data[0].end)).toBe(at(1, "06:40").toMillis());
    // Oura's stage durations are totals, not intervals: no stage segments are invented.
    const stream = await h.req("GET", `/v1/users/${m.userId}/metrics/sleep/stream?${window}`, { token: m.token });
    expect(stream.body.data).toEqual([]);

    const rows = await sql(`select s.is_backfill, s.device, s.source from activity_summaries s join users u on u.id = s.user_id where u.partner_user_id = ?`, [m.userId]);
    expect(rows.every((r) => r.is_backfill === true && r.device === "Oura Ring" && r.source === "oura:daily_activity")).toBe(true);
    expect(await dailyEvents(m)).toEqual([]);

    // 30 local days, today included, and the second page was fetched with next_token.
    const first = fake.requests.find((r) => r.path === "/v2/usercollection/daily_activity" && r.query.start_date === day(29));
    expect(first?.query.end_date).toBe(today().plus({ days: 1 }).toISODate());
    expect(fake.requests.some((r) => r.path === "/v2/usercollection/daily_activity" && r.query.next_token)).toBe(true);

    const devices = await h.req("GET", `/v1/users/${m.userId}/devices`, { token: m.token });
    expect(devices.body.data[0].last_sync_at).toEqual(expect.any(String));
  });

  it("refetching is idempotent; a revised day updates its row in place and emits one device.data.daily", async () => {
    const m = await member();
    const account = newAccount(ouraAccount());
    await link(m, "oura", account);
    const before = (await summary(m, "activity")).body.data;

    expect(await refreshJob(m)).toMatchObject({ status: "completed", result: { refreshed_providers: ["oura"], reauth_required_providers: [], failed_providers: [] } });
    expect(await rowCount(m, "activity_summaries", "oura")).toBe(3);
    expect(await rowCount(m, "sleep_summaries", "oura")).toBe(1);
    expect((await summary(m, "activity")).body.data).toEqual(before);
    expect(await dailyEvents(m)).toEqual([]);

    // Late data: yesterday's steps are revised at the provider.
    fake.accounts.set(account, ouraAccount([8000, 9999, 10000]));
    expect((await refreshJob(m)).status).toBe("completed");
    const after = (await summary(m, "activity")).body.data;
    expect(after.map((r: any) => [r.date, r.steps, r.sample_id])).toEqual([
      [day(3), 10000, before[0].sample_id],
      [day(2), 9999, before[1].sample_id],
      [day(1), 8000, before[2].sample_id],
    ]);
    expect(await rowCount(m, "activity_summaries", "oura")).toBe(3);
    expect(await dailyEvents(m)).toEqual([{ user_id: m.userId, date: day(2), provider: "oura", resources: ["activity"] }]);
    // A refresh reads from the last sync's local date minus 2 days.
    const last = fake.requests.filter((r) => r.path === "/v2/usercollection/sleep").at(-1)!;
    expect(last.query.start_date).toBe(day(2));
  });

  it("keeps partner data winning the same day under the default priority", async () => {
    const m = await member();
    const ingest = await h.req("POST", `/v1/users/${m.userId}/metrics/activity/summary`, {
      token: m.token,
      body: { data: [{ client_id: "p-1", date: day(2), steps: 123 }] },
    });
    expect(ingest.body.data[0].status).toBe("accepted");
    await link(m, "oura", newAccount(ouraAccount()));
    const rows = (await summary(m, "activity")).body.data;
    expect(rows.map((r: any) => [r.date, r.provider.startsWith("partner:") ? "partner" : r.provider, r.steps])).toEqual([
      [day(3), "oura", 10000],
      [day(2), "partner", 123],
      [day(1), "oura", 8000],
    ]);
    // The provider's row for that day is stored, just not read over the partner's.
    expect(await rowCount(m, "activity_summaries", "oura")).toBe(3);
  });
});

describe("Fitbit sync", () => {
  it("maps the daily summary (km → m, very + fairly active minutes) and stage intervals (wake → awake)", async () => {
    const m = await member();
    const status = await link(m, "fitbit", newAccount(fitbitAccount()));
    expect(status.backfill.status).toBe("completed");
    const activity = (await summary(m, "activity")).body.data;
    expect(activity).toEqual([
      {
        date: day(2),
        sample_id: expect.any(String),
        client_id: `fitbit:activities:${day(2)}`,
        provider: "fitbit",
        steps: 4200,
        calories: 1990,
        distance_meters: 3100,
        active_minutes: 5,
      },
      {
        date: day(1),
        sample_id: expect.any(String),
        client_id: `fitbit:activities:${day(1)}`,
        provider: "fitbit",
        steps: 9001,
        calories: 2310,
        distance_meters: 6500,
        active_minutes: 35,
      },
    ]);
    const sleep = (await summary(m, "sleep")).body.data;
    expect(sleep).toEqual([
      {
        date: day(1),
        sample_id: expect.any(String),
        client_id: "fitbit:sleep:26001",
        provider: "fitbit",
        start: expect.any(String),
        end: expect.any(String),
        duration_seconds: 8400,
        efficiency: 93,
      },
    ]);
    // Fitbit's local wall times are read in the member's zone.
    expect(Date.parse(sleep[0].start)).toBe(at(2, "23:00").toMillis());
    const stream = (await h.req("GET", `/v1/users/${m.userId}/metrics/sleep/stream?${window}`, { token: m.token })).body.data;
    expect(stream.map((s: any) => [s.sample_id, s.date, s.stage, Date.parse(s.start), Date.parse(s.end)])).toEqual([
      [sleep[0].sample_id, day(1), "awake", at(2, "23:00").toMillis(), at(2, "23:10").toMillis()],
      [sleep[0].sample_id, day(1), "light", at(2, "23:10").toMillis(), at(1, "00:00").toMillis()],
      [sleep[0].sample_id, day(1), "deep", at(1, "00:00").toMillis(), at(1, "01:00").toMillis()],
      [sleep[0].sample_id, day(1), "rem", at(1, "01:00").toMillis(), at(1, "01:30").toMillis()],
    ]);
    // One activity call per local day of the 30-day window, one sleep range call.
    for (const d of [day(29), day(0)]) expect(fake.requests.some((r) => r.path === `/1/user/-/activities/date/${d}.json`)).toBe(true);
    expect(fake.requests.some((r) => r.path === `/1/user/-/activities/date/${day(30)}.json`)).toBe(false);
    expect(fake.requests.some((r) => r.path === `/1.2/user/-/sleep/date/${day(29)}/${day(0)}.json`)).toBe(true);
  });

  it("fails the refresh job with a retryable rate_limited reason on 429, keeping the link", async () => {
    const m = await member();
    await link(m, "fitbit", newAccount(fitbitAccount()));
    fake.failNext(429, { retryAfter: "120" });
    const job = await refreshJob(m);
    expect(job).toMatchObject({ status: "failed", result: { error: "rate_limited", reason: expect.stringContaining("retry after 120 seconds") } });
    const status = (await h.req("GET", `/v1/users/${m.userId}/devices/fitbit/status`, { token: m.token })).body.data;
    expect(status.connection).toMatchObject({ status: "connected", error: null });
    // The next refresh goes through.
    expect((await refreshJob(m)).status).toBe("completed");
  });

  it("fails a backfill on a provider 5xx without touching the link", async () => {
    const m = await member();
    fake.failNext(500);
    const status = await link(m, "fitbit", newAccount(fitbitAccount()));
    expect(status.backfill).toMatchObject({ status: "failed", error: "provider_unavailable" });
    expect(status.connection).toMatchObject({ status: "connected", error: null });
    expect(await rowCount(m, "activity_summaries", "fitbit")).toBe(0);
    // A later refresh (no previous sync) reads the whole backfill window.
    expect((await refreshJob(m)).status).toBe("completed");
    expect(await rowCount(m, "activity_summaries", "fitbit")).toBe(2);
  });
});

describe("expired and refused tokens", () => {
  it("on 401 refreshes the token once and retries, without logging tokens", async () => {
    const m = await member();
    const account = newAccount(ouraAccount());
    await link(m, "oura", account);
    const spies = (["trace", "debug", "info", "warn", "error", "fatal"] as const).map((level) => jest.spyOn(h.app.deps.logger, level));
    try {
      fake.expireAccessTokens(account);
      const grants = fake.refreshGrants;
      const job = await refreshJob(m);
      expect(job).toMatchObject({ status: "completed", result: { refreshed_providers: ["oura"], reauth_required_providers: [] } });
      expect(fake.refreshGrants).toBe(grants + 1);
      const logged = JSON.stringify(spies.map((s) => s.mock.calls));
      expect(logged).toContain("device access token refreshed");
      expect(logged).not.toMatch(/\b(at|rt)-[A-Za-z0-9_-]{20,}/);
    } finally {
      for (const s of spies) s.mockRestore();
    }
  });

  it("puts the link into reauthorization when the provider still refuses the refreshed token", async () => {
    const m = await member();
    const account = newAccount(ouraAccount());
    await link(m, "oura", account);
    fake.rejectAll(account);
    try {
      const job = await refreshJob(m);
      expect(job).toMatchObject({ status: "completed", result: { refreshed_providers: [], reauth_required_providers: ["oura"], failed_providers: [] } });
      const status = (await h.req("GET", `/v1/users/${m.userId}/devices/oura/status`, { token: m.token })).body.data;
      expect(status.connection).toEqual({ status: "error", connected_at: expect.any(String), error: "reauthorization_required" });
      const [row] = await sql(`select c.access_token_enc, c.refresh_token_enc from device_connections c join users u on u.id = c.user_id where u.partner_user_id = ?`, [
        m.userId,
      ]);
      expect(row).toEqual({ access_token_enc: null, refresh_token_enc: null });
    } finally {
      fake.rejectAll(account, false);
    }
  });
});

describe("isolation", () => {
  it("imports each member's own provider account only", async () => {
    const a = await member();
    const b = await member();
    await link(a, "oura", newAccount(ouraAccount([1111, 2222, 3333])));
    await link(b, "oura", newAccount(ouraAccount([4444, 5555, 6666])));
    expect((await summary(a, "activity")).body.data.map((r: any) => r.steps)).toEqual([3333, 2222, 1111]);
    expect((await summary(b, "activity")).body.data.map((r: any) => r.steps)).toEqual([6666, 5555, 4444]);
    const other = await h.req("GET", `/v1/users/${b.userId}/metrics/activity/summary?${window}`, { token: a.token });
    expect(other.status).toBe(404);
  });
});

/** Timeseries reads and the rollup check shared by the heart-rate and HRV tests. */
const series = (m: TestMember, metric: "heart_rate" | "hrv", query: Record<string, string>) =>
  h.req(
    "GET",
    `/v1/users/${m.userId}/metrics/${metric}/timeseries?${new URLSearchParams({ start_time: at(3, "00:00").toUTC().toISO()!, end_time: today().plus({ days: 1 }).toUTC().toISO()!, limit: "1000", ...query }).toString()}`,
    { token: m.token },
  );
const points = (body: any) => body.data.map((p: any) => [Date.parse(p.start), p.value]);
/** The raw points aggregated per UTC hour as the API does (mean, 2 decimals). */
const hourlyMeans = (raw: [number, number][]) => {
  const byHour = new Map<number, number[]>();
  for (const [t, v] of raw) {
    const hour = Math.floor(t / 3_600_000) * 3_600_000;
    byHour.set(hour, [...(byHour.get(hour) ?? []), v]);
  }
  return [...byHour].sort(([a], [b]) => a - b).map(([hour, vs]) => [hour, Math.round((vs.reduce((a, b) => a + b, 0) / vs.length) * 100) / 100]);
};
/** timeseries_hourly equals the aggregation of the member's samples, hour by hour and provider by provider. */
async function expectExactRollup(m: TestMember) {
  const key = "u.partner_user_id = ? order by 1, 2, 3";
  const rollup = await sql(
    `select h.metric, h.hour, h.provider, h.sample_count as n, h.value_sum as v from timeseries_hourly h join users u on u.id = h.user_id where ${key}`,
    [m.userId],
  );
  const samples = await sql(
    `select s.metric, date_bin('1 hour', s.ts, timestamptz 'epoch') as hour, s.provider, count(*)::int as n, sum(s.value) as v
       from timeseries_samples s join users u on u.id = s.user_id where u.partner_user_id = ? group by 1, 2, 3 order by 1, 2, 3`,
    [m.userId],
  );
  expect(rollup.length).toBeGreaterThan(0);
  expect(rollup).toEqual(samples);
}
const sampleCount = async (m: TestMember, metric: string) =>
  Number(
    (
      await sql<{ n: string }>(`select count(*) as n from timeseries_samples s join users u on u.id = s.user_id where u.partner_user_id = ? and s.metric = ?`, [
        m.userId,
        metric,
      ])
    )[0].n,
  );

/** Every 5 minutes from local `hhmm` on day `n`, alternating `lo` and `hi` bpm (mean (lo + hi) / 2). */
const ouraBeats = (n: number, hhmm: string, count: number, lo: number, hi: number, source = "awake") =>
  Array.from({ length: count }, (_, i) => ({
    bpm: i % 2 ? hi : lo,
    source,
    timestamp: at(n, hhmm)
      .plus({ minutes: 5 * i })
      .toISO(),
  }));

/** sleep-a (23:10 → 06:40, 90 five-minute slots) with a phase string two slots longer than the night, a 5-minute HRV series, and a nap with only average_hrv. */
function ouraVitalsAccount(heartrate = [...ouraBeats(2, "10:00", 12, 66, 70), ...ouraBeats(1, "10:00", 18, 60, 64)]): FakeAccount {
  const base = ouraAccount();
  const phases = "44" + "2".repeat(20) + "1".repeat(24) + "3".repeat(18) + "2".repeat(20) + "4".repeat(8);
  const [night] = base.oura!.sleep!;
  return {
    oura: {
      ...base.oura,
      heartrate,
      sleep: [
        { ...night, sleep_phase_5_min: phases, average_hrv: 45, hrv: { interval: 300, items: [null, 40, 44, null, 48, 52], timestamp: at(2, "23:10").toISO() } },
        {
          id: "nap-1",
          day: day(1),
          type: "late_nap",
          bedtime_start: at(1, "13:00").toISO(),
          bedtime_end: at(1, "14:00").toISO(),
          total_sleep_duration: 3000,
          average_hrv: 60,
        },
      ],
    },
  };
}

describe("Oura heart rate, HRV and sleep stages", () => {
  it("imports heart rate and HRV through the timeseries ingest (exact hourly rollup) and stages from sleep_phase_5_min", async () => {
    const m = await member();
    const status = await link(m, "oura", newAccount(ouraVitalsAccount()));
    expect(status.backfill.status).toBe("completed");

    // Heart rate: every sample, as sent, with Oura's provenance.
    const raw = points((await series(m, "heart_rate", { granularity: "raw" })).body);
    const expected = [...ouraBeats(2, "10:00", 12, 66, 70), ...ouraBeats(1, "10:00", 18, 60, 64)].map((b) => [Date.parse(b.timestamp!), b.bpm]);
    expect(raw).toEqual(expected);
    const rows = await sql(
      `select distinct s.provider, s.device, s.source, s.unit from timeseries_samples s join users u on u.id = s.user_id where u.partner_user_id = ? and s.metric = 'heart_rate'`,
      [m.userId],
    );
    expect(rows).toEqual([{ provider: "oura", device: "Oura Ring", source: "oura:heartrate:awake", unit: "bpm" }]);
    // one_hour comes from the rollup and equals the raw aggregation.
    const hourly = (await series(m, "heart_rate", { granularity: "one_hour" })).body;
    expect(points(hourly)).toEqual(hourlyMeans(expected as [number, number][]));
    expect(points((await series(m, "heart_rate", { granularity: "one_hour", provider: "oura" })).body)).toEqual(points(hourly));

    // HRV: the 5-minute series (nulls skipped) of the night; the nap has only its average, at its end.
    const hrv = points((await series(m, "hrv", { granularity: "raw" })).body);
    expect(hrv).toEqual([
      [at(2, "23:15").toMillis(), 40],
      [at(2, "23:20").toMillis(), 44],
      [at(2, "23:30").toMillis(), 48],
      [at(2, "23:35").toMillis(), 52],
      [at(1, "14:00").toMillis(), 60],
    ]);
    const hrvRows = await sql(
      `select s.source, s.client_id from timeseries_samples s join users u on u.id = s.user_id where u.partner_user_id = ? and s.metric = 'hrv' order by s.ts`,
      [m.userId],
    );
    expect(hrvRows.map((r) => [r.source, r.client_id])).toEqual([...Array(4).fill(["oura:sleep:hrv", null]), ["oura:sleep:average_hrv", "oura:sleep:nap-1:average_hrv"]]);
    expect(points((await series(m, "hrv", { granularity: "one_hour" })).body)).toEqual(hourlyMeans(hrv));
    await expectExactRollup(m);

    // The vitals insight reads them: daily means 68 and 62 bpm, HRV 46 ms (day 2) and 60 ms (day 1).
    const vitals = (await h.req("GET", `/v1/users/${m.userId}/metrics/vitals/insights?time_range=week`, { token: m.token })).body.data;
    expect(vitals.days_with_data).toBe(2);
    expect(vitals.key_findings.find((f: any) => f.metric === "heart_rate")).toMatchObject({ value: 65, unit: "bpm" });
    expect(vitals.key_findings.find((f: any) => f.metric === "hrv")).toMatchObject({ value: 53, unit: "ms" });

    // Stages: runs of equal digits from bedtime_start, the last run clipped to bedtime_end.
    const sleep = (await summary(m, "sleep")).body.data.find((s: any) => s.client_id === "oura:sleep:sleep-a");
    const stream = (await h.req("GET", `/v1/users/${m.userId}/metrics/sleep/stream?${window}`, { token: m.token })).body.data;
    const t = (slots: number) =>
      at(2, "23:10")
        .plus({ minutes: 5 * slots })
        .toMillis();
    expect(stream.filter((s: any) => s.sample_id === sleep.sample_id).map((s: any) => [s.date, s.stage, Date.parse(s.start), Date.parse(s.end)])).toEqual([
      [day(1), "awake", t(0), t(2)],
      [day(1), "light", t(2), t(22)],
      [day(1), "deep", t(22), t(46)],
      [day(1), "rem", t(46), t(64)],
      [day(1), "light", t(64), t(84)],
      [day(1), "awake", t(84), at(1, "06:40").toMillis()],
    ]);

    // The heartrate collection was asked for the window's local days as instants, through paging.
    const first = fake.requests.find(
      (r) => r.path === "/v2/usercollection/heartrate" && r.query.start_datetime === at(29, "00:00").toISO({ suppressMilliseconds: true }),
    );
    expect(first?.query.end_datetime).toBe(today().plus({ days: 1 }).toISO({ suppressMilliseconds: true }));
    expect(fake.requests.some((r) => r.path === "/v2/usercollection/heartrate" && r.query.next_token)).toBe(true);
    // Samples raise no device.data.daily (backfill, and summary-only anyway).
    expect(await dailyEvents(m)).toEqual([]);
  });

  it("re-syncing is idempotent; a revised sample is updated in place and the rollup stays exact", async () => {
    const m = await member();
    const account = newAccount(ouraVitalsAccount());
    await link(m, "oura", account);
    const before = { hr: await sampleCount(m, "heart_rate"), hrv: await sampleCount(m, "hrv") };
    expect(before).toEqual({ hr: 30, hrv: 5 });
    const ids = await sql(`select s.id, s.ts from timeseries_samples s join users u on u.id = s.user_id where u.partner_user_id = ? order by s.metric, s.ts`, [m.userId]);

    expect((await refreshJob(m)).status).toBe("completed");
    expect({ hr: await sampleCount(m, "heart_rate"), hrv: await sampleCount(m, "hrv") }).toEqual(before);
    expect(
      await sql(`select s.id, s.ts from timeseries_samples s join users u on u.id = s.user_id where u.partner_user_id = ? order by s.metric, s.ts`, [m.userId]),
    ).toEqual(ids);
    expect(await rowCount(m, "sleep_summaries", "oura")).toBe(2);

    // Oura revises one of yesterday's samples (same instant): updated, not duplicated.
    const beats = [...ouraBeats(2, "10:00", 12, 66, 70), ...ouraBeats(1, "10:00", 18, 60, 64)];
    beats[12] = { ...beats[12], bpm: 90 };
    fake.accounts.set(account, ouraVitalsAccount(beats));
    expect((await refreshJob(m)).status).toBe("completed");
    expect(await sampleCount(m, "heart_rate")).toBe(30);
    const raw = points((await series(m, "heart_rate", { granularity: "raw" })).body);
    expect(raw).toEqual(beats.map((b) => [Date.parse(b.timestamp!), b.bpm]));
    expect(points((await series(m, "heart_rate", { granularity: "one_hour" })).body)).toEqual(hourlyMeans(raw));
    await expectExactRollup(m);
    const stages = (await h.req("GET", `/v1/users/${m.userId}/metrics/sleep/stream?${window}`, { token: m.token })).body.data;
    expect(stages).toHaveLength(6);
  });

  it("keeps partner samples winning their minute and hour under the default priority", async () => {
    const m = await member();
    // The partner has heart rate in yesterday's 10:00 hour (local), at 10:00, 10:05 and 10:10.
    const partner = [0, 5, 10].map((min) => ({ timestamp: at(1, "10:00").plus({ minutes: min }).toUTC().toISO(), value: 100, unit: "bpm" }));
    const ingest = await h.req("POST", `/v1/users/${m.userId}/metrics/heart_rate/timeseries`, { token: m.token, body: { data: partner } });
    expect(ingest.body.data).toMatchObject({ accepted: 3, rejected: [] });
    await link(m, "oura", newAccount(ouraVitalsAccount()));

    const oura = ouraBeats(1, "10:00", 18, 60, 64).map((b) => [Date.parse(b.timestamp!), b.bpm] as [number, number]);
    const taken = new Set(partner.map((p) => Date.parse(p.timestamp!)));
    const yesterday = { start_time: at(1, "00:00").toUTC().toISO()!, end_time: at(0, "00:00").toUTC().toISO()! };
    // Raw: the partner's minutes are the partner's; Oura fills the others.
    expect(points((await series(m, "heart_rate", { ...yesterday, granularity: "raw" })).body)).toEqual(
      [...[...taken].map((t) => [t, 100]), ...oura.filter(([t]) => !taken.has(t))].sort((a, b) => a[0] - b[0]),
    );
    // one_hour: the partner's 10:00 hour; the 11:00 hour is Oura's alone.
    const [ten, eleven] = hourlyMeans(oura);
    expect(points((await series(m, "heart_rate", { ...yesterday, granularity: "one_hour" })).body)).toEqual([[ten[0], 100], eleven]);
    // Oura's samples of that hour are stored, just not read over the partner's.
    expect(points((await series(m, "heart_rate", { ...yesterday, granularity: "one_hour", provider: "oura" })).body)).toEqual([ten, eleven]);
    await expectExactRollup(m);
  });
});

describe("Fitbit heart rate and HRV", () => {
  it("reads intraday heart rate in the member's zone and stores the daily HRV at local noon", async () => {
    const m = await member();
    const account = fitbitAccount();
    account.fitbit!.heart = {
      [day(1)]: [
        { time: "08:00:00", value: 70 },
        { time: "08:01:00", value: 72 },
        { time: "08:59:00", value: 74 },
        { time: "09:00:00", value: 80 },
      ],
      [day(2)]: [{ time: "23:59:00", value: 55 }],
    };
    account.fitbit!.hrv = [
      { dateTime: day(2), value: { dailyRmssd: 31.5, deepRmssd: 40.1 } },
      { dateTime: day(1), value: { dailyRmssd: 34.25, deepRmssd: 38 } },
    ];
    const status = await link(m, "fitbit", newAccount(account));
    expect(status.backfill.status).toBe("completed");

    const raw = points((await series(m, "heart_rate", { granularity: "raw" })).body);
    expect(raw).toEqual([
      [at(2, "23:59").toMillis(), 55],
      [at(1, "08:00").toMillis(), 70],
      [at(1, "08:01").toMillis(), 72],
      [at(1, "08:59").toMillis(), 74],
      [at(1, "09:00").toMillis(), 80],
    ]);
    expect(points((await series(m, "heart_rate", { granularity: "one_hour" })).body)).toEqual(hourlyMeans(raw));
    expect(points((await series(m, "hrv", { granularity: "raw" })).body)).toEqual([
      [at(2, "12:00").toMillis(), 31.5],
      [at(1, "12:00").toMillis(), 34.25],
    ]);
    const rows = await sql(
      `select s.metric, s.provider, s.device, s.source, s.client_id from timeseries_samples s join users u on u.id = s.user_id where u.partner_user_id = ? and s.metric = 'hrv' order by s.ts`,
      [m.userId],
    );
    expect(rows).toEqual(
      [day(2), day(1)].map((d) => ({ metric: "hrv", provider: "fitbit", device: "Fitbit", source: "fitbit:hrv:daily_rmssd", client_id: `fitbit:hrv:${d}` })),
    );
    await expectExactRollup(m);

    const vitals = (await h.req("GET", `/v1/users/${m.userId}/metrics/hrv/insights?time_range=week`, { token: m.token })).body.data;
    expect(vitals.key_findings[0]).toMatchObject({ metric: "hrv", value: 32.9, unit: "ms" });

    // One intraday call per local day of the window, one HRV range call; a refresh changes nothing.
    for (const d of [day(29), day(0)]) expect(fake.requests.some((r) => r.path === `/1/user/-/activities/heart/date/${d}/1d/1min.json`)).toBe(true);
    expect(fake.requests.some((r) => r.path === `/1/user/-/hrv/date/${day(29)}/${day(0)}.json`)).toBe(true);
    expect((await refreshJob(m)).status).toBe("completed");
    expect(points((await series(m, "heart_rate", { granularity: "raw" })).body)).toEqual(raw);
    expect(await sampleCount(m, "hrv")).toBe(2);
  });
});

describe("withheld heart-rate scope", () => {
  it("imports activity and sleep when the heart-rate and HRV calls answer 403", async () => {
    const fitbit = await member();
    const fitbitData = fitbitAccount();
    fitbitData.fitbit!.heart = { [day(1)]: [{ time: "08:00:00", value: 70 }] };
    fitbitData.fitbit!.hrv = [{ dateTime: day(1), value: { dailyRmssd: 30, deepRmssd: 31 } }];
    const fitbitAcct = newAccount(fitbitData);
    fake.forbid(fitbitAcct, "/1/user/-/activities/heart/");
    fake.forbid(fitbitAcct, "/1/user/-/hrv/");
    expect((await link(fitbit, "fitbit", fitbitAcct)).backfill.status).toBe("completed");
    expect(await rowCount(fitbit, "activity_summaries", "fitbit")).toBe(2);
    expect(await rowCount(fitbit, "sleep_summaries", "fitbit")).toBe(1);
    expect((await sampleCount(fitbit, "heart_rate")) + (await sampleCount(fitbit, "hrv"))).toBe(0);

    const oura = await member();
    const ouraAcct = newAccount(ouraVitalsAccount());
    fake.forbid(ouraAcct, "/v2/usercollection/heartrate");
    expect((await link(oura, "oura", ouraAcct)).backfill.status).toBe("completed");
    expect(await rowCount(oura, "activity_summaries", "oura")).toBe(3);
    expect(await sampleCount(oura, "heart_rate")).toBe(0);
    // HRV comes from the sleep documents, which the daily scope still covers.
    expect(await sampleCount(oura, "hrv")).toBe(5);
  });
});
