import { execFile } from "node:child_process";
import path from "node:path";
import { EventRecord } from "../../entities/event-stream/event.entity";
import { NudgeCard } from "../../entities/nudges/nudge-card.entity";
import { NudgeFiring } from "../../entities/nudges/nudge-firing.entity";
import { startHarness, TEST_MASTER_KEY, type Harness } from "../helpers/harness";

/**
 * Two worker processes sweeping the same database at the same instant (what happens when two
 * deployments' schedulers overlap, or an operator runs `admin sweep-nudges` during a scheduled
 * tick): every nudge is created once. Real processes, separate connection pools.
 */
const root = path.resolve(__dirname, "../..");

function sweep(databaseUrl: string, at: string) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [path.join(root, "scripts/ts-run.js"), "scripts/admin.ts", "sweep-nudges", "--at", at],
      { cwd: root, timeout: 120_000, env: { ...process.env, DATABASE_URL: databaseUrl, MASTER_KEY: TEST_MASTER_KEY.toString("base64"), LOG_LEVEL: "warn" } },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

let h: Harness;
beforeAll(async () => (h = await startHarness({ isolated: true })));
afterAll(() => h.stop());

describe("admin sweep-nudges", () => {
  it("two processes sweeping at once create each nudge exactly once", async () => {
    const t = await h.tenant();
    const members = await Promise.all(Array.from({ length: 8 }, () => t.member({ timezone: "Asia/Tokyo" })));
    const at = "2026-11-21T23:30:00Z"; // 08:30 in Tokyo: every member's morning_report window is open
    const [a, b] = await Promise.all([sweep(h.databaseUrl, at), sweep(h.databaseUrl, at)]);
    expect([a.code, a.stderr, b.code, b.stderr]).toEqual([0, "", 0, ""]);
    const ra = JSON.parse(a.stdout);
    const rb = JSON.parse(b.stdout);
    expect(ra.members).toBe(8);
    expect(rb.members).toBe(8);
    expect((ra.byTrigger.morning_report ?? 0) + (rb.byTrigger.morning_report ?? 0)).toBe(8);

    const firings = await h.em().find(NudgeFiring, {});
    expect(firings.map((f) => `${f.triggerName}@${f.windowKey}`)).toEqual(Array(8).fill("morning_report@2026-11-22"));
    expect(new Set(firings.map((f) => f.user.id)).size).toBe(8);
    const cards = await h.em().find(NudgeCard, {});
    const events = await h.em().find(EventRecord, { eventType: "coach.nudge.created" });
    expect(cards).toHaveLength(8);
    expect(events.map((e) => JSON.parse(e.body).target.id).sort()).toEqual(cards.map((c) => c.id).sort());
    expect(new Set(events.map((e) => e.subjectUserId))).toEqual(new Set(members.map((m) => m.userId)));

    // A third run for the same instant finds every window used.
    const again = await sweep(h.databaseUrl, at);
    expect(JSON.parse(again.stdout)).toMatchObject({ members: 8, fired: 0 });
  });

  it("refuses a malformed --at with a usage error", async () => {
    const bad = await sweep(h.databaseUrl, "yesterday");
    expect(bad.code).toBe(64);
    expect(bad.stderr).toMatch(/--at must be an ISO 8601 instant/);
  });
});
