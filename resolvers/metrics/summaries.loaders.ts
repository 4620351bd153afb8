import DataLoader from "dataloader";
import { SummaryKind } from "../../schema/metrics/summary.type";
import type { Context } from "../_shared/context";
import { sourceRankSql } from "./source-priority";
import { toView } from "./summaries.service";
import { KINDS } from "./summary-kinds";

/**
 * Internal user id → that member's latest summary row (latest local date, winning source), one
 * statement per kind for any number of members. Callers pass only users already authorised.
 */
export function createLatestSummaryLoader(ctx: Context, kind: SummaryKind) {
  return new DataLoader<string, Record<string, unknown> | null>(async (userIds) => {
    const rows = await ctx.em.execute<Record<string, unknown>[]>(
      `select distinct on (s.user_id) s.*, s.date::text as day from ${KINDS[kind].table} s
        where s.user_id in (select (jsonb_array_elements_text(?::jsonb))::uuid)
        order by s.user_id, s.date desc, ${sourceRankSql("s")}`,
      [JSON.stringify(userIds), JSON.stringify(ctx.deps.config.metricSourcePriority)],
    );
    const byUser = new Map(rows.map((r) => [r.user_id as string, toView(r)]));
    return userIds.map((id) => byUser.get(id) ?? null);
  });
}
