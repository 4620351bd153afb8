import { buildProgramPlan, clockTime, type ProgramFacts } from "../../resolvers/_shared/ai/program-plan";
import { BuiltinAiProvider } from "../../resolvers/_shared/ai/provider";
import { canTransition } from "../../resolvers/health-actions";
import { nextOccurrence } from "../../resolvers/programs";

const empty: ProgramFacts = {
  startDate: "2030-05-19",
  endDate: "2030-06-15",
  activity: { days: 0, avgSteps: null, avgActiveMinutes: null, lowStepDays: 0 },
  sleep: { nights: 0, avgHours: null, avgEfficiency: null, shortNights: 0, medianBedtimeMinutes: null },
  body: { measurements: 0, latestWeightKg: null, weightChangeKg: null, latestBmi: null, latestBodyFatPct: null },
  checkIns: { count: 0, avgMood: null, avgEnergy: null, avgSleepQuality: null },
};

const healthy: ProgramFacts = {
  ...empty,
  activity: { days: 28, avgSteps: 11200, avgActiveMinutes: 60, lowStepDays: 0 },
  sleep: { nights: 27, avgHours: 8.1, avgEfficiency: 92, shortNights: 1, medianBedtimeMinutes: 22 * 60 + 50 },
  body: { measurements: 4, latestWeightKg: 64, weightChangeKg: -0.2, latestBmi: 22.1, latestBodyFatPct: 21 },
  checkIns: { count: 12, avgMood: 4.6, avgEnergy: 4.2, avgSleepQuality: 4.5 },
};

const categories = (facts: ProgramFacts) => buildProgramPlan(facts).focusCategories.map((f) => f.program_category.category_id);

describe("program planner", () => {
  it("is deterministic: the same facts give the same plan, through the built-in provider too", async () => {
    expect(buildProgramPlan(healthy)).toEqual(buildProgramPlan(structuredClone(healthy)));
    expect(await new BuiltinAiProvider().planProgram(healthy)).toEqual(buildProgramPlan(healthy));
  });

  it("always gives 2–3 ranked focus categories, 3 ranked priorities and 3 recommendations with HH:mm times", () => {
    for (const facts of [empty, healthy]) {
      const plan = buildProgramPlan(facts);
      expect(plan.focusCategories.length).toBeGreaterThanOrEqual(2);
      expect(plan.focusCategories.length).toBeLessThanOrEqual(3);
      expect(plan.focusCategories.map((f) => f.rank)).toEqual(plan.focusCategories.map((_, i) => i + 1));
      expect(plan.priorities.map((p) => p.rank)).toEqual([1, 2, 3]);
      expect(plan.recommendedActions).toHaveLength(3);
      expect(plan.recommendedActions.map((r) => r.category)).toEqual(plan.priorities.map((p) => p.domains[0]));
      for (const r of plan.recommendedActions) expect(r.localTime).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/);
      for (const g of plan.goals) expect(plan.focusCategories.map((f) => f.id)).toContain(g.category_ref);
    }
  });

  it("keeps a third focus category only when it needs attention", () => {
    // Nothing needs much work: two focus areas.
    expect(categories(healthy)).toEqual(["activity", "sleep"]);
    expect(buildProgramPlan(healthy).priorities).toHaveLength(3);
    // Low mood moves stress to the top.
    const lowMood = { ...healthy, checkIns: { count: 10, avgMood: 2, avgEnergy: 2, avgSleepQuality: 3 } };
    expect(categories(lowMood)[0]).toBe("stress");
  });

  it("sets targets from the member's own numbers, and maintains already-met ones", () => {
    const steps = (facts: ProgramFacts) =>
      buildProgramPlan(facts)
        .goals.flatMap((g) => g.targets)
        .filter((t) => t.vital_metric === "steps")
        .map((t) => t.value);
    expect(steps({ ...empty, activity: { days: 20, avgSteps: 6000, avgActiveMinutes: 30, lowStepDays: 5 } })).toEqual([6500, 7500]);
    expect(steps(healthy)).toEqual([11000, 11000]);
  });

  it("schedules the wind-down 30 minutes before the member's usual bedtime, across midnight", () => {
    const windDown = (bed: number) =>
      buildProgramPlan({ ...empty, sleep: { nights: 10, avgHours: 5.5, avgEfficiency: 90, shortNights: 10, medianBedtimeMinutes: bed } }).recommendedActions.find(
        (r) => r.category === "sleep",
      )!.localTime;
    expect(windDown(23 * 60 + 40)).toBe("23:00");
    expect(windDown(10)).toBe("23:30");
    expect(clockTime(-15)).toBe("23:45");
  });
});

describe("nextOccurrence", () => {
  it("is later today when the local time has not passed, else tomorrow", () => {
    const now = new Date("2030-06-15T10:00:00Z"); // 12:00 in Berlin
    expect(nextOccurrence("12:30", "Europe/Berlin", now).toISOString()).toBe("2030-06-15T10:30:00.000Z");
    expect(nextOccurrence("12:00", "Europe/Berlin", now).toISOString()).toBe("2030-06-16T10:00:00.000Z");
    expect(nextOccurrence("07:30", "Europe/Berlin", now).toISOString()).toBe("2030-06-16T05:30:00.000Z");
  });

  it("keeps the wall-clock time across a DST change and moves a skipped time forward", () => {
    // 2030-03-10 is the US spring-forward day; 15:00 EST the day before.
    const before = new Date("2030-03-09T20:00:00Z");
    expect(nextOccurrence("07:30", "America/New_York", before).toISOString()).toBe("2030-03-10T11:30:00.000Z");
    // 02:30 does not exist that night: the clock reads 03:30 EDT then.
    expect(nextOccurrence("02:30", "America/New_York", before).toISOString()).toBe("2030-03-10T07:30:00.000Z");
  });
});

describe("health action transitions", () => {
  it("allows exactly the documented changes", () => {
    const all = ["pending", "completed", "skipped", "missed", "cancelled"] as const;
    const allowed = all.flatMap((from) => all.filter((to) => from !== to && canTransition(from as never, to as never)).map((to) => `${from}->${to}`));
    expect(allowed.sort()).toEqual(["missed->completed", "pending->cancelled", "pending->completed", "pending->missed", "pending->skipped"]);
  });
});
