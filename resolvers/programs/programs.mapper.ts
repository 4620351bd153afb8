import type { Program } from "../../entities/programs/program.entity";
import type { RecommendedAction } from "../../entities/programs/recommended-action.entity";
import type { UserPriority } from "../../entities/programs/user-priority.entity";
import type { FocusCategoryWire, GoalWire } from "../_shared/ai/program-plan";
import type { FocusCategoryType, GoalType, ProgramType, RecommendedActionType, UserPriorityType } from "../../schema/programs/program.type";

/** Programs store `focus_categories[]` and `goals[]` in the wire shape; GraphQL reads them camelCase. */
function focusCategory(w: FocusCategoryWire): FocusCategoryType {
  const c = w.program_category;
  return {
    id: w.id,
    rationale: w.rationale,
    objectives: w.objectives ?? [],
    rank: w.rank,
    programCategory: { id: c.id, name: c.name, categoryId: c.category_id, description: c.description, domainId: c.domain_id },
  };
}

function goal(w: GoalWire): GoalType {
  return {
    goalId: w.goal_id,
    categoryRef: w.category_ref,
    categoryId: w.category_id,
    domainId: w.domain_id,
    description: w.description,
    targets: (w.targets ?? []).map((t) => ({
      id: t.id,
      description: t.description,
      frequency: t.frequency,
      value: t.value ?? null,
      vitalMetric: t.vital_metric ?? null,
    })),
    phaseId: w.phase_id,
    phase: { id: w.phase.id, name: w.phase.name, description: w.phase.description, order: w.phase.order },
  };
}

export function toProgram(p: Program): ProgramType {
  return {
    programId: p.id,
    name: p.name,
    description: p.description,
    analysisInsight: p.analysisInsight ?? null,
    createdAt: p.createdAt,
    active: p.active,
    focusCategories: (p.focusCategories as unknown as FocusCategoryWire[]).map(focusCategory),
    goals: (p.goals as unknown as GoalWire[]).map(goal),
  };
}

export function toPriority(p: UserPriority): UserPriorityType {
  return {
    userPriorityId: p.id,
    title: p.title,
    description: p.description,
    target: p.target ?? null,
    domains: p.domains ?? [],
    status: p.status,
    rank: p.rank,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

export function toRecommendedAction(r: RecommendedAction): RecommendedActionType {
  return { recommendationId: r.id, title: r.title, description: r.description, category: r.category, localTime: r.localTime };
}
