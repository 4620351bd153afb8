import type { Logger } from "pino";
import { purgeExpiredDeviceLinks } from "../resolvers/devices";
import { runNudgeSweep, SWEEP_CRON } from "../resolvers/nudges";
import type { AppDeps } from "../resolvers/_shared/deps";
import type { IdempotencyStore } from "./http/idempotency";
import type { MaintenanceTask } from "./jobs";

/** Periodic housekeeping, run by whichever worker process picks it up. */
export function maintenanceTasks(idempotency: IdempotencyStore, logger: Logger, deps: AppDeps): MaintenanceTask[] {
  const nudgeSweep: MaintenanceTask[] = deps.config.nudgeSweep
    ? [
        {
          name: "nudges.sweep",
          cron: SWEEP_CRON,
          run: async () => {
            const r = await runNudgeSweep(deps);
            logger.info({ members: r.members, fired: r.fired, duration_ms: Math.round(r.durationMs) }, "nudge sweep done");
          },
        },
      ]
    : [];
  return [
    ...nudgeSweep,
    {
      name: "maintenance.idempotency-purge",
      cron: "17 * * * *",
      run: async () => {
        const purged = await idempotency.purgeExpired();
        logger.info({ purged }, "expired idempotency records purged");
      },
    },
    {
      name: "maintenance.device-link-purge",
      cron: "23 * * * *",
      run: async () => {
        const purged = await purgeExpiredDeviceLinks(deps.orm.em.fork(), deps.now());
        logger.info({ purged }, "expired device link tokens and OAuth states purged");
      },
    },
  ];
}
