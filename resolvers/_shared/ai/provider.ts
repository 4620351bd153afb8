import { writeNudgeText, type NudgeFacts, type NudgeText } from "./nudge-text";
import { buildProgramPlan, type ProgramFacts, type ProgramPlan } from "./program-plan";

/**
 * The one interface every AI feature goes through (insights now; coaching replies, nudge text,
 * lab extraction and plans later). Callers compute the facts from the member's real data; the
 * provider only turns facts into words. The built-in engine is deterministic and is the default.
 */
export interface InsightFacts {
  metric: string;
  timeRange: string;
  days: number;
  daysWithData: number;
  findings: { metric: string; statement: string; value: number | null; unit: string; baselineValue: number | null; changePct: number | null }[];
  /** Deterministic suggestions derived from the findings (the built-in text). */
  suggestions: string[];
  /** Deterministic headline and narrative (the built-in text). */
  headline: string;
  narrative: string;
}

export interface InsightText {
  headline: string;
  narrative: string;
  recommendations: string[];
  modelVersion: string;
}

export interface AiProvider {
  readonly name: string;
  writeInsight(facts: InsightFacts, language: string): Promise<InsightText>;
  /** Card text for a nudge firing, from the detector's facts (the member's own numbers). */
  writeNudge(input: NudgeFacts): Promise<NudgeText>;
  /** A member's program (focus categories, goals, priorities, recommended actions) from their last 28 days. */
  planProgram(facts: ProgramFacts): Promise<ProgramPlan>;
}

export const BUILTIN_MODEL_VERSION = "thrive-builtin-insights-1";

/** Deterministic: the words are the facts' own (same data → same text). */
export class BuiltinAiProvider implements AiProvider {
  readonly name = "builtin";
  async writeInsight(facts: InsightFacts): Promise<InsightText> {
    return { headline: facts.headline, narrative: facts.narrative, recommendations: facts.suggestions, modelVersion: BUILTIN_MODEL_VERSION };
  }
  async writeNudge(input: NudgeFacts): Promise<NudgeText> {
    return writeNudgeText(input);
  }
  async planProgram(facts: ProgramFacts): Promise<ProgramPlan> {
    return buildProgramPlan(facts);
  }
}
