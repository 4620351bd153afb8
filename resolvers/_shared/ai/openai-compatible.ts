import type { Logger } from "pino";
import type { NudgeFacts, NudgeText } from "./nudge-text";
import type { ProgramFacts, ProgramPlan } from "./program-plan";
import { BuiltinAiProvider, type AiProvider, type InsightFacts, type InsightText } from "./provider";

/**
 * An OpenAI-compatible chat-completions endpoint (`POST {baseUrl}/chat/completions`). It only
 * rephrases facts we computed; any failure (network, timeout, malformed answer) falls back to the
 * built-in text, so a partner never sees an error because a model is down. Facts never go to logs.
 */
export class OpenAiCompatibleProvider implements AiProvider {
  readonly name = "openai";
  private readonly fallback = new BuiltinAiProvider();

  constructor(private readonly opts: { baseUrl: string; apiKey?: string; model: string; timeoutMs: number; logger: Logger }) {}

  /** Nudge cards keep the built-in wording: a sweep may write thousands, and card text must stay factual. */
  async writeNudge(input: NudgeFacts): Promise<NudgeText> {
    return this.fallback.writeNudge(input);
  }

  /** Programs keep the built-in planner: targets must come from the member's numbers, not a model's guess. */
  async planProgram(facts: ProgramFacts): Promise<ProgramPlan> {
    return this.fallback.planProgram(facts);
  }

  async writeInsight(facts: InsightFacts, language: string): Promise<InsightText> {
    try {
      const res = await fetch(`${this.opts.baseUrl.replace(/\/+$/, "")}/chat/completions`, {
        method: "POST",
        signal: AbortSignal.timeout(this.opts.timeoutMs),
        headers: { "content-type": "application/json", ...(this.opts.apiKey ? { authorization: `Bearer ${this.opts.apiKey}` } : {}) },
        body: JSON.stringify({
          model: this.opts.model,
          temperature: 0.2,
          response_format: { type: "json_object" },
          messages: [
            {
              role: "system",
              content:
                "You write short, encouraging, non-diagnostic health insights for a wellness app. Use only the facts given; never invent numbers. " +
                `Answer in the language with BCP-47 tag "${language}" as a JSON object {"headline": string, "narrative": string, "recommendations": string[]}.`,
            },
            { role: "user", content: JSON.stringify({ metric: facts.metric, time_range: facts.timeRange, findings: facts.findings, suggestions: facts.suggestions }) },
          ],
        }),
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const body = (await res.json()) as { model?: string; choices?: { message?: { content?: string } }[] };
      const parsed = JSON.parse(body.choices?.[0]?.message?.content ?? "") as Partial<InsightText> & { recommendations?: unknown };
      if (typeof parsed.headline !== "string" || typeof parsed.narrative !== "string" || !Array.isArray(parsed.recommendations)) throw new Error("malformed answer");
      return {
        headline: parsed.headline,
        narrative: parsed.narrative,
        recommendations: parsed.recommendations.filter((r): r is string => typeof r === "string").slice(0, 5),
        modelVersion: body.model ?? this.opts.model,
      };
    } catch (err) {
      this.opts.logger.warn({ reason: err instanceof Error ? err.message : "unknown" }, "AI provider failed; using the built-in text");
      return this.fallback.writeInsight(facts);
    }
  }
}
