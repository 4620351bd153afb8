import http from "node:http";
import type { AddressInfo } from "node:net";
import { DateTime } from "luxon";
import { buildFacts } from "../../resolvers/metrics/insights.service";
import { ROLLUP_SQL, rollupParams } from "../../resolvers/metrics/timeseries.sql";
import { expectError, startHarness, type Harness, type TestMember } from "../helpers/harness";

let h: Harness;
beforeAll(async () => (h = await startHarness()));
afterAll(() => h.stop());

const today = () => DateTime.utc().startOf("day");
async function stepsFor(m: TestMember, daysAgoToSteps: [number, number][]) {
  const data = daysAgoToSteps.map(([ago, steps]) => ({ client_id: `d${ago}`, date: today().minus({ days: ago }).toISODate(), steps }));
  const res = await h.req("POST", `/v1/users/${m.userId}/metrics/activity/summary`, { token: m.token, body: { data } });
  expect(res.body.data.every((r: any) => r.status === "accepted")).toBe(true);
}
const insight = (m: TestMember, q: string) => h.req("GET", `/v1/users/${m.userId}/metrics/${q}`, { token: m.token });

describe("metric insights (deterministic engine, member's own data)", () => {
  it("compares the week with the previous one and explains it", async () => {
    const t = await h.tenant();
    const m = await t.member({ timezone: "UTC" });
    await stepsFor(m, [
      ...Array.from({ length: 7 }, (_, i) => [i, 10_000] as [number, number]),
      ...Array.from({ length: 7 }, (_, i) => [i + 7, 8_000] as [number, number]),
    ]);
    const res = await insight(m, "steps/insights?time_range=week");
    expect(res.status).toBe(200);
    const d = res.body.data;
    expect(d).toMatchObject({
      metric: "steps",
      time_range: "week",
      headline: "Your daily steps is improving",
      days_with_data: 7,
      model_version: "thrive-builtin-insights-1",
    });
    expect(d.key_findings[0]).toEqual({
      metric: "activity",
      statement: "Average daily steps: 10000 steps",
      value: 10000,
      unit: "steps",
      baseline_value: 8000,
      change_pct: 25,
    });
    expect(d.narrative).toContain("up 25% on the previous week");
    expect(d.generated_at).toMatch(/Z$/);
    // Deterministic: same data, same words.
    expect((await insight(m, "steps/insights?time_range=week")).body.data.narrative).toBe(d.narrative);
  });

  it("says so when there is no data, and 404s for unknown metrics and other members", async () => {
    const t = await h.tenant();
    const a = await t.member();
    const b = await t.member();
    const empty = await insight(a, "sleep/insights");
    expect(empty.body.data).toMatchObject({ time_range: "month", days_with_data: 0, key_findings: [] });
    expect(empty.body.data.headline).toMatch(/No nightly sleep data/);
    expectError(await insight(a, "mood/insights"), 404, "not_found");
    expectError(await h.req("GET", `/v1/users/${b.userId}/metrics/activity/insights`, { token: a.token }), 404, "not_found");
    expectError(await insight(a, "activity/insights?time_range=decade"), 422, "validation_error");
  });

  it("computes facts as a pure function", () => {
    const f = buildFacts("weight", { label: "weight", unit: "kg", higherIsBetter: false, subject: "body" }, "month", 30, [80, 80.5, 81], [79, 79]);
    expect(f.findings[0]).toMatchObject({ value: 80.5, baselineValue: 79, changePct: 1.9 });
    expect(f.headline).toBe("Your weight slipped this month");
  });
});

describe("vitals insights (daily means of the heart-rate and HRV timeseries)", () => {
  type Sample = [iso: string, value: number];
  const samples = async (m: TestMember, metric: "heart_rate" | "hrv" | "glucose", data: Sample[]) => {
    const unit = { heart_rate: "bpm", hrv: "ms", glucose: "mg/dL" }[metric];
    const res = await h.req("POST", `/v1/users/${m.userId}/metrics/${metric}/timeseries`, {
      token: m.token,
      body: { data: data.map(([timestamp, value]) => ({ timestamp, value, unit })) },
    });
    expect(res.body.data).toMatchObject({ accepted: data.length, rejected: [] });
  };
  /** Samples another provider synced (device data), with the hourly rollup of their hours, as every writer keeps it. */
  const deviceSamples = async (m: TestMember, metric: string, provider: string, data: Sample[]) => {
    const sql = (q: string, p: unknown[]) => h.em().getConnection().execute(q, p);
    const [{ id }] = (await sql("select id from users where partner_user_id = ?", [m.userId])) as [{ id: string }];
    await sql(
      `insert into timeseries_samples (id, user_id, metric, ts, value, unit, provider, created_at, updated_at)
       select gen_random_uuid(), ?, ?, x.ts, x.value, 'bpm', ?, now(), now() from json_to_recordset(?::json) as x(ts timestamptz, value float8)`,
      [id, metric, provider, JSON.stringify(data.map(([ts, value]) => ({ ts, value })))],
    );
    await sql(
      ROLLUP_SQL,
      rollupParams(
        id,
        metric,
        provider,
        data.map(([ts]) => Math.floor(Date.parse(ts) / 3_600_000) * 3600),
      ),
    );
  };
  /** `minutes` after the start of the UTC day `ago` days back (never in the future: the ingest allows 24 h ahead). */
  const dayAt = (ago: number, minutes: number) => today().minus({ days: ago }).plus({ minutes }).toISO({ suppressMilliseconds: true });

  it("computes heart rate and HRV from the winning provider's daily means; a slug keeps the domain's narrative and its own findings", async () => {
    const t = await h.tenant();
    const m = await t.member({ timezone: "UTC" });
    const hr: Sample[] = [];
    const hrv: Sample[] = [];
    for (let ago = 0; ago < 14; ago++) {
      const base = ago < 7 ? 60 : 66;
      if (ago !== 3) hr.push([dayAt(ago, 10), base - 2], [dayAt(ago, 40), base + 2]);
      hrv.push([dayAt(ago, 20), ago < 7 ? 50 : 40]);
    }
    await samples(m, "heart_rate", hr);
    await samples(m, "hrv", hrv);
    // Oura (lower priority) on a day the partner also has (ignored) and on a day only Oura has (used).
    await deviceSamples(m, "heart_rate", "oura", [
      [dayAt(0, 15), 100],
      [dayAt(3, 15), 58],
      [dayAt(3, 75), 62],
    ]);

    const vitals = (await insight(m, "vitals/insights?time_range=week")).body.data;
    expect(vitals).toMatchObject({ metric: "vitals", time_range: "week", days_with_data: 7, model_version: "thrive-builtin-insights-1" });
    expect(vitals.headline).toBe("Your heart rate is improving and your heart rate variability is improving");
    expect(vitals.key_findings.map((f: { metric: string }) => f.metric)).toEqual(["heart_rate", "heart_rate", "heart_rate", "hrv", "hrv", "hrv"]);
    expect(vitals.key_findings[0]).toEqual({
      metric: "heart_rate",
      statement: "Average heart rate: 60 bpm",
      value: 60,
      unit: "bpm",
      baseline_value: 66,
      change_pct: -9.1,
    });
    expect(vitals.key_findings[3]).toEqual({
      metric: "hrv",
      statement: "Average heart rate variability: 50 ms",
      value: 50,
      unit: "ms",
      baseline_value: 40,
      change_pct: 25,
    });
    expect(vitals.narrative).toContain("your heart rate averaged 60 bpm, down 9.1% on the previous week");
    expect(vitals.narrative).toContain("your heart rate variability averaged 50 ms, up 25% on the previous week");

    const heartRate = (await insight(m, "heart_rate/insights?time_range=week")).body.data;
    expect(heartRate).toMatchObject({ metric: "heart_rate", headline: "Your heart rate is improving", narrative: vitals.narrative, days_with_data: 7 });
    expect(heartRate.key_findings).toEqual(vitals.key_findings.slice(0, 3));
    const hrvOnly = (await insight(m, "hrv/insights?time_range=week")).body.data;
    expect(hrvOnly).toMatchObject({ metric: "hrv", headline: "Your heart rate variability is improving", narrative: vitals.narrative });
    expect(hrvOnly.key_findings).toEqual(vitals.key_findings.slice(3));
  });

  it("assigns samples to the member's local day even where an hour straddles local midnight (UTC+05:30)", async () => {
    const t = await h.tenant();
    const m = await t.member({ timezone: "Asia/Kolkata" });
    const day = DateTime.now().setZone("Asia/Kolkata").startOf("day").minus({ days: 2 });
    const local = (d: DateTime, hour: number, minute: number) => d.set({ hour, minute }).toUTC().toISO({ suppressMilliseconds: true })!;
    // 23:45 and 00:15 local are 18:15 and 18:45 UTC: one UTC hour, two local days.
    await samples(m, "heart_rate", [
      [local(day, 23, 45), 50],
      [local(day.plus({ days: 1 }), 0, 15), 70],
    ]);
    const res = (await insight(m, "heart_rate/insights?time_range=week")).body.data;
    expect(res.days_with_data).toBe(2);
    expect(res.key_findings[1].statement).toBe("Typical range: 55–65 bpm (middle half of days)");
  });

  it("says so when there are no vitals yet", async () => {
    const t = await h.tenant();
    const m = await t.member();
    const res = (await insight(m, "vitals/insights")).body.data;
    expect(res).toMatchObject({ metric: "vitals", headline: "No vitals data for this month yet", days_with_data: 0, key_findings: [] });
    expect(res.recommendations).toEqual([
      "Connect a device or sync heart rate data to see insights here.",
      "Connect a device or sync heart rate variability data to see insights here.",
      "Connect a device or sync glucose data to see insights here.",
    ]);
  });

  it("reads glucose as part of vitals (spec: glucose → vitals)", async () => {
    const t = await h.tenant();
    const m = await t.member({ timezone: "UTC" });
    const mgdl: Sample[] = [];
    for (let ago = 0; ago < 14; ago++) mgdl.push([dayAt(ago, 30), ago < 7 ? 95 : 105]);
    await samples(m, "glucose", mgdl);
    const res = (await insight(m, "glucose/insights?time_range=week")).body.data;
    expect(res).toMatchObject({ metric: "glucose", days_with_data: 7, headline: "Your glucose is improving" });
    expect(res.key_findings[0]).toEqual({ metric: "glucose", statement: "Average glucose: 95 mg/dL", value: 95, unit: "mg/dL", baseline_value: 105, change_pct: -9.5 });
    const vitals = (await insight(m, "vitals/insights?time_range=week")).body.data;
    expect(vitals.key_findings.map((f: { metric: string }) => f.metric)).toEqual(["glucose", "glucose", "glucose"]);
  });
});

describe("an OpenAI-compatible provider", () => {
  it("rephrases the facts it is given, and falls back to the built-in text when it fails", async () => {
    const seen: any[] = [];
    let fail = false;
    const server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        seen.push({ url: req.url, auth: req.headers.authorization, body: JSON.parse(body) });
        if (fail) return void res.writeHead(503).end();
        res.writeHead(200, { "content-type": "application/json" }).end(
          JSON.stringify({
            model: "local-test-model",
            choices: [
              { message: { role: "assistant", content: JSON.stringify({ headline: "Nice streak", narrative: "You walked more.", recommendations: ["Keep going"] }) } },
            ],
          }),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const llm = await startHarness({
      env: { AI_PROVIDER: "openai", AI_BASE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, AI_API_KEY: "sk-test" },
    });
    try {
      const t = await llm.tenant();
      const m = await t.member();
      await llm.req("POST", `/v1/users/${m.userId}/metrics/activity/summary`, {
        token: m.token,
        body: { data: [{ client_id: "x", date: today().toISODate(), steps: 4000 }] },
      });
      const ok = await llm.req("GET", `/v1/users/${m.userId}/metrics/activity/insights?time_range=week&language=fr`, { token: m.token });
      expect(ok.body.data).toMatchObject({ headline: "Nice streak", narrative: "You walked more.", recommendations: ["Keep going"], model_version: "local-test-model" });
      expect(seen[0]).toMatchObject({ url: "/v1/chat/completions", auth: "Bearer sk-test" });
      expect(seen[0].body.messages[0].content).toContain('"fr"');
      expect(JSON.parse(seen[0].body.messages[1].content).findings[0].value).toBe(4000);
      fail = true;
      const fallback = await llm.req("GET", `/v1/users/${m.userId}/metrics/activity/insights?time_range=week`, { token: m.token });
      expect(fallback.status).toBe(200);
      expect(fallback.body.data.model_version).toBe("thrive-builtin-insights-1");
    } finally {
      await llm.stop();
      await new Promise((r) => server.close(r));
    }
  });
});
