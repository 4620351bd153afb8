import DataLoader from "dataloader";
import { PrivacySettings } from "../../entities/privacy/privacy-settings.entity";
import type { Context } from "../_shared/context";

/** Internal user id → the member's privacy row (null = defaults). Callers pass only ids already authorised. */
export function createPrivacyLoader(ctx: Context) {
  return new DataLoader<string, PrivacySettings | null>(async (userIds) => {
    const rows = await ctx.em.find(PrivacySettings, { user: { $in: [...userIds] } });
    const byUser = new Map(rows.map((r) => [r.user.id, r]));
    return userIds.map((id) => byUser.get(id) ?? null);
  });
}
