import http from "node:http";
import type { AddressInfo } from "node:net";
import { DateTime } from "luxon";
import { buildFacts } from "../../resolvers/metrics/insights.service";
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
    await stepsFor(m, [...Array.from({ length: 7 }, (_, i) => [i, 10_000] as [number, number]), ...Array.from({ length: 7 }, (_, i) => [i + 7, 8_000] as [number, number])]);
    const res = await insight(m, "steps/insights?time_range=week");
    expect(res.status).toBe(200);
    const d = res.body.data;
    expect(d).toMatchObject({ metric: "steps", time_range: "week", headline: "Your daily steps is improving", days_with_data: 7, model_version: "thrive-builtin-insights-1" });
    expect(d.key_findings[0]).toEqual({ metric: "activity", statement: "Average daily steps: 10000 steps", value: 10000, unit: "steps", baseline_value: 8000, change_pct: 25 });
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
    const f = buildFacts("weight", { label: "weight", unit: "kg", higherIsBetter: false, domain: "body" }, "month", 30, [80, 80.5, 81], [79, 79]);
    expect(f.findings[0]).toMatchObject({ value: 80.5, baselineValue: 79, changePct: 1.9 });
    expect(f.headline).toBe("Your weight slipped this month");
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
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({
          model: "local-test-model",
          choices: [{ message: { role: "assistant", content: JSON.stringify({ headline: "Nice streak", narrative: "You walked more.", recommendations: ["Keep going"] }) } }],
        }));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const llm = await startHarness({ env: { AI_PROVIDER: "openai", AI_BASE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, AI_API_KEY: "sk-test" } });
    try {
      const t = await llm.tenant();
      const m = await t.member();
      await llm.req("POST", `/v1/users/${m.userId}/metrics/activity/summary`, { token: m.token, body: { data: [{ client_id: "x", date: today().toISODate(), steps: 4000 }] } });
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
