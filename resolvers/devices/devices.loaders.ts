import DataLoader from "dataloader";
import { DeviceConnection } from "../../entities/devices/device-connection.entity";
import type { Context } from "../_shared/context";

export interface DeviceLoaders {
  /** Internal user id → that member's provider links (oldest first). Tenant-filtered, key-ordered; [] for misses. */
  connectionsByUser: DataLoader<string, DeviceConnection[]>;
}

export function createDeviceLoaders(ctx: Context): DeviceLoaders {
  return {
    connectionsByUser: new DataLoader<string, DeviceConnection[]>(async (userIds) => {
      const v = ctx.viewer;
      if (v.kind === "anonymous") return userIds.map(() => []);
      const rows = await ctx.em.find(DeviceConnection, { user: { id: { $in: [...userIds] }, org: v.orgId } }, { orderBy: { createdAt: "asc", id: "asc" } });
      const byUser = new Map<string, DeviceConnection[]>();
      for (const r of rows) byUser.set(r.user.id, [...(byUser.get(r.user.id) ?? []), r]);
      return userIds.map((id) => byUser.get(id) ?? []);
    }),
  };
}
