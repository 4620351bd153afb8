/**
 * The built-in, deterministic nudge-card writer: every sentence is built from the firing's facts
 * (the member's own numbers, computed by the detector). Same facts → same text.
 */
export interface NudgeFacts {
  trigger: string;
  facts: Record<string, number | string>;
  /** The member's first name when known (personalises the header). */
  firstName?: string | null;
}

export interface NudgeText {
  itemHeader: string;
  header: string;
  main: string;
  description: string;
  audioScript: string;
  modelVersion: string;
}

export const BUILTIN_NUDGE_MODEL = "thrive-builtin-nudges-1";

const num = (f: Record<string, number | string>, ...keys: string[]): number | null => {
  for (const k of keys) {
    const v = f[k];
    if (typeof v === "number" && Number.isFinite(v)) return v;
  }
  return null;
};
const str = (f: Record<string, number | string>, ...keys: string[]): string | null => {
  for (const k of keys) if (typeof f[k] === "string" && f[k]) return f[k];
  return null;
};
const n0 = (v: number) => Math.round(v).toLocaleString("en-US");
const hours = (seconds: number) => `${(Math.round((seconds / 3600) * 10) / 10).toFixed(1)} h`;
const humanKey = (k: string) => k.replace(/_/g, " ");

/** Every fact as "key value" phrases, for the description line. */
function factLine(f: Record<string, number | string>): string {
  const parts = Object.entries(f)
    .filter(([, v]) => v !== "" && v !== null)
    .map(([k, v]) => `${humanKey(k)}: ${typeof v === "number" ? (Number.isInteger(v) ? n0(v) : String(Math.round(v * 10) / 10)) : v}`);
  return parts.length ? `Based on your data (${parts.join("; ")}).` : "Based on your recent data.";
}

type Writer = (f: Record<string, number | string>) => { header: string; main: string };

const WRITERS: Record<string, Writer> = {
  missed_first_action: (f) => ({
    header: "Still time for today's focus",
    main: `"${str(f, "title", "action_title") ?? "Your focus action"}" was planned ${num(f, "minutes_overdue") !== null ? `${n0(num(f, "minutes_overdue")!)} minutes ago` : "earlier today"}. A short version still counts.`,
  }),
  multiple_missed_actions: (f) => ({
    header: "Let's reset today's plan",
    main: `${num(f, "missed_count") ?? "Several"} of today's actions slipped by. Pick the one that matters most and do just that.`,
  }),
  activity_momentum: (f) => ({
    header: "A few steps to catch up",
    main: `You're at ${n0(num(f, "steps_so_far", "steps") ?? 0)} steps so far; by this hour you usually have at least ${n0(num(f, "p25_for_hour", "p25") ?? 0)}. A 10-minute walk closes the gap.`,
  }),
  sleep_recovery: (f) => {
    const d = num(f, "duration_seconds");
    const h = num(f, "duration_hours", "sleep_hours");
    const eff = num(f, "efficiency_pct", "sleep_efficiency_pct", "efficiency");
    const dur = d !== null ? hours(d) : h !== null ? `${h} h` : null;
    return {
      header: "Take it easy today",
      main: `Last night you slept ${dur ?? "less than usual"}${eff !== null ? ` at ${Math.round(eff)}% efficiency` : ""}. Keep today's effort light and aim for an earlier night.`,
    };
  },
  step_trend_declining: (f) => ({
    header: "Your steps are trending down",
    main: `Your 10-day average is ${n0(num(f, "steps_10d_avg", "recent_avg") ?? 0)} steps, ${num(f, "drop_pct") !== null ? `${Math.round(num(f, "drop_pct")!)}% ` : ""}below your 28-day average of ${n0(num(f, "steps_28d_avg", "baseline_avg") ?? 0)}.`,
  }),
  sleep_trend_declining: (f) => {
    const recent = num(f, "sleep_3d_avg_hours", "recent_avg_hours");
    const base = num(f, "sleep_28d_avg_hours", "baseline_avg_hours");
    return {
      header: "Your sleep is running short",
      main: `Over the last 3 nights you averaged ${recent !== null ? `${recent} h` : "less sleep"}${base !== null ? `, against ${base} h over the last 4 weeks` : ""}. Protect your wind-down time tonight.`,
    };
  },
  mood_trend_down: (f) => ({
    header: "Checking in on you",
    main: `Your recent check-ins${num(f, "mood_5d_median", "recent_median") !== null ? ` (median mood ${num(f, "mood_5d_median", "recent_median")})` : ""} are lower than your usual${num(f, "mood_28d_avg", "baseline_avg") !== null ? ` ${num(f, "mood_28d_avg", "baseline_avg")}` : ""}. Something small you enjoy can help today.`,
  }),
  bedtime_drift: (f) => ({
    header: "Your bedtime is drifting",
    main: `Your bedtime moved ${str(f, "direction") === "earlier" ? "earlier" : "later"} by about ${n0(num(f, "shift_minutes", "drift_minutes") ?? 45)} minutes this week${str(f, "previous_bedtime") && str(f, "recent_bedtime") ? ` (from ${str(f, "previous_bedtime")} to ${str(f, "recent_bedtime")})` : ""}. A steady bedtime makes mornings easier.`,
  }),
  jet_lag: (f) => ({
    header: "Weekend sleep shift",
    main: `On weekends your sleep is about ${n0(num(f, "difference_minutes", "midpoint_shift_minutes", "shift_minutes") ?? 60)} minutes off your weekday rhythm. Keeping it within an hour helps Mondays.`,
  }),
  bounce_back: (f) => ({
    header: "Nice bounce back",
    main: `Yesterday you reached ${n0(num(f, "yesterday_steps", "steps") ?? 0)} steps after a quieter few days. Keep the momentum going.`,
  }),
  morning_report: (f) => {
    const d = num(f, "sleep_duration_seconds", "duration_seconds");
    const h = num(f, "sleep_hours", "sleep_duration_hours");
    const steps = num(f, "yesterday_steps", "steps_yesterday");
    const parts: string[] = [];
    if (d !== null) parts.push(`you slept ${hours(d)}`);
    else if (h !== null) parts.push(`you slept ${h} h`);
    const eff = num(f, "sleep_efficiency_pct");
    if (parts.length && eff !== null) parts[0] += ` at ${Math.round(eff)}% efficiency`;
    if (steps !== null) parts.push(`yesterday you took ${n0(steps)} steps`);
    return {
      header: "Your morning report",
      main: parts.length ? `Good morning: ${parts.join(" and ")}.` : "Good morning! Sync your device to see last night's sleep and yesterday's activity here.",
    };
  },
  daily_content_recommendation: (f) => {
    const topic = str(f, "topic") ?? "mindfulness";
    return {
      header: `Today's read: ${humanKey(topic)}`,
      main: `We picked ${humanKey(topic)} for you today, based on your last week of data.`,
    };
  },
  action_reminder: (f) => ({
    header: "Coming up",
    main: `"${str(f, "title") ?? "Your health action"}" starts in ${n0(num(f, "minutes_until") ?? 60)} minutes.`,
  }),
};

export function writeNudgeText(input: NudgeFacts): NudgeText {
  const w = WRITERS[input.trigger] ?? ((): { header: string; main: string } => ({ header: "A note from your coach", main: "Here is something for today." }));
  const { header, main } = w(input.facts);
  const itemHeader = input.firstName ? `${input.firstName}, ${header.charAt(0).toLowerCase()}${header.slice(1)}` : header;
  const description = factLine(input.facts);
  return { itemHeader, header, main, description, audioScript: `${itemHeader}. ${main}`, modelVersion: BUILTIN_NUDGE_MODEL };
}
