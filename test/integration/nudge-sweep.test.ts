import { DateTime } from "luxon";
import { EventRecord } from "../../entities/event-stream/event.entity";
import { NudgeCard } from "../../entities/nudges/nudge-card.entity";
import { NudgeFiring } from "../../entities/nudges/nudge-firing.entity";
import crypto from "node:crypto";
import { fireNudges, runNudgeSweep, SWEEP_CRON } from "../../resolvers/nudges";
import { toNudgeMember, type MemberRow } from "../../resolvers/nudges/snapshots";
import { maintenanceTasks } from "../../server/app";
import type { IdempotencyStore } from "../../server/http/idempotency";
import { startHarness, type Harness, type TestMember, type TestTenant } from "../helpers/harness";

// The sweep serves every member of its database: this file gets a database of its own.
let h: Harness;
let onQuery: ((sql: string) => void) | null = null;
beforeAll(async () => (h = await startHarness({ isolated: true, onQuery: (sql) => onQuery?.(sql) })));
afterAll(() => h.stop());

/** 15:00 UTC: inside daily_content_recommendation's local window for UTC members, outside morning_report's. */
const NOW = DateTime.fromISO("2026-11-20T15:00:00Z", { zone: "utc" });
const day = (n: number) => NOW.minus({ days: n }).toISODate()!;

async function steps(m: TestMember, perDay: (daysAgo: number) => number) {
  const items = Array.from({ length: 28 }, (_, i) => ({ client_id: `s${i + 1}`, date: day(i + 1), steps: perDay(i + 1) }));
  const res = await h.req("POST", `/v1/users/${m.userId}/metrics/activity/summary`, { token: m.token, body: { data: items } });
  expect(res.status).toBe(200);
}

const firingsOf = async (m: TestMember) => {
  const rows = await h.em().find(NudgeFiring, { user: { partnerUserId: m.userId } }, { orderBy: { triggerName: "asc" } });
  return rows.map((r) => `${r.triggerName}@${r.windowKey}`);
};

describe("the 15-minute detector sweep", () => {
  let t: TestTenant;
  let declining: TestMember, optedOut: TestMember, minor: TestMember, reminded: TestMember;
  let reminderWindow: string;

  beforeAll(async () => {
    t = await h.tenant();
    declining = await t.member({ timezone: "UTC" });
    optedOut = await t.member({ timezone: "UTC" });
    minor = await t.member({ timezone: "UTC", birthday: "2012-05-01" });
    reminded = await t.member({ timezone: "UTC" });
    // 18 days at 10,000 then the last 10 at 6,000: 10-day mean 6,000 ≤ 0.75 × 28-day mean 8,571.
    for (const m of [declining, optedOut, minor]) await steps(m, (ago) => (ago <= 10 ? 6000 : 10000));
    await h.req("PATCH", `/v1/users/${optedOut.userId}/privacy-settings`, { token: optedOut.token, body: { nudges_enabled: false } });
    const at = NOW.plus({ minutes: 30 }).toISO({ suppressMilliseconds: true })!;
    const created = await h.req("POST", `/v1/users/${reminded.userId}/health-actions`, { token: reminded.token, body: { title: "Stretch", scheduled_at: at } });
    expect(created.status).toBe(201);
    reminderWindow = `action:${created.body.data.health_action_id}:${NOW.plus({ minutes: 30 }).toSeconds()}`;
  });

  it("fires each detector whose rule holds, skips opted-out and under-age members, and never fires a window twice", async () => {
    const first = await runNudgeSweep(h.app.deps, { now: NOW.toJSDate(), batchSize: 2 });
    expect(first.members).toBe(2); // the opted-out member and the minor are not even loaded
    expect(first.byTrigger).toEqual({ step_trend_declining: 1, daily_content_recommendation: 2, action_reminder: 1 });
    expect(await firingsOf(declining)).toEqual(["daily_content_recommendation@2026-11-20", "step_trend_declining@2026-W47"]);
    expect(await firingsOf(optedOut)).toEqual([]);
    expect(await firingsOf(minor)).toEqual([]);
    expect(await firingsOf(reminded)).toEqual([`action_reminder@${reminderWindow}`, "daily_content_recommendation@2026-11-20"]);

    // Exactly one event per nudge, in the org's basic contract, and cards only for card nudges.
    const events = await h.em().find(EventRecord, { org: t.orgId, eventType: "coach.nudge.created" });
    expect(events).toHaveLength(4);
    const cards = await h.em().find(NudgeCard, { user: { org: t.orgId } });
    expect(cards).toHaveLength(3);
    const declineCard = cards.find((c) => c.triggerName === "step_trend_declining")!;
    expect(declineCard.itemBody.main).toContain("6,000");
    expect(declineCard.itemBody.main).toContain("8,571");

    // 15 minutes later: same windows, nothing new.
    const again = await runNudgeSweep(h.app.deps, { now: NOW.plus({ minutes: 15 }).toJSDate() });
    expect(again.fired).toBe(0);
    // The next local day opens a new daily window (the weekly trend window stays used).
    const tomorrow = await runNudgeSweep(h.app.deps, { now: NOW.plus({ days: 1 }).toJSDate() });
    expect(tomorrow.byTrigger.daily_content_recommendation).toBe(2);
    expect(tomorrow.byTrigger.step_trend_declining).toBeUndefined();
  });

  it("two workers sweeping at the same moment create each nudge once", async () => {
    const t2 = await h.tenant();
    const members = await Promise.all(Array.from({ length: 6 }, () => t2.member({ timezone: "Asia/Tokyo" })));
    const at = DateTime.fromISO("2026-11-21T23:30:00Z"); // 08:30 in Tokyo: morning_report
    const [a, b] = await Promise.all([runNudgeSweep(h.app.deps, { now: at.toJSDate(), batchSize: 4 }), runNudgeSweep(h.app.deps, { now: at.toJSDate(), batchSize: 3 })]);
    expect((a.byTrigger.morning_report ?? 0) + (b.byTrigger.morning_report ?? 0)).toBe(6);
    for (const m of members) expect(await firingsOf(m)).toEqual(["morning_report@2026-11-22"]);
    const events = await h.em().find(EventRecord, { org: t2.orgId, eventType: "coach.nudge.created" });
    expect(events).toHaveLength(6);
    expect(new Set(events.map((e) => JSON.parse(e.body).target.id)).size).toBe(6);
  });

  it("fires activity_momentum from the intraday steps rollup: today below the 25th percentile for the hour", async () => {
    const t5 = await h.tenant();
    const [slow, brisk] = await Promise.all([t5.member({ timezone: "Europe/London" }), t5.member({ timezone: "Europe/London" })]);
    const at = DateTime.fromISO("2026-11-10T15:30:00Z"); // 15:30 in London (GMT): the last completed hour is 14:00–15:00
    const hourly = (m: TestMember, todayPerHour: number) => {
      const data: { timestamp: string; value: number; unit: string }[] = [];
      for (let ago = 0; ago <= 8; ago++) {
        for (let hour = 8; hour <= 20; hour++) {
          if (ago === 0 && hour >= 15) continue; // today has no data after now
          const ts = at.minus({ days: ago }).set({ hour, minute: 10 }).toISO({ suppressMilliseconds: true })!;
          data.push({ timestamp: ts, value: ago === 0 ? todayPerHour : 500, unit: "count" });
        }
      }
      return h.req("POST", `/v1/users/${m.userId}/metrics/steps/timeseries`, { token: m.token, body: { data } });
    };
    expect((await hourly(slow, 100)).body.data).toMatchObject({ accepted: 13 * 8 + 7, rejected: [] });
    expect((await hourly(brisk, 600)).body.data).toMatchObject({ accepted: 13 * 8 + 7, rejected: [] });
    const r = await runNudgeSweep(h.app.deps, { now: at.toJSDate() });
    expect(r.byTrigger.activity_momentum).toBe(1);
    expect(await firingsOf(slow)).toContain("activity_momentum@2026-11-10");
    expect(await firingsOf(brisk)).not.toContain("activity_momentum@2026-11-10");
    // The card carries the member's own numbers: 7 hours × 100 today against 7 × 500 on the previous days.
    const card = (await h.em().find(NudgeCard, { triggerName: "activity_momentum", user: { partnerUserId: slow.userId } }))[0];
    expect(card.itemBody.main).toBe("You're at 700 steps so far; by this hour you usually have at least 3,500. A 10-minute walk closes the gap.");
  });

  it("drops a nudge whose health action was deleted meanwhile instead of failing the batch", async () => {
    const t4 = await h.tenant();
    const m = await t4.member();
    const [row] = await h
      .em()
      .getConnection()
      .execute<MemberRow[]>(`select u.id, u.partner_user_id, u.org_id, u.first_name, 'UTC' as tz, 'basic' as delivery from users u where u.partner_user_id = ?`, [
        m.userId,
      ]);
    const member = toNudgeMember(row);
    const fired = await fireNudges(h.app.deps, [
      {
        member,
        origin: "schedule",
        firing: { trigger: "action_reminder", target: "health_action", healthActionId: crypto.randomUUID(), windowKey: "action:gone:0", facts: {} },
      },
      { member, origin: "schedule", firing: { trigger: "jet_lag", target: "card", windowKey: "2026-W40", facts: { difference_minutes: 70 } } },
    ]);
    expect(fired.map((f) => f.firing.trigger)).toEqual(["jet_lag"]);
    expect(await firingsOf(m)).toEqual(["jet_lag@2026-W40"]);
  });

  it("is scheduled every 15 minutes on the job engine unless NUDGE_SWEEP is off", async () => {
    const deps = h.app.deps;
    const idempotency = {} as IdempotencyStore;
    expect(maintenanceTasks(idempotency, deps.logger, deps).map((t) => t.name)).not.toContain("nudges.sweep"); // the harness turns it off
    const task = maintenanceTasks(idempotency, deps.logger, { ...deps, config: { ...deps.config, nudgeSweep: true } }).find((t) => t.name === "nudges.sweep");
    expect(task?.cron).toBe("*/15 * * * *");
    expect(SWEEP_CRON).toBe(task?.cron);
    await expect(task!.run()).resolves.toBeUndefined();
  });

  it("costs the same number of SQL statements for 3 or 13 members (set-based, no per-member queries)", async () => {
    const t3 = await h.tenant();
    const cohort = await Promise.all(Array.from({ length: 3 }, () => t3.member({ timezone: "UTC" })));
    for (const m of cohort) await steps(m, (ago) => 7000 + ago);
    const counted = async (at: DateTime) => {
      const sql: string[] = [];
      onQuery = (q) => sql.push(q);
      try {
        const r = await runNudgeSweep(h.app.deps, { now: at.toJSDate() });
        return { statements: sql.length, fired: r.fired };
      } finally {
        onQuery = null;
      }
    };
    const small = await counted(DateTime.fromISO("2026-11-05T15:00:00Z"));
    const more = await Promise.all(Array.from({ length: 10 }, () => t3.member({ timezone: "UTC" })));
    for (const m of more) await steps(m, (ago) => 7000 + ago);
    const large = await counted(DateTime.fromISO("2026-11-06T15:00:00Z"));
    expect(large.fired).toBeGreaterThan(small.fired);
    expect(large.statements).toBe(small.statements);
  });
});
