import type { DeviceConnection } from "../../entities/devices/device-connection.entity";
import { DeviceConnectionStatus } from "../../entities/devices/device-connection.entity";
import type { DeviceProviderType, DeviceStatusType, DeviceType } from "../../schema/devices/device.type";
import type { DeviceAuthType } from "../../schema/devices/devices.enum";
import { formatInstant } from "../../schema/_shared/scalars";
import type { DeviceProvider } from "./providers";

export const toProvider = (p: DeviceProvider): DeviceProviderType => ({ ...p, authType: p.authType as DeviceAuthType });

export const toDevice = (c: DeviceConnection, p: DeviceProvider | undefined): DeviceType => ({
  providerSlug: c.providerSlug,
  deviceName: p?.name ?? c.providerSlug,
  connectedAt: c.connectedAt ?? null,
  lastSyncAt: c.lastSyncAt ?? null,
  status: c.status,
});

/**
 * The status read. `lastData` holds when data last arrived per resource (from the metrics
 * domain): `available` within `freshWithinMs` of `now`, `stale` when older, `unavailable` when
 * none. A provider without a link reads `disconnected` with an empty backfill.
 */
export function toStatus(
  p: DeviceProvider,
  c: DeviceConnection | null,
  lastData: Map<string, Date> = new Map(),
  now = new Date(),
  freshWithinMs = Infinity,
): DeviceStatusType {
  const latest = [...lastData.values()].sort((a, b) => b.getTime() - a.getTime())[0] ?? null;
  return {
    slug: p.slug,
    name: p.name,
    connection: { status: c?.status ?? DeviceConnectionStatus.disconnected, connectedAt: c?.connectedAt ?? null, error: c?.error ?? null },
    backfill: {
      status: c?.backfillStatus ?? null,
      startedAt: c?.backfillStartedAt ?? null,
      completedAt: c?.backfillCompletedAt ?? null,
      error: c?.backfillError ?? null,
    },
    dataFreshness: {
      lastDataReceivedAt: latest,
      byResource: Object.fromEntries(
        p.supportedResources.map((r) => {
          const at = lastData.get(r);
          const status = !at ? "unavailable" : now.getTime() - at.getTime() <= freshWithinMs ? "available" : "stale";
          return [r, { status, last_data_at: at ? formatInstant(at) : null }];
        }),
      ),
    },
  };
}
