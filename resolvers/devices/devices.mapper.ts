import type { DeviceConnection } from "../../entities/devices/device-connection.entity";
import { DeviceConnectionStatus } from "../../entities/devices/device-connection.entity";
import type { DeviceProviderType, DeviceStatusType, DeviceType } from "../../schema/devices/device.type";
import type { DeviceAuthType } from "../../schema/devices/devices.enum";
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
 * The status read. No provider data is imported yet (fetching is out of scope), so every supported
 * resource reads `unavailable` with a null `last_data_at`; a provider without a link reads
 * `disconnected` with an empty backfill.
 */
export function toStatus(p: DeviceProvider, c: DeviceConnection | null): DeviceStatusType {
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
      lastDataReceivedAt: null,
      byResource: Object.fromEntries(p.supportedResources.map((r) => [r, { status: "unavailable", last_data_at: null }])),
    },
  };
}
