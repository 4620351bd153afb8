import { DeadlockException, UniqueConstraintViolationException } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { TimeseriesSample } from "../../entities/metrics/timeseries-sample.entity";
import type { User } from "../../entities/users/user.entity";
import { MAX_TIMESERIES_BATCH, TimeseriesGranularity, type TimeseriesArgs, type TimeseriesBatchInput } from "../../schema/metrics/timeseries.input";
import type { BloodPressurePointType, TimeseriesIngestResultType, TimeseriesValuePointType } from "../../schema/metrics/timeseries.type";
import type { Context } from "../_shared/context";
import type { AppDeps } from "../_shared/deps";
import { DomainError, notFound, validationError } from "../_shared/errors";
import { timeseriesMetric, type TimeseriesMetric } from "./timeseries.catalog";
import { INGEST_SQL, ROLLUP_SQL, readStatement, readsHourlyRollup, rollupParams, type ReadQuery } from "./timeseries.sql";
import { dedupeBatch, isRejected, validateSample, type RejectedSample, type ValidSample } from "./timeseries.validate";

const MAX_WINDOW_DAYS = 366;
const DAY_MS = 86_400_000;
const BUCKETS: Record<TimeseriesGranularity, { interval: string; ms: number } | null> = {
  [TimeseriesGranularity.raw]: null,
  [TimeseriesGranularity.five_minute]: { interval: "5 minutes", ms: 5 * 60_000 },
  [TimeseriesGranularity.fifteen_minute]: { interval: "15 minutes", ms: 15 * 60_000 },
  [TimeseriesGranularity.one_hour]: { interval: "1 hour", ms: 3_600_000 },
};
/**
 * Every batch runs under a transaction-scoped advisory lock per member and metric, so batches for
 * the same series are serialised: the hourly rollup is recomputed from the samples after the write
 * and is exact only if no other batch commits samples of the same hours in between. The lock also
 * keeps racing batches from colliding on the client_id index. A deadlock or unique violation
 * against any other writer is still retried (the statements are idempotent). Raw `execute`
 * surfaces the driver's error (SQLSTATE in `code`).
 */
const ATTEMPTS = 5;
const isRetryable = (e: unknown) =>
  e instanceof UniqueConstraintViolationException || e instanceof DeadlockException || ["23505", "40P01"].includes((e as { code?: string }).code ?? "");
const HOUR_S = 3600;

type Point = TimeseriesValuePointType | BloodPressurePointType;
interface ReadRow {
  start: Date | string;
  value?: number;
  systolic?: number;
  diastolic?: number;
}

export class TimeseriesService {
  constructor(private readonly ctx: Context) {}

  /**
   * Stores a batch of samples for one member and metric, stamped with the partner's provider
   * (`partner:{org key}`). Each sample is validated on its own; the valid ones are written by one
   * set-based upsert, then the hours it touched are recomputed in the hourly rollup by one more
   * statement in the same transaction, so the statement count does not grow with the batch.
   */
  async ingest(userId: string, slug: string, input: TimeseriesBatchInput): Promise<TimeseriesIngestResultType> {
    const user = await this.ctx.services.users.requireMember(userId);
    const metric = this.requireMetric(slug);
    if (input.data.length > MAX_TIMESERIES_BATCH) {
      throw new DomainError("payload_too_large", `At most ${MAX_TIMESERIES_BATCH} samples per request`);
    }
    const now = this.ctx.deps.now().getTime();
    const rejected: RejectedSample[] = [];
    const valid: ValidSample[] = [];
    input.data.forEach((item, i) => {
      const r = validateSample(item, i, metric, now);
      if (isRejected(r)) rejected.push(r);
      else valid.push(r);
    });
    const { kept, superseded } = dedupeBatch(valid);
    let counts = { inserted: 0, updated: 0 };
    if (kept.length) counts = await writeSamples(this.ctx.em, { orgId: user.org.id, userId: user.id, provider: null }, metric, kept);
    return {
      accepted: counts.inserted,
      updated: counts.updated,
      duplicate: superseded + kept.length - counts.inserted - counts.updated,
      rejected,
    };
  }

  /** Samples or buckets in [startTime, endTime), one provider per bucket unless `provider` is given. */
  async read(userId: string, slug: string, args: TimeseriesArgs): Promise<Point[]> {
    const user = await this.ctx.services.users.requireMember(userId);
    const metric = this.requireMetric(slug);
    const start = args.startTime.getTime();
    const end = args.endTime.getTime();
    if (end <= start) throw validationError([{ field: "endTime", code: "invalid_value", message: "must be after start_time" }]);
    if (end - start > MAX_WINDOW_DAYS * DAY_MS) {
      throw validationError([{ field: "endTime", code: "out_of_range", message: `must be within ${MAX_WINDOW_DAYS} days of start_time` }]);
    }
    const bucket = BUCKETS[args.granularity];
    const q: ReadQuery = {
      userId: user.id,
      metric: metric.slug,
      shape: metric.shape,
      start: args.startTime,
      end: args.endTime,
      bucket: bucket?.interval ?? null,
      aggregate: metric.aggregate,
      provider: args.provider ?? null,
      priority: this.ctx.deps.config.metricSourcePriority,
      limit: args.limit,
      offset: args.offset,
    };
    const { sql, params } = readStatement(q);
    // A rollup page reads, ranks and sorts only its own rows (at most `limit` hours), so it needs
    // neither setting below: one round trip instead of four.
    const rows = readsHourlyRollup(q) ? await this.ctx.em.execute<ReadRow[]>(sql, params) : await this.query(sql, params);
    const unit = metric.units[0];
    return rows.map((r) => {
      const from = new Date(r.start);
      const to = bucket ? new Date(Math.min(from.getTime() + bucket.ms, end)) : from;
      if (metric.shape === "blood_pressure") return { start: from, end: to, systolic: round(r.systolic!, bucket), diastolic: round(r.diastolic!, bucket), unit };
      return { start: from, end: to, value: round(r.value!, bucket), unit };
    });
  }

  /**
   * Reads of the samples run with two transaction-local settings. The planner cannot estimate how many buckets
   * date_bin() yields nor how narrow the raw read's one-minute probe is, so (1) with the default
   * work_mem it sorts a year of samples, spilling to disk, instead of hashing them in memory (hourly
   * over a year needs ~5 MB), and (2) the inflated cost estimates switch on JIT compilation, which
   * costs more (~150 ms) than these millisecond queries.
   */
  private query(sql: string, params: unknown[]): Promise<ReadRow[]> {
    return this.ctx.em.transactional(async (em) => {
      await em.execute("select set_config('work_mem', '32MB', true), set_config('jit', 'off', true)");
      return em.execute<ReadRow[]>(sql, params);
    });
  }

  private requireMetric(slug: string): TimeseriesMetric {
    const metric = timeseriesMetric(slug);
    if (!metric) throw notFound("Metric");
    return metric;
  }
}

interface WriteKey {
  orgId: string;
  /** Internal users.id. */
  userId: string;
  /** null → the org's partner ingest (`partner:{org key}`), else the provider slug stamped on the samples. */
  provider: string | null;
}

/**
 * The one write of timeseries samples: in one transaction under the per-member-and-metric advisory
 * lock, the set-based upsert (INGEST_SQL) and the recomputation of the hours it touched
 * (ROLLUP_SQL), so the hourly rollup stays exact. `samples` come from dedupeBatch.
 */
async function writeSamples(em: EntityManager, key: WriteKey, metric: TimeseriesMetric, samples: ValidSample[]) {
  // Epoch seconds and no null keys (json_to_recordset reads a missing key as null): this string is
  // built for every sample of every batch.
  const rows = JSON.stringify(
    samples.map((s) => {
      const row: Record<string, string | number> = { ts: s.tsMs / 1000 };
      if (s.value !== null) row.value = s.value;
      if (s.systolic !== null) row.systolic = s.systolic;
      if (s.diastolic !== null) row.diastolic = s.diastolic;
      if (s.clientId !== null) row.client_id = s.clientId;
      if (s.device !== null) row.device = s.device;
      if (s.source !== null) row.source = s.source;
      return row;
    }),
  );
  const params = [key.provider, key.orgId, rows, key.userId, metric.slug, key.userId, metric.slug, metric.units[0]];
  const hours = new Set(samples.map((x) => Math.floor(x.tsMs / 1000 / HOUR_S) * HOUR_S));
  type IngestRow = { inserted: number; updated: number; provider: string; moved_hours: number[] };
  for (let attempt = 1; ; attempt++) {
    try {
      return await em.transactional(async (em) => {
        await em.execute("select pg_advisory_xact_lock(hashtextextended(?, 0))", [`timeseries:${key.userId}:${metric.slug}`]);
        const [row] = await em.execute<IngestRow[]>(INGEST_SQL, params);
        const touched = [...hours, ...row.moved_hours.map(Number)];
        await em.execute(ROLLUP_SQL, rollupParams(key.userId, metric.slug, row.provider, touched));
        return { inserted: row.inserted, updated: row.updated };
      });
    } catch (e) {
      if (!isRetryable(e)) throw e;
      if (attempt >= ATTEMPTS) throw new DomainError("conflict", "A concurrent request is writing the same samples; retry the batch");
    }
  }
}

/** Who the samples belong to and the provider they are stamped with (a device provider slug). */
export interface TimeseriesWriteTarget {
  user: User;
  orgId: string;
  provider: string;
}

export interface TimeseriesWriteCounts {
  accepted: number;
  updated: number;
  duplicate: number;
  rejected: number;
}

/**
 * Internal ingest of timeseries samples stamped with a given provider (device provider sync): the
 * partner ingest's validation (wire items: `timestamp`, `value`, `unit`, optional `client_id`,
 * `device`, `source`), in-batch dedup and write (writeSamples: upsert + hourly rollup in one
 * transaction). Unlike the partner route there is no batch limit: the samples are written in
 * chunks of MAX_TIMESERIES_BATCH, each its own transaction. Re-sending a sample for the same
 * instant updates it (or is a duplicate), never a second row.
 */
export async function ingestTimeseries(
  em: EntityManager,
  deps: Pick<AppDeps, "now">,
  target: TimeseriesWriteTarget,
  slug: string,
  data: readonly Record<string, unknown>[],
): Promise<TimeseriesWriteCounts> {
  const metric = timeseriesMetric(slug);
  if (!metric) throw notFound("Metric");
  const now = deps.now().getTime();
  const valid: ValidSample[] = [];
  let rejected = 0;
  data.forEach((item, i) => {
    const r = validateSample(item, i, metric, now);
    if (isRejected(r)) rejected++;
    else valid.push(r);
  });
  const { kept, superseded } = dedupeBatch(valid);
  const counts = { accepted: 0, updated: 0, duplicate: superseded, rejected };
  for (let i = 0; i < kept.length; i += MAX_TIMESERIES_BATCH) {
    const chunk = kept.slice(i, i + MAX_TIMESERIES_BATCH);
    const out = await writeSamples(em, { orgId: target.orgId, userId: target.user.id, provider: target.provider }, metric, chunk);
    counts.accepted += out.inserted;
    counts.updated += out.updated;
    counts.duplicate += chunk.length - out.inserted - out.updated;
  }
  return counts;
}

/** Bucket means and sums are rounded to 2 decimals; raw samples are returned as stored. */
const round = (n: number, bucket: unknown) => (bucket ? Math.round(n * 100) / 100 : n);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One stored sample by its `sample_id` (server UUID) or the partner's `client_id` (the id wins when
 * both match), for the measurements deep link. `userId` is the internal users.id (from
 * `requireMember`), so callers apply the member-access rule first. `metric` narrows the lookup;
 * without it a client_id reused across metrics resolves to the most recently updated sample.
 */
export async function findTimeseriesSample(em: EntityManager, userId: string, metric: string | null, sampleIdOrClientId: string): Promise<TimeseriesSample | null> {
  const scope = { user: userId, ...(metric ? { metric } : {}) };
  const byId = UUID.test(sampleIdOrClientId) ? await em.findOne(TimeseriesSample, { ...scope, id: sampleIdOrClientId }) : null;
  return byId ?? em.findOne(TimeseriesSample, { ...scope, clientId: sampleIdOrClientId }, { orderBy: { updatedAt: "desc" } });
}
