import DataLoader from "dataloader";
import { User } from "../../entities/users/user.entity";
import type { Context } from "../_shared/context";

export interface UserLoaders {
  /** Partner user_id → the caller org's user (or null). Tenant-filtered, key-ordered. */
  byPartnerId: DataLoader<string, User | null>;
}

export function createUserLoaders(ctx: Context): UserLoaders {
  return {
    byPartnerId: new DataLoader<string, User | null>(async (ids) => {
      const v = ctx.viewer;
      if (v.kind === "anonymous") return ids.map(() => null);
      const rows = await ctx.em.find(User, { org: v.orgId, partnerUserId: { $in: [...ids] } });
      const byId = new Map(rows.map((u) => [u.partnerUserId, u]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
