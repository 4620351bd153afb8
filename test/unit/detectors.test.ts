/**
 * The 13 nudge trigger detectors (spec §19): pure functions of a MemberSnapshot. For each one: at,
 * just below and just above its threshold, insufficient data, window keys, a member in
 * America/Los_Angeles across local midnight and America/New_York across the 2026 DST changes.
 */
import { DateTime } from "luxon";
import {
  DETECTORS,
  THRESHOLDS,
  TRIGGER_NAMES,
  runDetectors,
  type ActionPoint,
  type CheckInPoint,
  type DaySteps,
  type IntradaySteps,
  type MemberSnapshot,
  type Night,
  type TriggerName,
} from "../../resolvers/nudges/detectors";
import { clockMinutesFromOrigin, isoWeekKey, percentile } from "../../resolvers/nudges/detectors/util";

// ── fixtures ─────────────────────────────────────────────────────────────────────────────────
const LA = "America/Los_Angeles";
const NY = "America/New_York";
const HOUR = 3600;

/** A local wall-clock time (`2026-11-20T09:00`) in `zone` as an instant. */
function at(localIso: string, zone = LA): Date {
  const t = DateTime.fromISO(localIso, { zone });
  if (!t.isValid) throw new Error(`bad fixture time ${localIso}`);
  return t.toJSDate();
}
function addDays(date: string, n: number): string {
  return DateTime.fromISO(date, { zone: "UTC" }).plus({ days: n }).toISODate()!;
}

function snap(now: Date, zone: string, parts: Partial<MemberSnapshot> = {}): MemberSnapshot {
  return { userId: "u1", timezone: zone, now, dailySteps: [], nights: [], checkIns: [], actions: [], intradaySteps: [], ...parts };
}
function run(name: TriggerName, s: MemberSnapshot) {
  return DETECTORS[name](s);
}

/** Daily steps for consecutive dates ending at `lastDate` (values oldest first; null = no data that day). */
function stepDays(lastDate: string, values: (number | null)[]): DaySteps[] {
  const out: DaySteps[] = [];
  values.forEach((v, i) => {
    if (v !== null) out.push({ date: addDays(lastDate, i - values.length + 1), steps: v });
  });
  return out;
}
function repeat<T>(n: number, v: T): T[] {
  return Array.from({ length: n }, () => v);
}

/**
 * A night woken on local `date`: `start` is a local clock time, on the evening before when ≥ 18:00
 * else on `date` itself (after midnight); it lasts `hours` of real time.
 */
function night(date: string, start: string, hours: number, zone = LA, extra: Partial<Night> = {}): Night {
  const startDate = Number(start.slice(0, 2)) >= 18 ? addDays(date, -1) : date;
  const s = at(`${startDate}T${start}`, zone);
  return {
    date,
    start: s,
    end: new Date(s.getTime() + hours * HOUR * 1000),
    durationSeconds: Math.round(hours * HOUR),
    efficiency: 92,
    deepSeconds: null,
    remSeconds: null,
    awakeSeconds: null,
    ...extra,
  };
}
/** Nights for consecutive dates ending at `lastDate` with the given durations (seconds; null = no night). */
function nightsOf(lastDate: string, durations: (number | null)[], zone = LA): Night[] {
  const out: Night[] = [];
  durations.forEach((d, i) => {
    if (d !== null) out.push(night(addDays(lastDate, i - durations.length + 1), "23:00", d / HOUR, zone));
  });
  return out;
}
function checkIns(lastDate: string, moods: (number | null | undefined)[]): CheckInPoint[] {
  const out: CheckInPoint[] = [];
  moods.forEach((m, i) => {
    if (m !== undefined) out.push({ date: addDays(lastDate, i - moods.length + 1), moodRating: m, energyLevel: 3, sleepQuality: 3 });
  });
  return out;
}
function action(id: string, scheduledAt: Date, status = "pending", isFocus = true, title = `Action ${id}`): ActionPoint {
  return { id, title, status, scheduledAt, isFocus };
}

// ── helpers ──────────────────────────────────────────────────────────────────────────────────
describe("local clock helpers", () => {
  it("measures bedtime minutes from 18:00, so 23:30 and 00:30 are 60 apart", () => {
    expect(clockMinutesFromOrigin(at("2026-11-20T23:30"), LA)).toBe(330);
    expect(clockMinutesFromOrigin(at("2026-11-21T00:30"), LA)).toBe(390);
    expect(clockMinutesFromOrigin(at("2026-11-21T18:00"), LA)).toBe(0);
    expect(clockMinutesFromOrigin(at("2026-11-21T17:59"), LA)).toBe(1439);
  });
  it("uses the wall clock across DST changes (New York 2026-03-08 and 2026-11-01)", () => {
    // 03:30 EDT right after spring-forward, and 01:30 EST (the repeated hour, second pass).
    expect(clockMinutesFromOrigin(new Date("2026-03-08T07:30:00Z"), NY)).toBe(570);
    expect(clockMinutesFromOrigin(new Date("2026-11-01T06:30:00Z"), NY)).toBe(450);
    expect(clockMinutesFromOrigin(new Date("2026-11-01T05:30:00Z"), NY)).toBe(450); // 01:30 EDT, first pass
    // 23:00 local on both sides of the change is the same bedtime.
    expect(clockMinutesFromOrigin(at("2026-03-07T23:00", NY), NY)).toBe(clockMinutesFromOrigin(at("2026-03-08T23:00", NY), NY));
  });
  it("uses ISO week-years for week keys and linear-interpolated percentiles", () => {
    expect(isoWeekKey(DateTime.fromISO("2027-01-01", { zone: LA }))).toBe("2026-W53");
    expect(isoWeekKey(DateTime.fromISO("2026-11-20", { zone: LA }))).toBe("2026-W47");
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8], 25)).toBe(2.75);
  });
});

// ── missed_first_action ──────────────────────────────────────────────────────────────────────
describe("missed_first_action", () => {
  const now = at("2026-11-20T10:00");
  it("fires exactly 60 min past a pending focus action, not at 59:59, and above", () => {
    const f = run("missed_first_action", snap(now, LA, { actions: [action("a1", at("2026-11-20T09:00"), "pending", true, "Morning walk")] }));
    expect(f).toEqual({
      trigger: "missed_first_action",
      windowKey: "2026-11-20",
      target: "card",
      healthActionId: "a1",
      facts: { title: "Morning walk", scheduled_time: "09:00", minutes_overdue: 60 },
    });
    expect(run("missed_first_action", snap(now, LA, { actions: [action("a1", at("2026-11-20T09:00:01"))] }))).toBeNull();
    expect(run("missed_first_action", snap(now, LA, { actions: [action("a1", at("2026-11-20T08:59"))] }))?.facts.minutes_overdue).toBe(61);
  });
  it("counts status missed regardless of time, ignores non-focus, done and other-day actions", () => {
    expect(run("missed_first_action", snap(now, LA, { actions: [action("m", at("2026-11-20T09:30"), "missed")] }))?.healthActionId).toBe("m");
    for (const a of [
      action("x", at("2026-11-20T08:00"), "pending", false),
      action("y", at("2026-11-20T08:00"), "completed"),
      action("z", at("2026-11-20T08:00"), "skipped"),
      action("c", at("2026-11-20T08:00"), "cancelled"),
      action("old", at("2026-11-19T08:00"), "missed"),
    ]) {
      expect(run("missed_first_action", snap(now, LA, { actions: [a] }))).toBeNull();
    }
  });
  it("picks the earliest missed focus action today", () => {
    const actions = [action("later", at("2026-11-20T08:30")), action("done", at("2026-11-20T07:00"), "completed"), action("first", at("2026-11-20T08:00"), "missed")];
    expect(run("missed_first_action", snap(now, LA, { actions }))?.healthActionId).toBe("first");
  });
  it("uses the Los Angeles date across local midnight, not the UTC one", () => {
    const actions = [action("late", at("2026-11-20T22:30"))];
    // 23:45 PST on the 20th is already the 21st in UTC.
    const f = run("missed_first_action", snap(at("2026-11-20T23:45"), LA, { actions }));
    expect(f?.windowKey).toBe("2026-11-20");
    // 00:15 on the 21st: the action belongs to yesterday.
    expect(run("missed_first_action", snap(at("2026-11-21T00:15"), LA, { actions }))).toBeNull();
  });
});

// ── multiple_missed_actions ──────────────────────────────────────────────────────────────────
describe("multiple_missed_actions", () => {
  const now = at("2026-11-20T15:00");
  const missed3 = [
    action("a", at("2026-11-20T08:00"), "missed", false),
    action("b", at("2026-11-20T09:00"), "pending", false),
    action("c", at("2026-11-20T14:00"), "pending", true),
  ];
  it("fires at 3 missed, not at 2 or with the third only 59 min late, and counts 4", () => {
    expect(run("multiple_missed_actions", snap(now, LA, { actions: missed3 }))).toEqual({
      trigger: "multiple_missed_actions",
      windowKey: "2026-11-20",
      target: "card",
      facts: { missed_count: 3, scheduled_today: 3 },
    });
    expect(run("multiple_missed_actions", snap(now, LA, { actions: missed3.slice(0, 2) }))).toBeNull();
    expect(run("multiple_missed_actions", snap(now, LA, { actions: [...missed3.slice(0, 2), action("c", at("2026-11-20T14:01"))] }))).toBeNull();
    const four = [...missed3, action("d", at("2026-11-20T12:00"), "missed"), action("ok", at("2026-11-20T13:00"), "completed")];
    expect(run("multiple_missed_actions", snap(now, LA, { actions: four }))?.facts).toEqual({ missed_count: 4, scheduled_today: 5 });
  });
  it("counts today's actions in New York on the spring-forward day (2026-03-08), not yesterday's", () => {
    const actions = [
      action("y", new Date("2026-03-08T04:30:00Z"), "missed"), // 23:30 EST on the 7th (UTC date is the 8th)
      action("a", new Date("2026-03-08T05:30:00Z"), "missed"), // 00:30 EST
      action("b", new Date("2026-03-08T06:30:00Z"), "missed"), // 01:30 EST
      action("c", new Date("2026-03-08T07:30:00Z"), "pending"), // 03:30 EDT
    ];
    const f = run("multiple_missed_actions", snap(at("2026-03-08T12:00", NY), NY, { actions }));
    expect(f?.facts.missed_count).toBe(3);
    expect(f?.windowKey).toBe("2026-03-08");
    expect(run("multiple_missed_actions", snap(at("2026-03-08T12:00", NY), NY, { actions: actions.slice(0, 3) }))).toBeNull();
  });
});

// ── activity_momentum ────────────────────────────────────────────────────────────────────────
describe("activity_momentum", () => {
  const today = "2026-11-20";
  const now = at(`${today}T14:20`); // last completed hour h = 13 (steps up to 14:00)
  /** Previous days at 100…800 steps per hour: cumulative at h=13 is 1400…11200, p25 = 14 × 275 = 3850. */
  const history: IntradaySteps[] = [100, 200, 300, 400, 500, 600, 700, 800].map((rate, i) => ({
    date: addDays(today, -8 + i),
    cumulative: Array.from({ length: 24 }, (_, k) => rate * (k + 1)),
  }));
  /** Today's row: `v` up to hour 13, a huge number later (so a wrong hour would show). */
  const todayRow = (v: number, date = today): IntradaySteps => ({ date, cumulative: Array.from({ length: 15 }, (_, k) => (k <= 13 ? v : 99_999)) });
  const s = (v: number, extra: Partial<MemberSnapshot> = {}) => snap(now, LA, { intradaySteps: [...history, todayRow(v)], ...extra });

  it("fires strictly below the hour's 25th percentile", () => {
    expect(run("activity_momentum", s(3850))).toBeNull();
    expect(run("activity_momentum", s(3851))).toBeNull();
    expect(run("activity_momentum", s(3849))).toEqual({
      trigger: "activity_momentum",
      windowKey: today,
      target: "card",
      facts: { steps_so_far: 3849, p25_for_hour: 3850, hour: 13, as_of: "14:00", history_days: 8 },
    });
  });
  it("needs 7 previous days and today's data", () => {
    expect(run("activity_momentum", snap(now, LA, { intradaySteps: [...history.slice(1), todayRow(0)] }))?.facts.history_days).toBe(7);
    expect(run("activity_momentum", snap(now, LA, { intradaySteps: [...history.slice(2), todayRow(0)] }))).toBeNull();
    expect(run("activity_momentum", snap(now, LA, { intradaySteps: history }))).toBeNull();
    // History older than 28 days does not count.
    const old = history.slice(0, 2).map((d) => ({ ...d, date: addDays(d.date, -30) }));
    expect(run("activity_momentum", snap(now, LA, { intradaySteps: [...old, ...history.slice(2), todayRow(0)] }))).toBeNull();
  });
  it("is only evaluated between 10:00 and 20:00 local", () => {
    const rows = [...history, { date: today, cumulative: repeat(24, 0) }];
    expect(run("activity_momentum", snap(at(`${today}T09:59`), LA, { intradaySteps: rows }))).toBeNull();
    expect(run("activity_momentum", snap(at(`${today}T10:00`), LA, { intradaySteps: rows }))?.facts.hour).toBe(9);
    expect(run("activity_momentum", snap(at(`${today}T19:59`), LA, { intradaySteps: rows }))?.facts.hour).toBe(18);
    expect(run("activity_momentum", snap(at(`${today}T20:00`), LA, { intradaySteps: rows }))).toBeNull();
  });
  it("uses the Los Angeles date as today after 16:00 PST (UTC already tomorrow)", () => {
    const late = at(`${today}T17:30`); // 01:30Z on the 21st
    expect(run("activity_momentum", snap(late, LA, { intradaySteps: [...history, { date: today, cumulative: repeat(24, 0) }] }))?.windowKey).toBe(today);
    // A row dated the UTC date is not today's.
    expect(run("activity_momentum", snap(late, LA, { intradaySteps: [...history, { date: "2026-11-21", cumulative: repeat(24, 0) }] }))).toBeNull();
  });
});

// ── sleep_recovery ───────────────────────────────────────────────────────────────────────────
describe("sleep_recovery", () => {
  const today = "2026-11-20";
  const now = at(`${today}T08:00`);
  const good = (extra: Partial<Night> = {}) =>
    night(today, "23:00", 6, LA, { efficiency: 85, awakeSeconds: 0.2 * 6 * HOUR, deepSeconds: 3600, remSeconds: 5400, ...extra });
  it("does not fire exactly at 6 h, 85 % and 20 % awake", () => {
    expect(run("sleep_recovery", snap(now, LA, { nights: [good()] }))).toBeNull();
  });
  it("fires just below 6 h, below 85 % efficiency and above 20 % awake", () => {
    const short = run("sleep_recovery", snap(now, LA, { nights: [good({ durationSeconds: 6 * HOUR - 1, awakeSeconds: 3600 })] }));
    expect(short).toEqual({
      trigger: "sleep_recovery",
      windowKey: today,
      target: "card",
      facts: { reasons: "short_sleep", duration_hours: 6, efficiency_pct: 85, awake_pct: 17, awake_minutes: 60, deep_minutes: 60, rem_minutes: 90 },
    });
    expect(run("sleep_recovery", snap(now, LA, { nights: [good({ efficiency: 84.9 })] }))?.facts.reasons).toBe("low_efficiency");
    expect(run("sleep_recovery", snap(now, LA, { nights: [good({ efficiency: 85.1, durationSeconds: 6 * HOUR + 1 })] }))).toBeNull();
    expect(run("sleep_recovery", snap(now, LA, { nights: [good({ awakeSeconds: 0.2 * 6 * HOUR + 1 })] }))?.facts.reasons).toBe("restless");
    const all = run("sleep_recovery", snap(now, LA, { nights: [good({ durationSeconds: 5 * HOUR, efficiency: 70, awakeSeconds: 1.5 * HOUR })] }));
    expect(all?.facts).toMatchObject({ reasons: "short_sleep,low_efficiency,restless", duration_hours: 5, efficiency_pct: 70, awake_pct: 30, awake_minutes: 90 });
  });
  it("ignores unknown efficiency and stages, and nights not dated today", () => {
    const unknown = good({ efficiency: null, awakeSeconds: null, deepSeconds: null, remSeconds: null });
    expect(run("sleep_recovery", snap(now, LA, { nights: [unknown] }))).toBeNull();
    expect(run("sleep_recovery", snap(now, LA, { nights: [{ ...unknown, durationSeconds: 5 * HOUR }] }))?.facts).toEqual({ duration_hours: 5, reasons: "short_sleep" });
    expect(run("sleep_recovery", snap(now, LA, { nights: [night(addDays(today, -1), "23:00", 4)] }))).toBeNull();
  });
  it("takes today from the Los Angeles clock: 22:30 PST is still the night's date", () => {
    const evening = at(`${today}T22:30`); // 06:30Z on the 21st
    expect(run("sleep_recovery", snap(evening, LA, { nights: [night(today, "23:00", 4)] }))?.windowKey).toBe(today);
    expect(run("sleep_recovery", snap(evening, LA, { nights: [night("2026-11-21", "00:30", 4)] }))).toBeNull();
  });
});

// ── step_trend_declining ─────────────────────────────────────────────────────────────────────
describe("step_trend_declining", () => {
  const today = "2026-11-20"; // a Friday in 2026-W47
  const yesterday = addDays(today, -1);
  const now = at(`${today}T09:00`);
  // 18 days at 4100 then 10 at 2700: 28-day mean 3600, 0.75 × 3600 = 2700 exactly.
  const series = (lastRecent: number) => stepDays(yesterday, [...repeat(18, 4100), ...repeat(9, 2700), lastRecent]);
  it("fires at exactly 25 % below and just beyond, not just short of it", () => {
    expect(run("step_trend_declining", snap(now, LA, { dailySteps: series(2700) }))).toEqual({
      trigger: "step_trend_declining",
      windowKey: "2026-W47",
      target: "card",
      facts: { steps_10d_avg: 2700, steps_28d_avg: 3600, drop_pct: 25 },
    });
    expect(run("step_trend_declining", snap(now, LA, { dailySteps: series(2690) }))).not.toBeNull();
    expect(run("step_trend_declining", snap(now, LA, { dailySteps: series(2710) }))).toBeNull();
  });
  it("excludes today's partial day", () => {
    expect(run("step_trend_declining", snap(now, LA, { dailySteps: [...series(2710), { date: today, steps: 10 }] }))).toBeNull();
  });
  it("needs 7 of the last 10 days and 20 of the last 28", () => {
    const gaps10 = stepDays(yesterday, [...repeat(18, 4100), 2000, 2000, 2000, 2000, 2000, 2000, 2000, null, null, null]);
    expect(run("step_trend_declining", snap(now, LA, { dailySteps: gaps10 }))).not.toBeNull();
    const fewer10 = stepDays(yesterday, [...repeat(18, 4100), 2000, 2000, 2000, 2000, 2000, 2000, null, null, null, null]);
    expect(run("step_trend_declining", snap(now, LA, { dailySteps: fewer10 }))).toBeNull();
    const base20 = stepDays(yesterday, [...repeat(8, null), ...repeat(10, 4100), ...repeat(10, 2000)]);
    expect(run("step_trend_declining", snap(now, LA, { dailySteps: base20 }))).not.toBeNull();
    const base19 = stepDays(yesterday, [...repeat(9, null), ...repeat(9, 4100), ...repeat(10, 2000)]);
    expect(run("step_trend_declining", snap(now, LA, { dailySteps: base19 }))).toBeNull();
    expect(run("step_trend_declining", snap(now, LA, { dailySteps: stepDays(yesterday, repeat(28, 0)) }))).toBeNull();
  });
  it("keys the window by the Los Angeles ISO week across Sunday→Monday midnight", () => {
    const sunday = "2026-11-22";
    const data = stepDays(addDays(sunday, -1), [...repeat(18, 4100), ...repeat(10, 2000)]);
    // 23:30 Sunday PST is Monday 07:30Z (2026-W48 in UTC) — the member's week is still W47.
    expect(run("step_trend_declining", snap(at(`${sunday}T23:30`), LA, { dailySteps: data }))?.windowKey).toBe("2026-W47");
    const monday = stepDays(sunday, [...repeat(18, 4100), ...repeat(10, 2000)]);
    expect(run("step_trend_declining", snap(at("2026-11-23T00:30"), LA, { dailySteps: monday }))?.windowKey).toBe("2026-W48");
  });
});

// ── sleep_trend_declining ────────────────────────────────────────────────────────────────────
describe("sleep_trend_declining", () => {
  const today = "2026-11-20";
  const now = at(`${today}T09:00`);
  // 25 nights of 30540 s then 3 of 25500 s: 28-night mean 30000, 0.85 × 30000 = 25500 exactly.
  const series = (last: number, lastDate = today) => nightsOf(lastDate, [...repeat(25, 30540), 25500, 25500, last]);
  it("fires strictly below 0.85 × the 28-night mean", () => {
    expect(run("sleep_trend_declining", snap(now, LA, { nights: series(25500) }))).toBeNull();
    expect(run("sleep_trend_declining", snap(now, LA, { nights: series(25503) }))).toBeNull();
    expect(run("sleep_trend_declining", snap(now, LA, { nights: series(25497) }))).toEqual({
      trigger: "sleep_trend_declining",
      windowKey: "2026-W47",
      target: "card",
      facts: { sleep_3d_avg_hours: 7.1, sleep_28d_avg_hours: 8.3, drop_pct: 15 },
    });
  });
  it("ends the window at yesterday's night when the member has not woken yet", () => {
    expect(run("sleep_trend_declining", snap(now, LA, { nights: series(25497, addDays(today, -1)) }))).not.toBeNull();
    expect(run("sleep_trend_declining", snap(now, LA, { nights: series(25497, addDays(today, -2)) }))).toBeNull();
  });
  it("needs all 3 recent nights and 14 in the 28", () => {
    expect(run("sleep_trend_declining", snap(now, LA, { nights: nightsOf(today, [...repeat(25, 30540), 20000, null, 20000]) }))).toBeNull();
    expect(run("sleep_trend_declining", snap(now, LA, { nights: nightsOf(today, [...repeat(14, null), ...repeat(11, 30000), 20000, 20000, 20000]) }))).not.toBeNull();
    expect(run("sleep_trend_declining", snap(now, LA, { nights: nightsOf(today, [...repeat(15, null), ...repeat(10, 30000), 20000, 20000, 20000]) }))).toBeNull();
  });
});

// ── mood_trend_down ──────────────────────────────────────────────────────────────────────────
describe("mood_trend_down", () => {
  const today = "2026-11-20";
  const now = at(`${today}T09:00`);
  // 6 older check-ins at 5 and 3 recent at 2: 28-day mean 4, recent median 2 = 4 − 2.
  const older = (vals: number[]) => checkIns(addDays(today, -10), vals);
  const recent = checkIns(today, [2, 2, 2]);
  it("fires at exactly 2 points below and beyond, not just short of it", () => {
    expect(run("mood_trend_down", snap(now, LA, { checkIns: [...older([5, 5, 5, 5, 5, 5]), ...recent] }))).toEqual({
      trigger: "mood_trend_down",
      windowKey: "2026-W47",
      target: "card",
      facts: { mood_5d_median: 2, mood_28d_avg: 4, drop_points: 2, recent_check_ins: 3 },
    });
    // mean 35/9 = 3.89: median 2 is only 1.89 below.
    expect(run("mood_trend_down", snap(now, LA, { checkIns: [...older([5, 5, 5, 5, 5, 4]), ...recent] }))).toBeNull();
    // a fourth recent check-in: mean 4.1, median still 2 → 2.1 below.
    expect(run("mood_trend_down", snap(now, LA, { checkIns: [...older([5, 5, 5, 5, 5, 5]), ...checkIns(today, [2, 2, 2, 5])] }))?.facts.mood_28d_avg).toBe(4.1);
  });
  it("needs 3 moods in the last 5 days (today included) and 7 in the 28", () => {
    const five = checkIns(today, [2, undefined, undefined, 2, null, 2]); // today−5 is outside the 5 days
    expect(run("mood_trend_down", snap(now, LA, { checkIns: [...older([5, 5, 5, 5, 5, 5]), ...five] }))).toBeNull();
    expect(run("mood_trend_down", snap(now, LA, { checkIns: [...older([5, 5, 5, 5, 5, 5]), ...checkIns(today, [2, 2, 2])] }))).not.toBeNull();
    expect(run("mood_trend_down", snap(now, LA, { checkIns: [...older([5, 5, 5]), ...checkIns(today, [1, 1, 1])] }))).toBeNull();
    const tooOld = checkIns(addDays(today, -28), [5, 5, 5, 5]); // dates today−31…today−28: outside the 28 days
    expect(run("mood_trend_down", snap(now, LA, { checkIns: [...tooOld, ...older([5, 5, 5]), ...checkIns(today, [1, 1, 1])] }))).toBeNull();
  });
});

// ── bedtime_drift ────────────────────────────────────────────────────────────────────────────
describe("bedtime_drift", () => {
  const today = "2026-11-20";
  const now = at(`${today}T09:00`);
  /** 4 previous nights starting at `prev`, then 3 recent ones at `recent` (dates today−6…today). */
  const week = (prev: string, recent: string, zone = LA, lastDate = today) =>
    [prev, prev, prev, prev, recent, recent, recent].map((start, i) => night(addDays(lastDate, i - 6), start, 7.5, zone));
  it("fires above 45 min, not at exactly 45", () => {
    expect(run("bedtime_drift", snap(now, LA, { nights: week("23:00", "23:45") }))).toBeNull();
    expect(run("bedtime_drift", snap(now, LA, { nights: week("23:00", "23:46") }))).toEqual({
      trigger: "bedtime_drift",
      windowKey: "2026-W47",
      target: "card",
      facts: { recent_bedtime: "23:46", previous_bedtime: "23:00", shift_minutes: 46, direction: "later" },
    });
    expect(run("bedtime_drift", snap(now, LA, { nights: week("23:00", "22:14") }))?.facts).toMatchObject({ shift_minutes: 46, direction: "earlier" });
  });
  it("measures across midnight: 23:30 → 00:30 is 60 min, 23:50 → 00:20 is 30", () => {
    expect(run("bedtime_drift", snap(now, LA, { nights: week("23:30", "00:30") }))?.facts).toMatchObject({ shift_minutes: 60, recent_bedtime: "00:30" });
    expect(run("bedtime_drift", snap(now, LA, { nights: week("23:50", "00:20") }))).toBeNull();
  });
  it("needs 3 recent and 2 previous nights within the last 7 days", () => {
    const w = week("23:00", "01:00");
    expect(run("bedtime_drift", snap(now, LA, { nights: w.slice(2) }))).not.toBeNull();
    expect(run("bedtime_drift", snap(now, LA, { nights: w.slice(3) }))).toBeNull();
    // Nights older than 7 days are not the reference.
    const old = [night(addDays(today, -9), "23:00", 7), night(addDays(today, -8), "23:00", 7), night(addDays(today, -7), "23:00", 7)];
    expect(run("bedtime_drift", snap(now, LA, { nights: [...old, ...w.slice(3)] }))).toBeNull();
  });
  it("sees no drift for a steady 23:00 bedtime across both New York DST changes", () => {
    // Spring: nights dated 03-05…03-11 start 23:00 EST (04:00Z) then 23:00 EDT (03:00Z).
    const spring = week("23:00", "23:00", NY, "2026-03-11");
    expect(run("bedtime_drift", snap(at("2026-03-11T09:00", NY), NY, { nights: spring }))).toBeNull();
    // Fall: nights dated 10-29…11-04 start 23:00 EDT then 23:00 EST.
    const fall = week("23:00", "23:00", NY, "2026-11-04");
    expect(run("bedtime_drift", snap(at("2026-11-04T09:00", NY), NY, { nights: fall }))).toBeNull();
    // A real 46-minute shift across the spring change still fires, keyed by the local ISO week.
    const f = run("bedtime_drift", snap(at("2026-03-11T09:00", NY), NY, { nights: week("23:00", "23:46", NY, "2026-03-11") }));
    expect(f).toMatchObject({ windowKey: "2026-W11", facts: { shift_minutes: 46 } });
  });
});

// ── jet_lag ──────────────────────────────────────────────────────────────────────────────────
describe("jet_lag", () => {
  const today = "2026-11-22"; // Sunday: nights dated 11-09…11-22 start on evenings 11-08…11-21
  const now = at(`${today}T10:00`);
  /** Weekday nights 23:00–07:00 (midpoint 03:00); nights after Fri/Sat evenings start at `weekendStart`, 8 h. */
  function fortnight(weekendStart: string, zone = LA, lastDate = today): Night[] {
    return Array.from({ length: 14 }, (_, i) => {
      const date = addDays(lastDate, i - 13);
      const evening = DateTime.fromISO(addDays(date, -1), { zone: "UTC" }).weekday;
      return evening === 5 || evening === 6 ? night(date, weekendStart, 8, zone) : night(date, "23:00", 8, zone);
    });
  }
  it("fires at a 60-min midpoint difference, not at 59, and above", () => {
    // Weekend starts at 00:00 Saturday/Sunday: still Friday/Saturday nights. 23:00 PST Thursday is
    // 07:00Z Friday: only the local evening keeps it a weekday night (4 weekend, 10 weekday).
    expect(run("jet_lag", snap(now, LA, { nights: fortnight("00:00") }))).toEqual({
      trigger: "jet_lag",
      windowKey: "2026-W47",
      target: "card",
      facts: { weekend_midpoint: "04:00", weekday_midpoint: "03:00", difference_minutes: 60, direction: "later_on_weekends", weekend_nights: 4, weekday_nights: 10 },
    });
    expect(run("jet_lag", snap(now, LA, { nights: fortnight("23:59") }))).toBeNull();
    expect(run("jet_lag", snap(now, LA, { nights: fortnight("01:30") }))?.facts.difference_minutes).toBe(150);
  });
  it("needs 2 weekend and 4 weekday nights in the last 14 days", () => {
    const all = fortnight("01:00");
    const weekend = all.filter((n) => [5, 6].includes(DateTime.fromISO(addDays(n.date, -1)).weekday));
    const weekday = all.filter((n) => !weekend.includes(n));
    expect(run("jet_lag", snap(now, LA, { nights: [...weekend.slice(0, 2), ...weekday.slice(0, 4)] }))).not.toBeNull();
    expect(run("jet_lag", snap(now, LA, { nights: [...weekend.slice(0, 1), ...weekday] }))).toBeNull();
    expect(run("jet_lag", snap(now, LA, { nights: [...weekend, ...weekday.slice(0, 3)] }))).toBeNull();
    // Shifted 14 days into the past, the same fortnight is out of the window.
    expect(run("jet_lag", snap(now, LA, { nights: fortnight("01:00", LA, addDays(today, -14)) }))).toBeNull();
  });
  it("classifies weekend nights by the New York local evening across the fall-back change", () => {
    // Nights dated 10-22…11-04: the weekend nights (Fri/Sat evenings 10-23, 10-24, 10-30, 10-31) start
    // at 01:00 the next morning, weekday nights at 23:00, all 8 h. The night dated 11-01 starts in the
    // repeated hour (luxon resolves 01:00 to EST, 06:00Z); its midpoint 10:00Z reads 05:00 EST, like
    // the others. A UTC weekday would misfile the 23:00 Thursday nights (04:00Z Friday) as weekend.
    const f = run("jet_lag", snap(at("2026-11-04T10:00", NY), NY, { nights: fortnight("01:00", NY, "2026-11-04") }));
    expect(f).toMatchObject({
      windowKey: "2026-W45",
      facts: { weekend_nights: 4, weekday_nights: 10, weekend_midpoint: "05:00", weekday_midpoint: "03:00", difference_minutes: 120 },
    });
  });
});

// ── bounce_back ──────────────────────────────────────────────────────────────────────────────
describe("bounce_back", () => {
  const today = "2026-11-20";
  const yesterday = addDays(today, -1);
  const now = at(`${today}T09:00`);
  /** 25 days at 8200 then dips [d1, 4000, 9000]: with d1 = 6000 the 28-day mean is 8000 and 0.75 × mean = 6000. */
  const days = (d1: number, y: number | null) => stepDays(yesterday, [...repeat(25, 8200), d1, 4000, 9000, y]);
  it("needs yesterday ≥ the 28-day mean", () => {
    const d = stepDays(yesterday, [...repeat(25, 8400), 4200, 4200, 8400, 8100]); // mean 8100
    expect(run("bounce_back", snap(now, LA, { dailySteps: d }))).toEqual({
      trigger: "bounce_back",
      windowKey: today,
      target: "card",
      facts: { yesterday_steps: 8100, steps_28d_avg: 8100, dip_days: 2, dip_days_avg: 4200 },
    });
    expect(run("bounce_back", snap(now, LA, { dailySteps: [...d.slice(0, -1), { date: yesterday, steps: 8101 }] }))).not.toBeNull();
    expect(run("bounce_back", snap(now, LA, { dailySteps: [...d.slice(0, -1), { date: yesterday, steps: 8099 }] }))).toBeNull();
  });
  it("needs 2 of the 3 days before yesterday strictly below 0.75 × the mean", () => {
    expect(run("bounce_back", snap(now, LA, { dailySteps: days(6000, 9000) }))).toBeNull();
    expect(run("bounce_back", snap(now, LA, { dailySteps: days(5999, 9000) }))?.facts.dip_days).toBe(2);
    expect(run("bounce_back", snap(now, LA, { dailySteps: days(6001, 9000) }))).toBeNull();
  });
  it("needs yesterday's data and 14 baseline days", () => {
    expect(run("bounce_back", snap(now, LA, { dailySteps: days(1000, null) }))).toBeNull();
    expect(run("bounce_back", snap(now, LA, { dailySteps: stepDays(yesterday, [...repeat(11, 8000), 1000, 1000, 8000, 9000]) }))).not.toBeNull();
    expect(run("bounce_back", snap(now, LA, { dailySteps: stepDays(yesterday, [...repeat(10, 8000), 1000, 1000, 8000, 9000]) }))).toBeNull();
    // a missing dip day is not a dip
    expect(run("bounce_back", snap(now, LA, { dailySteps: stepDays(yesterday, [...repeat(25, 8000), 1000, null, 8000, 9000]) }))).toBeNull();
  });
  it("moves 'yesterday' and the window at Los Angeles midnight", () => {
    const d = days(1000, 9000);
    expect(run("bounce_back", snap(at(`${today}T23:59`), LA, { dailySteps: d }))?.windowKey).toBe(today);
    expect(run("bounce_back", snap(at(`${addDays(today, 1)}T00:01`), LA, { dailySteps: d }))).toBeNull();
  });
});

// ── morning_report ───────────────────────────────────────────────────────────────────────────
describe("morning_report", () => {
  const today = "2026-11-20";
  it("fires in [07:00, 12:00) local only", () => {
    expect(run("morning_report", snap(at(`${today}T06:59`), LA))).toBeNull();
    expect(run("morning_report", snap(at(`${today}T07:00`), LA))).toEqual({
      trigger: "morning_report",
      windowKey: today,
      target: "card",
      facts: { date: today, data: "none" },
    });
    expect(run("morning_report", snap(at(`${today}T11:59`), LA))?.windowKey).toBe(today);
    expect(run("morning_report", snap(at(`${today}T12:00`), LA))).toBeNull();
  });
  it("reports last night and yesterday's steps when present", () => {
    const s = snap(at(`${today}T08:00`), LA, { nights: [night(today, "23:15", 7.46, LA, { efficiency: 90.6 })], dailySteps: stepDays(addDays(today, -1), [8123]) });
    expect(run("morning_report", s)?.facts).toEqual({ date: today, sleep_hours: 7.5, sleep_efficiency_pct: 91, yesterday_steps: 8123, data: "sleep,steps" });
    const onlySteps = snap(at(`${today}T08:00`), LA, { nights: [night(addDays(today, -1), "23:00", 7)], dailySteps: stepDays(addDays(today, -1), [5000]) });
    expect(run("morning_report", onlySteps)?.facts).toEqual({ date: today, yesterday_steps: 5000, data: "steps" });
  });
  it("uses the New York local hour on the DST days", () => {
    // 07:00 EDT on 2026-03-08 is 11:00Z; 07:00 EST on 2026-11-01 is 12:00Z.
    expect(run("morning_report", snap(new Date("2026-03-08T11:00:00Z"), NY))?.windowKey).toBe("2026-03-08");
    expect(run("morning_report", snap(new Date("2026-03-08T10:59:00Z"), NY))).toBeNull();
    expect(run("morning_report", snap(new Date("2026-11-01T12:00:00Z"), NY))?.windowKey).toBe("2026-11-01");
    expect(run("morning_report", snap(new Date("2026-11-01T11:59:00Z"), NY))).toBeNull();
  });
});

// ── daily_content_recommendation ─────────────────────────────────────────────────────────────
describe("daily_content_recommendation", () => {
  const today = "2026-11-20";
  const noon = at(`${today}T13:00`);
  const sleepWeek = (seconds: number) => nightsOf(today, repeat(7, seconds));
  const stepWeek = (steps: number) => stepDays(addDays(today, -1), repeat(7, steps));
  it("fires in [12:00, 20:00) local, keyed by the Los Angeles date after UTC midnight", () => {
    expect(run("daily_content_recommendation", snap(at(`${today}T11:59`), LA))).toBeNull();
    expect(run("daily_content_recommendation", snap(at(`${today}T12:00`), LA))).toEqual({
      trigger: "daily_content_recommendation",
      windowKey: today,
      target: "card",
      facts: { topic: "mindfulness", basis: "no_data" },
    });
    expect(run("daily_content_recommendation", snap(at(`${today}T19:59`), LA))?.windowKey).toBe(today); // 03:59Z on the 21st
    expect(run("daily_content_recommendation", snap(at(`${today}T20:00`), LA))).toBeNull();
  });
  it("picks sleep below 7 h, else activity below 7000 steps, else mindfulness", () => {
    const pick = (nights: Night[], dailySteps: DaySteps[], ci: CheckInPoint[] = []) =>
      run("daily_content_recommendation", snap(noon, LA, { nights, dailySteps, checkIns: ci }))?.facts;
    expect(pick(sleepWeek(7 * HOUR - 1), stepWeek(3000))).toEqual({ topic: "sleep", basis: "sleep_7d_avg_hours", sleep_7d_avg_hours: 7, steps_7d_avg: 3000 });
    expect(pick(sleepWeek(7 * HOUR), stepWeek(6999))).toEqual({ topic: "activity", basis: "steps_7d_avg", sleep_7d_avg_hours: 7, steps_7d_avg: 6999 });
    expect(pick(sleepWeek(7 * HOUR), stepWeek(7000), checkIns(today, [4, 3, 4]))).toEqual({
      topic: "mindfulness",
      basis: "mood_7d_avg",
      sleep_7d_avg_hours: 7,
      steps_7d_avg: 7000,
      mood_7d_avg: 3.7,
    });
    expect(pick(sleepWeek(8 * HOUR), stepWeek(9000))).toMatchObject({ topic: "mindfulness", basis: "no_gap_found" });
    // fewer than 3 nights are not enough to call sleep the weakest area
    expect(pick(nightsOf(today, [4 * HOUR, 4 * HOUR]), stepWeek(9000))).toMatchObject({ topic: "mindfulness" });
    // deterministic
    expect(pick(sleepWeek(5 * HOUR), stepWeek(3000))).toEqual(pick(sleepWeek(5 * HOUR), stepWeek(3000)));
  });
});

// ── action_reminder ──────────────────────────────────────────────────────────────────────────
describe("action_reminder", () => {
  const when = at("2026-11-20T15:00");
  const epoch = when.getTime() / 1000;
  const s = (now: Date, actions: ActionPoint[]) => snap(now, LA, { actions });
  it("fires from exactly 60 min before until just before the scheduled time", () => {
    const a = [action("a1", when, "pending", false, "Stretch")];
    expect(run("action_reminder", s(at("2026-11-20T13:59:59"), a))).toBeNull();
    expect(run("action_reminder", s(at("2026-11-20T14:00"), a))).toEqual({
      trigger: "action_reminder",
      windowKey: `action:a1:${epoch}`,
      target: "health_action",
      healthActionId: "a1",
      facts: { title: "Stretch", scheduled_time: "15:00", minutes_until: 60 },
    });
    expect(run("action_reminder", s(at("2026-11-20T14:59:59"), a))?.facts.minutes_until).toBe(1);
    expect(run("action_reminder", s(when, a))).toBeNull();
  });
  it("reminds about the earliest pending action only, and rekeys a rescheduled one", () => {
    const now = at("2026-11-20T14:30");
    const actions = [action("late", at("2026-11-20T15:20")), action("done", at("2026-11-20T14:40"), "completed"), action("soon", at("2026-11-20T15:00"))];
    expect(run("action_reminder", s(now, actions))?.healthActionId).toBe("soon");
    const moved = run("action_reminder", s(now, [action("soon", at("2026-11-20T15:10"))]));
    expect(moved?.windowKey).toBe(`action:soon:${epoch + 600}`);
    expect(run("action_reminder", s(now, [action("x", at("2026-11-20T15:00"), "missed")]))).toBeNull();
  });
  it("works across Los Angeles midnight and the New York spring-forward gap", () => {
    const midnight = at("2026-11-21T00:30");
    expect(run("action_reminder", s(at("2026-11-20T23:45"), [action("m", midnight)]))?.facts).toMatchObject({ minutes_until: 45, scheduled_time: "00:30" });
    // 01:30 EST → 03:30 EDT is 60 real minutes.
    const ny = run("action_reminder", snap(new Date("2026-03-08T06:30:00Z"), NY, { actions: [action("d", new Date("2026-03-08T07:30:00Z"))] }));
    expect(ny?.facts).toMatchObject({ minutes_until: 60, scheduled_time: "03:30" });
  });
});

// ── registry ─────────────────────────────────────────────────────────────────────────────────
describe("DETECTORS / runDetectors / THRESHOLDS", () => {
  it("has exactly the 13 triggers and each one names itself", () => {
    expect(Object.keys(DETECTORS).sort()).toEqual([...TRIGGER_NAMES].sort());
    expect(TRIGGER_NAMES).toHaveLength(13);
  });
  it("carries the spec's binding thresholds", () => {
    expect(THRESHOLDS).toMatchObject({
      OVERDUE_MINUTES: 60,
      MULTIPLE_MISSED_MIN_COUNT: 3,
      MOMENTUM_PERCENTILE: 25,
      STEP_TREND_RECENT_DAYS: 10,
      STEP_TREND_BASELINE_DAYS: 28,
      STEP_TREND_DROP: 0.25,
      SLEEP_TREND_RECENT_NIGHTS: 3,
      SLEEP_TREND_RATIO: 0.85,
      MOOD_TREND_RECENT_DAYS: 5,
      MOOD_TREND_DROP_POINTS: 2,
      BEDTIME_DRIFT_MINUTES: 45,
      BEDTIME_WINDOW_DAYS: 7,
      REMINDER_LEAD_MINUTES: 60,
    });
  });
  it("runs all detectors in trigger order; an empty member at 09:00 only gets the morning report", () => {
    expect(runDetectors(snap(at("2026-11-20T09:00"), LA)).map((f) => f.trigger)).toEqual(["morning_report"]);
    expect(runDetectors(snap(at("2026-11-20T03:00"), LA))).toEqual([]);
    const today = "2026-11-20";
    const busy = snap(at(`${today}T14:20`), LA, {
      actions: [action("a", at(`${today}T08:00`), "missed"), action("b", at(`${today}T09:00`)), action("c", at(`${today}T10:00`)), action("r", at(`${today}T15:00`))],
      nights: [night(today, "23:00", 5)],
      dailySteps: stepDays(addDays(today, -1), [...repeat(18, 4100), ...repeat(10, 2000)]),
    });
    const fired = runDetectors(busy);
    expect(fired.map((f) => f.trigger)).toEqual([
      "missed_first_action",
      "multiple_missed_actions",
      "sleep_recovery",
      "step_trend_declining",
      "daily_content_recommendation",
      "action_reminder",
    ]);
    for (const f of fired) expect(DETECTORS[f.trigger](busy)).toEqual(f);
  });
  it("falls back to UTC for an unknown or empty zone", () => {
    expect(runDetectors(snap(new Date("2026-11-20T08:00:00Z"), "Not/AZone")).map((f) => [f.trigger, f.windowKey])).toEqual([["morning_report", "2026-11-20"]]);
    expect(runDetectors(snap(new Date("2026-11-20T08:00:00Z"), "")).map((f) => f.windowKey)).toEqual(["2026-11-20"]);
  });
});
