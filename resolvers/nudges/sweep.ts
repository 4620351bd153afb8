import type { EntityManager } from "@mikro-orm/postgresql";
import type { AppDeps } from "../_shared/deps";
import { runDetectors } from "./detectors";
import { fireNudges, type FiredNudge } from "./nudge-engine";
import { MEMBERS_SQL } from "./snapshots.sql";
import { loadSnapshots, toNudgeMember, type MemberRow } from "./snapshots";

/** Members are swept in keyset-ordered batches of this size (a fixed number of statements per batch). */
export const SWEEP_BATCH_SIZE = 1000;
/** Every 15 minutes (spec §19), on the job engine's scheduler: one run per tick across all workers. */
export const SWEEP_CRON = "*/15 * * * *";

export interface SweepResult {
  members: number;
  batches: number;
  /** Batches that failed and were rolled back (logged); their members are retried on the next tick. */
  failedBatches: number;
  fired: number;
  byTrigger: Record<string, number>;
  durationMs: number;
}

/**
 * One detector sweep over every eligible member: load a batch's snapshots set-based, run the 13
 * pure detectors in memory, fire what they return through the nudge engine (which drops anything
 * already fired in its window, so overlapping sweeps never duplicate a nudge).
 */
export async function runNudgeSweep(deps: AppDeps, opts: { now?: Date; batchSize?: number } = {}): Promise<SweepResult> {
  const started = process.hrtime.bigint();
  const now = opts.now ?? deps.now();
  const batchSize = opts.batchSize ?? SWEEP_BATCH_SIZE;
  const em = deps.orm.em.fork() as EntityManager;
  const result: SweepResult = { members: 0, batches: 0, failedBatches: 0, fired: 0, byTrigger: {}, durationMs: 0 };
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const rows = await em.execute<MemberRow[]>(MEMBERS_SQL, [now, after, batchSize]);
    if (rows.length === 0) break;
    after = rows[rows.length - 1].id;
    const members = rows.map(toNudgeMember);
    result.members += rows.length;
    result.batches += 1;
    let fired: FiredNudge[] = [];
    try {
      const snapshots = await loadSnapshots(em, members, now, deps.config.metricSourcePriority);
      const requests = snapshots.flatMap((s, i) => runDetectors(s).map((firing) => ({ member: members[i], firing, origin: "schedule" as const })));
      fired = await fireNudges(deps, requests);
    } catch (err) {
      // One failing batch (rolled back as a whole) must not starve every member after it; its
      // windows stay open, so the next tick retries those members.
      result.failedBatches += 1;
      deps.logger.error({ err, batch: result.batches, members: rows.length }, "nudge sweep batch failed; continuing");
    }
    result.fired += fired.length;
    for (const f of fired) result.byTrigger[f.firing.trigger] = (result.byTrigger[f.firing.trigger] ?? 0) + 1;
    if (rows.length < batchSize) break;
  }
  result.durationMs = Number(process.hrtime.bigint() - started) / 1e6;
  return result;
}
