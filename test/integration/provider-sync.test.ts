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
        id: `act-${i + 1}`, day: day(i + 1), steps: s, total_calories: 2400 + i, active_calories: 500,
        equivalent_walking_distance: 6100 + i, high_activity_time: 1200, medium_activity_time: 1500, low_activity_time: 9000,
      })),
      sleep: [
        {
          id: "sleep-a", day: day(1), type: "long_sleep", bedtime_start: at(2, "23:10").toISO(), bedtime_end: at(1, "06:40").toISO(),
          total_sleep_duration: 24000, efficiency: 88, deep_sleep_duration: 5000, rem_sleep_duration: 6000, light_sleep_duration: 13000, awake_time: 3000,
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
        [day(1)]: { steps: 9001, caloriesOut: 2310, distances: [{ activity: "total", distance: 6.5 }, { activity: "tracker", distance: 6.4 }], veryActiveMinutes: 20, fairlyActiveMinutes: 15, lightlyActiveMinutes: 200 },
        [day(2)]: { steps: 4200, caloriesOut: 1990, distances: [{ activity: "total", distance: 3.1 }], veryActiveMinutes: 0, fairlyActiveMinutes: 5 },
      },
      sleep: [
        {
          logId: 26001, dateOfSleep: day(1), isMainSleep: true, type: "stages", startTime: fitbitWall(2, "23:00"), endTime: fitbitWall(1, "01:30"),
          duration: 9_000_000, minutesAsleep: 140, efficiency: 93,
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
  Number((await sql<{ n: string }>(`select count(*) as n from ${table} s join users u on u.id = s.user_id where u.partner_user_id = ? and s.provider = ?`, [m.userId, provider]))[0]!.n);
const dailyEvents = (m: TestMember & { orgId: string }) =>
  h.em().find(EventRecord, { org: m.orgId, eventType: "device.data.daily" }).then((es) => es.map((e) => JSON.parse(e.body)).filter((b) => b.user_id === m.userId));

describe("Oura sync", () => {
  it("backfills 30 local days of activity and sleep through paging, as is_backfill rows without events", async () => {
    const m = await member();
    const status = await link(m, "oura", newAccount(ouraAccount()));
    expect(status.backfill).toMatchObject({ status: "completed", error: null });
    expect(status.data_freshness.by_resource.activity.status).toBe("available");
    expect(status.data_freshness.by_resource.sleep.status).toBe("available");

    const activity = await summary(m, "activity");
    expect(activity.body.data).toEqual([3, 2, 1].map((n) => ({
      date: day(n), sample_id: expect.any(String), client_id: `oura:daily_activity:act-${n}`, provider: "oura",
      steps: [8000, 9000, 10000][n - 1], calories: 2400 + n - 1, distance_meters: 6100 + n - 1, active_minutes: 45,
    })));
    const sleep = await summary(m, "sleep");
    // The night belongs to the local day the member woke up; the deleted period is not imported.
    expect(sleep.body.data).toEqual([{
      date: day(1), sample_id: expect.any(String), client_id: "oura:sleep:sleep-a", provider: "oura",
      start: expect.any(String), end: expect.any(String), duration_seconds: 24000, efficiency: 88,
    }]);
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
      [day(3), 10000, before[0].sample_id], [day(2), 9999, before[1].sample_id], [day(1), 8000, before[2].sample_id],
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
      token: m.token, body: { data: [{ client_id: "p-1", date: day(2), steps: 123 }] },
    });
    expect(ingest.body.data[0].status).toBe("accepted");
    await link(m, "oura", newAccount(ouraAccount()));
    const rows = (await summary(m, "activity")).body.data;
    expect(rows.map((r: any) => [r.date, r.provider.startsWith("partner:") ? "partner" : r.provider, r.steps])).toEqual([
      [day(3), "oura", 10000], [day(2), "partner", 123], [day(1), "oura", 8000],
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
      { date: day(2), sample_id: expect.any(String), client_id: `fitbit:activities:${day(2)}`, provider: "fitbit", steps: 4200, calories: 1990, distance_meters: 3100, active_minutes: 5 },
      { date: day(1), sample_id: expect.any(String), client_id: `fitbit:activities:${day(1)}`, provider: "fitbit", steps: 9001, calories: 2310, distance_meters: 6500, active_minutes: 35 },
    ]);
    const sleep = (await summary(m, "sleep")).body.data;
    expect(sleep).toEqual([{
      date: day(1), sample_id: expect.any(String), client_id: "fitbit:sleep:26001", provider: "fitbit",
      start: expect.any(String), end: expect.any(String), duration_seconds: 8400, efficiency: 93,
    }]);
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
      const [row] = await sql(`select c.access_token_enc, c.refresh_token_enc from device_connections c join users u on u.id = c.user_id where u.partner_user_id = ?`, [m.userId]);
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
