/**
 * The deterministic program planner behind `AiProvider.planProgram`: a pure function of the
 * member's last 28 days (same facts → same plan). It ranks the program categories by need, then
 * writes the focus categories, goals with targets, priorities and recommended actions from the
 * member's own numbers. Wire-shaped pieces (`focus_categories[]`, `goals[]`) use the REST keys
 * because that is how programs store them.
 */

export const PROGRAM_WINDOW_DAYS = 28;
export const BUILTIN_PROGRAM_MODEL_VERSION = "thrive-builtin-program-1";

export interface ProgramFacts {
  /** The member's local dates covered, inclusive (28 days ending today). */
  startDate: string;
  endDate: string;
  /** One source per day (METRIC_SOURCE_PRIORITY), days with a step count only. */
  activity: { days: number; avgSteps: number | null; avgActiveMinutes: number | null; lowStepDays: number };
  /** The longest sleep of each day's winning source. `medianBedtimeMinutes`: local minutes after midnight (0–1439). */
  sleep: { nights: number; avgHours: number | null; avgEfficiency: number | null; shortNights: number; medianBedtimeMinutes: number | null };
  body: { measurements: number; latestWeightKg: number | null; weightChangeKg: number | null; latestBmi: number | null; latestBodyFatPct: number | null };
  /** Ratings on the 1–5 check-in scale. */
  checkIns: { count: number; avgMood: number | null; avgEnergy: number | null; avgSleepQuality: number | null };
}

export interface ProgramCategoryWire {
  id: string;
  name: string;
  category_id: string;
  description: string;
  domain_id: string;
}

export interface FocusCategoryWire {
  id: string;
  rationale: string;
  objectives: string[];
  rank: number;
  program_category: ProgramCategoryWire;
}

export interface GoalTargetWire {
  id: string;
  description: string;
  frequency: string;
  value: number | null;
  vital_metric: string | null;
}

export interface ProgramPhaseWire {
  id: string;
  name: string;
  description: string;
  order: number;
}

export interface GoalWire {
  goal_id: string;
  category_ref: string;
  category_id: string;
  domain_id: string;
  description: string;
  targets: GoalTargetWire[];
  phase_id: string;
  phase: ProgramPhaseWire;
}

export interface PlannedPriority {
  title: string;
  description: string;
  target: string;
  domains: string[];
  rank: number;
}

export interface PlannedRecommendation {
  title: string;
  description: string;
  /** A program category id (e.g. `activity`). */
  category: string;
  /** `HH:mm` in the member's zone. */
  localTime: string;
}

export interface ProgramPlan {
  name: string;
  description: string;
  analysisInsight: string;
  focusCategories: FocusCategoryWire[];
  goals: GoalWire[];
  /** Exactly 3, ranked. */
  priorities: PlannedPriority[];
  /** Exactly 3, in priority order. */
  recommendedActions: PlannedRecommendation[];
  modelVersion: string;
}

type CategoryId = "activity" | "sleep" | "stress" | "body";

/** The program categories, in tie-break order. */
const CATEGORIES: Record<CategoryId, { name: string; focus: string; description: string; domain: string }> = {
  activity: { name: "Move more", focus: "daily movement", description: "Build daily movement: steps and active minutes.", domain: "activity" },
  sleep: { name: "Sleep well", focus: "sleep", description: "Get enough sleep, at a regular time.", domain: "sleep" },
  stress: { name: "Mood and energy", focus: "mood and energy", description: "Notice and lift day-to-day mood and energy.", domain: "stress" },
  body: { name: "Healthy weight", focus: "a healthy weight", description: "Steady progress toward a healthy body composition.", domain: "body" },
};
const ORDER: CategoryId[] = ["activity", "sleep", "stress", "body"];

const PHASES: ProgramPhaseWire[] = [
  { id: "phase-1", name: "Foundation", description: "Weeks 1–2: establish the habit at a comfortable level.", order: 1 },
  { id: "phase-2", name: "Build", description: "Weeks 3–4: step up to the full target.", order: 2 },
];

/** A third focus category is added only when its need reaches this score (0–1). */
const THIRD_FOCUS_MIN_NEED = 0.2;

const clamp01 = (n: number) => Math.min(1, Math.max(0, n));
const round = (n: number, d = 0) => Math.round(n * 10 ** d) / 10 ** d;
const roundTo = (n: number, step: number) => Math.round(n / step) * step;
const thousands = (n: number) => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
const hours = (h: number) => `${round(h, 2)} hours`;
export const clockTime = (minutes: number) => {
  const m = ((Math.round(minutes) % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
};

interface Assessment {
  category: CategoryId;
  need: number;
  rationale: string;
}

/** How much each category needs attention (0–1) and why, in the member's own numbers. */
function assess(f: ProgramFacts): Assessment[] {
  const a = f.activity;
  const s = f.sleep;
  const c = f.checkIns;
  const b = f.body;
  const out: Assessment[] = [
    a.days >= 3 && a.avgSteps !== null
      ? {
          category: "activity",
          need: clamp01((9000 - a.avgSteps) / 9000),
          rationale: `You averaged ${thousands(a.avgSteps)} steps a day over ${a.days} days with data, with ${a.lowStepDays} days under 5,000 steps.`,
        }
      : { category: "activity", need: 0.35, rationale: "There is little step data from the last 28 days; a daily walking habit is the simplest place to start." },
    s.nights >= 3 && s.avgHours !== null
      ? {
          category: "sleep",
          need: clamp01((7.5 - s.avgHours) / 2.5 + (s.avgEfficiency !== null && s.avgEfficiency < 85 ? 0.15 : 0)),
          rationale:
            `You slept ${hours(round(s.avgHours, 1))} a night on average over ${s.nights} nights, ${s.shortNights} of them under 7 hours` +
            (s.avgEfficiency !== null ? `, at ${round(s.avgEfficiency)}% sleep efficiency.` : "."),
        }
      : { category: "sleep", need: 0.3, rationale: "There is little sleep data from the last 28 days; a regular bedtime supports everything else." },
    c.count >= 3 && c.avgMood !== null
      ? {
          category: "stress",
          need: clamp01((4 - c.avgMood) / 3 + (c.avgEnergy !== null ? clamp01((3.5 - c.avgEnergy) / 2.5) * 0.3 : 0)),
          rationale:
            `Your average mood in ${c.count} check-ins was ${round(c.avgMood, 1)} of 5` +
            (c.avgEnergy !== null ? ` and your average energy ${round(c.avgEnergy, 1)} of 5.` : "."),
        }
      : { category: "stress", need: 0.2, rationale: "Regular check-ins show how mood and energy move with sleep and activity." },
    b.measurements > 0 && (b.latestBmi !== null || b.latestWeightKg !== null)
      ? {
          category: "body",
          need: clamp01((b.latestBmi !== null ? (b.latestBmi - 24.9) / 10 : 0.1) + (b.weightChangeKg !== null && b.weightChangeKg > 1 ? 0.15 : 0)),
          rationale:
            (b.latestWeightKg !== null ? `Your latest weight is ${round(b.latestWeightKg, 1)} kg` : "Your latest measurement") +
            (b.latestBmi !== null ? ` (BMI ${round(b.latestBmi, 1)})` : "") +
            (b.weightChangeKg !== null ? `, ${b.weightChangeKg >= 0 ? "up" : "down"} ${round(Math.abs(b.weightChangeKg), 1)} kg over the period.` : "."),
        }
      : { category: "body", need: 0.05, rationale: "There are no body measurements from the last 28 days." },
  ];
  // Rounded before comparing so float noise can never reorder equal needs; ties keep ORDER.
  return out.map((x) => ({ ...x, need: round(x.need, 3) })).sort((x, y) => y.need - x.need || ORDER.indexOf(x.category) - ORDER.indexOf(y.category));
}

interface CategoryPlan {
  objectives: string[];
  goals: { description: string; targets: Omit<GoalTargetWire, "id">[] }[];
  priority: Omit<PlannedPriority, "rank" | "description">;
  action: Omit<PlannedRecommendation, "category">;
}

function activityPlan(f: ProgramFacts): CategoryPlan {
  const base = f.activity.avgSteps ?? 5000;
  const full = base >= 10000 ? roundTo(base, 500) : Math.min(10000, Math.max(7000, roundTo(base * 1.25, 500)));
  const first = Math.min(full, Math.max(4000, roundTo(base * 1.1, 500)));
  return {
    objectives: [`Reach ${thousands(first)} steps a day in weeks 1–2`, `Reach ${thousands(full)} steps a day by week 4`, "Reach 150 active minutes a week"],
    goals: [
      {
        description: `Walk at least ${thousands(first)} steps a day and build up to 100 active minutes a week.`,
        targets: [
          { description: `${thousands(first)} steps a day`, frequency: "daily", value: first, vital_metric: "steps" },
          { description: "100 active minutes a week", frequency: "weekly", value: 100, vital_metric: "active_minutes" },
        ],
      },
      {
        description: `Walk at least ${thousands(full)} steps a day with 150 active minutes a week.`,
        targets: [
          { description: `${thousands(full)} steps a day`, frequency: "daily", value: full, vital_metric: "steps" },
          { description: "150 active minutes a week", frequency: "weekly", value: 150, vital_metric: "active_minutes" },
        ],
      },
    ],
    priority: { title: "Move more every day", target: `${thousands(full)} steps a day`, domains: ["activity"] },
    action: {
      title: "Take a 15-minute walk",
      description: `A brisk 15-minute walk adds about 1,500–2,000 steps toward your ${thousands(first)}-step goal.`,
      localTime: "12:30",
    },
  };
}

function sleepPlan(f: ProgramFacts): CategoryPlan {
  const base = f.sleep.avgHours ?? 6.5;
  const full = base >= 8 ? roundTo(base, 0.25) : Math.min(8, Math.max(7, roundTo(base + 1, 0.25)));
  const first = Math.min(full, Math.max(6.5, roundTo(base + 0.5, 0.25)));
  const bedtime = f.sleep.medianBedtimeMinutes ?? 22 * 60 + 30;
  const target = Math.floor((bedtime - 15) / 15) * 15;
  const windDown = Math.floor((bedtime - 30) / 15) * 15;
  const efficiencyLow = f.sleep.avgEfficiency !== null && f.sleep.avgEfficiency < 85;
  return {
    objectives: [`Sleep ${hours(first)} a night in weeks 1–2`, `Sleep ${hours(full)} a night by week 4`, `Be in bed by ${clockTime(target)} on 5 nights a week`],
    goals: [
      {
        description: `Sleep at least ${hours(first)} a night and keep a regular bedtime.`,
        targets: [
          { description: `${hours(first)} of sleep a night`, frequency: "daily", value: first, vital_metric: "sleep_duration" },
          { description: `In bed by ${clockTime(target)} on 5 nights a week`, frequency: "weekly", value: 5, vital_metric: "bedtime" },
        ],
      },
      {
        description: `Sleep at least ${hours(full)} a night.`,
        targets: [
          { description: `${hours(full)} of sleep a night`, frequency: "daily", value: full, vital_metric: "sleep_duration" },
          ...(efficiencyLow ? [{ description: "Sleep efficiency of 85% or more", frequency: "daily", value: 85, vital_metric: "sleep_efficiency" }] : []),
        ],
      },
    ],
    priority: { title: "Get more restful sleep", target: `${hours(full)} of sleep a night`, domains: ["sleep"] },
    action: {
      title: "Start your wind-down routine",
      description: `Dim the lights and put screens away 30 minutes before your usual ${clockTime(bedtime)} bedtime.`,
      localTime: clockTime(windDown),
    },
  };
}

function stressPlan(f: ProgramFacts): CategoryPlan {
  const mood = f.checkIns.avgMood;
  const moodTarget = mood === null ? 4 : Math.min(5, Math.max(3.5, round(mood + 0.5, 1)));
  return {
    objectives: ["Check in at least 4 days a week", `Lift your average mood to ${moodTarget} of 5`],
    goals: [
      {
        description: "Check in on mood and energy at least 4 days a week.",
        targets: [{ description: "4 check-ins a week", frequency: "weekly", value: 4, vital_metric: "check_ins" }],
      },
      {
        description: `Check in 6 days a week with an average mood of ${moodTarget} of 5.`,
        targets: [
          { description: "6 check-ins a week", frequency: "weekly", value: 6, vital_metric: "check_ins" },
          { description: `Average mood of ${moodTarget} of 5`, frequency: "weekly", value: moodTarget, vital_metric: "mood_rating" },
        ],
      },
    ],
    priority: { title: "Lift mood and energy", target: `Average mood of ${moodTarget} of 5`, domains: ["stress"] },
    action: { title: "Two-minute evening check-in", description: "Rate your mood, energy and sleep quality and note one thing that went well.", localTime: "20:00" },
  };
}

function bodyPlan(f: ProgramFacts): CategoryPlan {
  const w = f.body.latestWeightKg;
  const lose = w !== null && f.body.latestBmi !== null && f.body.latestBmi >= 25;
  const goalWeight = w === null ? null : lose ? round(w * 0.98, 1) : round(w, 1);
  const build =
    goalWeight === null
      ? {
          description: "Weigh in twice a week for the whole program.",
          targets: [{ description: "2 weigh-ins a week", frequency: "weekly", value: 2, vital_metric: "weight_measurements" }],
        }
      : {
          description: lose ? `Reach ${goalWeight} kg by the end of the program.` : `Keep your weight within 1 kg of ${goalWeight} kg.`,
          targets: [{ description: lose ? `${goalWeight} kg` : `${goalWeight} kg ± 1 kg`, frequency: "end_of_phase", value: goalWeight, vital_metric: "weight_kg" }],
        };
  return {
    objectives: ["Weigh in twice a week", goalWeight === null ? "Build a weigh-in routine" : lose ? `Reach ${goalWeight} kg` : `Hold ${goalWeight} kg`],
    goals: [
      {
        description: "Weigh in twice a week, in the morning.",
        targets: [{ description: "2 weigh-ins a week", frequency: "weekly", value: 2, vital_metric: "weight_measurements" }],
      },
      build,
    ],
    priority: { title: "Work toward a healthy weight", target: goalWeight === null ? "2 weigh-ins a week" : `${goalWeight} kg`, domains: ["body"] },
    action: { title: "Morning weigh-in", description: "Weigh yourself after waking, before breakfast, for comparable numbers.", localTime: "07:30" },
  };
}

const PLANNERS: Record<CategoryId, (f: ProgramFacts) => CategoryPlan> = { activity: activityPlan, sleep: sleepPlan, stress: stressPlan, body: bodyPlan };

function insight(f: ProgramFacts): string {
  const parts: string[] = [];
  if (f.activity.avgSteps !== null) parts.push(`averaged ${thousands(f.activity.avgSteps)} steps a day (${f.activity.days} days of data)`);
  if (f.sleep.avgHours !== null) parts.push(`slept ${hours(round(f.sleep.avgHours, 1))} a night (${f.sleep.nights} nights)`);
  if (f.body.latestWeightKg !== null) parts.push(`last weighed ${round(f.body.latestWeightKg, 1)} kg`);
  if (f.checkIns.avgMood !== null) parts.push(`rated your mood ${round(f.checkIns.avgMood, 1)} of 5 on average (${f.checkIns.count} check-ins)`);
  if (!parts.length)
    return "There is no device or check-in data from the last 28 days yet, so this starter program begins with simple habits and adapts once data arrives.";
  const list = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
  return `Over the last 28 days you ${list}.`;
}

const joinWith = (names: string[], last: string) => (names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")}${last}${names[names.length - 1]}`);

/** Pure and deterministic: 2–3 focus categories, two phased goals each, 3 priorities, 3 recommended actions. */
export function buildProgramPlan(facts: ProgramFacts): ProgramPlan {
  const ranked = assess(facts);
  const focusCount = ranked[2].need >= THIRD_FOCUS_MIN_NEED ? 3 : 2;
  const focus = ranked.slice(0, focusCount);
  const top = ranked.slice(0, 3);
  const plans = new Map(ranked.map((r) => [r.category, PLANNERS[r.category](facts)]));

  const focusCategories: FocusCategoryWire[] = focus.map((r, i) => ({
    id: `focus-${r.category}`,
    rationale: r.rationale,
    objectives: plans.get(r.category)!.objectives,
    rank: i + 1,
    program_category: {
      id: `program-category-${r.category}`,
      name: CATEGORIES[r.category].name,
      category_id: r.category,
      description: CATEGORIES[r.category].description,
      domain_id: CATEGORIES[r.category].domain,
    },
  }));
  const goals: GoalWire[] = focus.flatMap((r) =>
    plans.get(r.category)!.goals.map((g, i) => ({
      goal_id: `goal-${r.category}-${i + 1}`,
      category_ref: `focus-${r.category}`,
      category_id: r.category,
      domain_id: CATEGORIES[r.category].domain,
      description: g.description,
      targets: g.targets.map((t, j) => ({ id: `target-${r.category}-${i + 1}-${j + 1}`, ...t })),
      phase_id: PHASES[i].id,
      phase: PHASES[i],
    })),
  );
  const names = focus.map((r) => CATEGORIES[r.category].name);
  return {
    name: joinWith(names, " & "),
    description: `A 4-week program built from your last 28 days of data, focused on ${joinWith(
      focus.map((r) => CATEGORIES[r.category].focus),
      " and ",
    )}. Weeks 1–2 build the foundation; weeks 3–4 step up to the full targets.`,
    analysisInsight: insight(facts),
    focusCategories,
    goals,
    priorities: top.map((r, i) => ({ ...plans.get(r.category)!.priority, description: r.rationale, rank: i + 1 })),
    recommendedActions: top.map((r) => ({ ...plans.get(r.category)!.action, category: r.category })),
    modelVersion: BUILTIN_PROGRAM_MODEL_VERSION,
  };
}
