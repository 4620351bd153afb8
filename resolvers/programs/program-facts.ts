import type { EntityManager } from "@mikro-orm/postgresql";
import { DateTime } from "luxon";
import type { User } from "../../entities/users/user.entity";
import { PROGRAM_WINDOW_DAYS, type ProgramFacts } from "../_shared/ai/program-plan";
import { sourceRankSql } from "../metrics";

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const median = (xs: number[]) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/**
 * The member's last 28 local days (ending today in their zone), one source per day by
 * METRIC_SOURCE_PRIORITY like every other read: activity and sleep summaries, body measurements
 * and daily check-ins. Four set-based queries; the rest is arithmetic.
 */
export async function loadProgramFacts(em: EntityManager, priority: readonly string[], user: User, now: Date): Promise<ProgramFacts> {
  const zone = user.timezone || "UTC";
  const today = DateTime.fromJSDate(now, { zone }).startOf("day");
  const startDate = today.minus({ days: PROGRAM_WINDOW_DAYS - 1 }).toISODate()!;
  const endDate = today.toISODate()!;
  const rank = JSON.stringify(priority);
  const winners = (table: string) =>
    `select * from (select s.*, dense_rank() over (partition by s.date order by ${sourceRankSql("s")}) as source_rank
       from ${table} s where s.user_id = ? and s.date between ?::date and ?::date) x where x.source_rank = 1`;
  const window = [rank, user.id, startDate, endDate];

  const [activity] = await em.execute<Record<string, unknown>[]>(
    `select count(*) as days, avg(steps)::float8 as avg_steps, avg(active_minutes)::float8 as avg_active,
            count(*) filter (where steps < 5000) as low_days
       from (${winners("activity_summaries")}) a where a.steps is not null`,
    window,
  );
  const sleepRows = await em.execute<{ day: string; start: string; duration_seconds: number; efficiency: number | null }[]>(
    `select w.date::text as day, w.start, w.duration_seconds, w.efficiency from (${winners("sleep_summaries")}) w order by w.date, w.start`,
    window,
  );
  const bodyRows = await em.execute<{ weight_kg: number | null; bmi: number | null; body_fat_pct: number | null }[]>(
    `select w.weight_kg, w.bmi, w.body_fat_pct from (${winners("body_measurements")}) w order by w.measured_at, w.id`,
    window,
  );
  const [checkIns] = await em.execute<Record<string, unknown>[]>(
    `select count(*) as n, avg(mood_rating)::float8 as mood, avg(energy_level)::float8 as energy, avg(sleep_quality)::float8 as quality
       from daily_check_ins where user_id = ? and calendar_date between ?::date and ?::date`,
    [user.id, startDate, endDate],
  );

  // The main sleep of each day: the longest session of the winning source (naps do not count).
  const nights = new Map<string, (typeof sleepRows)[number]>();
  for (const r of sleepRows) {
    const prev = nights.get(r.day);
    if (!prev || Number(r.duration_seconds) > Number(prev.duration_seconds)) nights.set(r.day, r);
  }
  const main = [...nights.values()];
  const durations = main.map((r) => Number(r.duration_seconds) / 3600);
  const efficiencies = main.map((r) => num(r.efficiency)).filter((e): e is number => e !== null);
  // Bedtimes as minutes after local noon, so 23:30 and 00:30 sit next to each other.
  const bedtimes = main.map((r) => {
    const t = DateTime.fromJSDate(new Date(r.start), { zone });
    return (t.hour * 60 + t.minute + 12 * 60) % 1440;
  });
  const medianBed = median(bedtimes);

  const weights = bodyRows.map((r) => num(r.weight_kg)).filter((w): w is number => w !== null);
  const latest = <K extends keyof (typeof bodyRows)[number]>(k: K) => {
    for (let i = bodyRows.length - 1; i >= 0; i--) if (bodyRows[i][k] !== null) return Number(bodyRows[i][k]);
    return null;
  };

  return {
    startDate,
    endDate,
    activity: {
      days: Number(activity?.days ?? 0),
      avgSteps: num(activity?.avg_steps),
      avgActiveMinutes: num(activity?.avg_active),
      lowStepDays: Number(activity?.low_days ?? 0),
    },
    sleep: {
      nights: main.length,
      avgHours: mean(durations),
      avgEfficiency: mean(efficiencies),
      shortNights: durations.filter((h) => h < 7).length,
      medianBedtimeMinutes: medianBed === null ? null : Math.round(medianBed + 12 * 60) % 1440,
    },
    body: {
      measurements: bodyRows.length,
      latestWeightKg: weights.length ? weights[weights.length - 1] : null,
      weightChangeKg: weights.length >= 2 ? weights[weights.length - 1] - weights[0] : null,
      latestBmi: latest("bmi"),
      latestBodyFatPct: latest("body_fat_pct"),
    },
    checkIns: { count: Number(checkIns?.n ?? 0), avgMood: num(checkIns?.mood), avgEnergy: num(checkIns?.energy), avgSleepQuality: num(checkIns?.quality) },
  };
}
