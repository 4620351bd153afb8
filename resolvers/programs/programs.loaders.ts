import DataLoader from "dataloader";
import { RecommendedAction } from "../../entities/programs/recommended-action.entity";
import type { RecommendedActionType } from "../../schema/programs/program.type";
import type { Context } from "../_shared/context";
import { toRecommendedAction } from "./programs.mapper";

/**
 * Program id → its open (not yet accepted) recommendations, in plan order. Callers pass only
 * programs already reached through `requireMember`.
 */
export function createOpenRecommendationsLoader(ctx: Context) {
  return new DataLoader<string, RecommendedActionType[]>(async (programIds) => {
    const rows = await ctx.em.find(RecommendedAction, { programId: { $in: [...programIds] }, acceptedAt: null }, { orderBy: { createdAt: "asc", id: "asc" } });
    const byProgram = new Map<string, RecommendedActionType[]>();
    for (const r of rows) {
      const list = byProgram.get(r.programId!) ?? [];
      list.push(toRecommendedAction(r));
      byProgram.set(r.programId!, list);
    }
    return programIds.map((id) => byProgram.get(id) ?? []);
  });
}
