import type { EntityManager } from "@mikro-orm/postgresql";
import crypto from "node:crypto";
import { Org } from "../../entities/partners/org.entity";
import type { User } from "../../entities/users/user.entity";
import { IngestStatus, SummaryKind, type IngestItemResultType, type SummaryBatchInput } from "../../schema/metrics/summary.type";
import type { Context } from "../_shared/context";
import type { AppDeps } from "../_shared/deps";
import { DomainError, notFound, validationError } from "../_shared/errors";
import { emitEvent } from "../event-stream";
import { daysInclusive } from "./local-day";
import { sourceRankSql } from "./source-priority";
import { createLatestSummaryLoader } from "./summaries.loaders";
import { timeseriesMetric } from "./timeseries.catalog";
import { findTimeseriesSample } from "./timeseries.service";
import { validateItem } from "./summary-items";
import { KINDS, type SummaryItem } from "./summary-kinds";

export const MAX_BATCH = 500;
const MAX_WINDOW_DAYS = 366;

interface Row {
  index: number;
  item: SummaryItem;
  date: string;
  key: string;
}

/** Partner ingest and reads of daily summaries (activity, sleep, body, workouts). */
export class SummariesService {
  private readonly latestLoaders = new Map<SummaryKind, ReturnType<typeof createLatestSummaryLoader>>();
  constructor(private readonly ctx: Context) {}

  /** Per-request loader of members' latest rows of one kind (see summaries.loaders.ts). */
  latest(kind: SummaryKind) {
    let l = this.latestLoaders.get(kind);
    if (!l) this.latestLoaders.set(kind, (l = createLatestSummaryLoader(this.ctx, kind)));
    return l;
  }

  /**
   * Validates each item on its own, then writes the whole batch with one set-based upsert.
   * A resend of identical data is `duplicate`; changed data for the same client_id (or, for
   * activity, the same local day) is a revision and keeps its `sample_id`.
   */
  async ingest(userId: string, kind: SummaryKind, input: SummaryBatchInput): Promise<IngestItemResultType[]> {
    const user = await this.ctx.services.users.requireMember(userId);
    if (input.data.length > MAX_BATCH) throw new DomainError("payload_too_large", `A batch holds at most ${MAX_BATCH} items; split it`);
    const org = await this.ctx.em.findOneOrFail(Org, { id: user.org.id });
    return ingestSummaries(this.ctx.em, this.ctx.deps, { user, orgId: org.id, provider: `partner:${org.key}` }, kind, input.data, input.isBackfill === true);
  }

  /**
   * Rows for a local-date window, one source per day: for each date only the highest-priority
   * provider's rows (METRIC_SOURCE_PRIORITY; `partner` = any partner ingest), so two sources are
   * never added up. Paginated.
   */
  async list(userId: string, kind: SummaryKind, args: { startDate: string; endDate: string; limit: number; offset: number }) {
    const user = await this.ctx.services.users.requireMember(userId);
    assertWindow(args.startDate, args.endDate);
    const spec = KINDS[kind];
    const order = kind === SummaryKind.activity ? "date" : kind === SummaryKind.body ? "date, measured_at" : "date, start";
    const rows = await this.ctx.em.execute<Record<string, unknown>[]>(
      `with ranked as (
         select s.*, dense_rank() over (partition by s.date order by ${sourceRankSql("s")}) as source_rank
           from ${spec.table} s where s.user_id = ? and s.date between ?::date and ?::date)
       select *, date::text as day, count(*) over () as total from ranked where source_rank = 1
        order by ${order}, id limit ? offset ?`,
      [JSON.stringify(this.ctx.deps.config.metricSourcePriority), user.id, args.startDate, args.endDate, args.limit, args.offset],
    );
    const total = rows.length ? Number(rows[0].total) : await this.countWinners(spec.table, user.id, args);
    return { items: rows.map((r) => toView(r)), pagination: { limit: args.limit, offset: args.offset, total } };
  }

  private async countWinners(table: string, userId: string, args: { startDate: string; endDate: string }) {
    const [r] = await this.ctx.em.execute<{ n: string }[]>(
      `select count(*) as n from (select dense_rank() over (partition by s.date order by ${sourceRankSql("s")}) as k
         from ${table} s where s.user_id = ? and s.date between ?::date and ?::date) x where k = 1`,
      [JSON.stringify(this.ctx.deps.config.metricSourcePriority), userId, args.startDate, args.endDate],
    );
    return Number(r?.n ?? 0);
  }

  /**
   * One sample by its server `sample_id` or the partner's `client_id`. Unknown metric or sample,
   * or another member's: 404.
   */
  async measurement(userId: string, metric: string, sampleId: string) {
    const user = await this.ctx.services.users.requireMember(userId);
    if (timeseriesMetric(metric)) {
      const t = await findTimeseriesSample(this.ctx.em, user.id, metric, sampleId);
      if (!t) throw notFound("Measurement");
      return {
        kind: "timeseries" as const,
        sampleId: t.id,
        clientId: t.clientId ?? null,
        provider: t.provider,
        metric: t.metric,
        timestamp: t.ts,
        value: t.value ?? null,
        systolic: t.systolic ?? null,
        diastolic: t.diastolic ?? null,
        unit: t.unit,
      };
    }
    const kind = (Object.values(SummaryKind) as string[]).includes(metric) ? (metric as SummaryKind) : null;
    if (!kind) throw notFound("Metric");
    const [row] = await this.ctx.em.execute<Record<string, unknown>[]>(
      `select s.*, s.date::text as day from ${KINDS[kind].table} s where s.user_id = ? and (s.id::text = ? or s.client_id = ?)
        order by (s.id::text = ?) desc, s.updated_at desc limit 1`,
      [user.id, sampleId, sampleId, sampleId],
    );
    if (!row) throw notFound("Measurement");
    return { ...toView(row), kind };
  }

  /** Stage segments of the nights that win their day, ordered by time. */
  async sleepStream(userId: string, args: { startDate: string; endDate: string; limit: number; offset: number }) {
    const user = await this.ctx.services.users.requireMember(userId);
    assertWindow(args.startDate, args.endDate);
    const rows = await this.ctx.em.execute<{ sample_id: string; day: string; stage: string; start: string | Date; end: string | Date; total: string }[]>(
      `with nights as (
         select s.id, s.date, dense_rank() over (partition by s.date order by ${sourceRankSql("s")}) as source_rank
           from sleep_summaries s where s.user_id = ? and s.date between ?::date and ?::date)
       select st.sleep_id as sample_id, n.date::text as day, st.stage, st.start, st."end", count(*) over () as total
         from sleep_stages st join nights n on n.id = st.sleep_id and n.source_rank = 1
        order by st.start, st.id limit ? offset ?`,
      [JSON.stringify(this.ctx.deps.config.metricSourcePriority), user.id, args.startDate, args.endDate, args.limit, args.offset],
    );
    const total = rows.length ? Number(rows[0].total) : 0;
    return {
      items: rows.map((r) => ({ sampleId: r.sample_id, date: r.day, stage: r.stage, start: new Date(r.start), end: new Date(r.end) })),
      pagination: { limit: args.limit, offset: args.offset, total },
    };
  }
}

/** Who the rows belong to and the provider they are stamped with (`partner:{org}` or a device provider slug). */
export interface SummaryWriteTarget {
  user: User;
  orgId: string;
  provider: string;
}

/**
 * The one write path for daily summaries (partner ingest and device provider sync alike):
 * validates each item on its own, derives its local day, then writes the batch with one set-based
 * upsert keyed by (user, provider, date|client_id), replaces changed nights' stages and emits
 * `device.data.daily` per changed day unless the item is a backfill. Callers enforce MAX_BATCH.
 */
export async function ingestSummaries(
  em: EntityManager,
  deps: Pick<AppDeps, "now">,
  target: SummaryWriteTarget,
  kind: SummaryKind,
  data: SummaryItem[],
  isBackfill: boolean,
): Promise<IngestItemResultType[]> {
  const { user, provider } = target;
  const spec = KINDS[kind];
  const results: IngestItemResultType[] = data.map((raw) => ({ clientId: typeof raw?.client_id === "string" ? raw.client_id : null, status: IngestStatus.rejected }));
  const winners = new Map<string, Row>();
  const superseded: Row[] = [];
  data.forEach((item, index) => {
    const details = validateItem(kind, item);
    if (details.length) {
      results[index].error = { code: "validation_error", message: "The item has invalid fields", details };
      return;
    }
    const date = spec.date(item, user.timezone);
    const key = spec.key === "date" ? date : String(item.client_id);
    const prev = winners.get(key);
    if (prev) superseded.push(prev); // within one batch, the later item for the same key wins
    winners.set(key, { index, item, date, key });
  });
  const rows = [...winners.values()];

  const { ids, changed } = await em.transactional(async (em) => {
    const out = rows.length ? await upsertRows(em, kind, user, provider, rows, isBackfill) : { ids: new Map<string, string>(), changed: new Set<string>() };
    if (kind === SummaryKind.sleep)
      await replaceStages(
        em,
        rows.filter((r) => out.changed.has(r.key)),
        out.ids,
      );
    const changedRows = rows.filter((r) => out.changed.has(r.key) && !(r.item.is_backfill ?? isBackfill));
    for (const date of new Set(changedRows.map((r) => r.date))) {
      await emitEvent(em, {
        orgId: target.orgId,
        user,
        type: "device.data.daily",
        occurredAt: deps.now(),
        body: { user_id: user.partnerUserId, date, provider, resources: [spec.resource] },
      });
    }
    return out;
  });
  for (const r of rows)
    results[r.index] = {
      clientId: r.item.client_id as string,
      status: changed.has(r.key) ? IngestStatus.accepted : IngestStatus.duplicate,
      sampleId: ids.get(r.key) ?? null,
    };
  for (const r of superseded) results[r.index] = { clientId: r.item.client_id as string, status: IngestStatus.duplicate, sampleId: ids.get(r.key) ?? null };
  return results;
}

async function upsertRows(em: EntityManager, kind: SummaryKind, user: User, provider: string, rows: Row[], backfill: boolean) {
  const spec = KINDS[kind];
  const cols = spec.columns.map(([c]) => c);
  const q = (c: string) => `"${c}"`;
  const recordset = [...spec.columns, ["client_id", "text"], ["date", "date"], ["device", "text"], ["source", "text"], ["is_backfill", "boolean"]]
    .map(([c, t]) => `${q(c)} ${t}`)
    .join(", ");
  const payload = rows.map((r) => ({
    ...Object.fromEntries(cols.map((c) => [c, r.item[c] ?? null])),
    ...(kind === SummaryKind.sleep ? { stages_digest: digest((r.item.stage_intervals ?? []) as unknown[]) } : {}),
    client_id: r.item.client_id,
    date: r.date,
    device: r.item.device ?? null,
    source: r.item.source ?? null,
    is_backfill: r.item.is_backfill ?? backfill,
  }));
  const tracked = [...cols, spec.key === "date" ? "client_id" : "date"];
  const changedRows = await em.execute<{ key: string }[]>(
    `with input as (select * from jsonb_to_recordset(?::jsonb) as t(${recordset}))
     insert into ${spec.table} (id, user_id, provider, ${[...cols, "client_id", "date", "device", "source", "is_backfill"].map(q).join(", ")}, created_at, updated_at)
     select gen_random_uuid(), ?, ?, ${[...cols, "client_id", "date", "device", "source", "is_backfill"].map(q).join(", ")}, now(), now() from input
     on conflict (user_id, provider, ${spec.key}) do update set
       ${[...tracked, "device", "source", "is_backfill"].map((c) => `${q(c)} = excluded.${q(c)}`).join(", ")}, updated_at = now()
     where (${tracked.map((c) => `${spec.table}.${q(c)}`).join(", ")}) is distinct from (${tracked.map((c) => `excluded.${q(c)}`).join(", ")})
     returning ${spec.key}::text as key`,
    [JSON.stringify(payload), user.id, provider],
  );
  const idRows = await em.execute<{ id: string; key: string }[]>(
    `select id, ${spec.key}::text as key from ${spec.table}
      where user_id = ? and provider = ? and ${spec.key}::text in (select jsonb_array_elements_text(?::jsonb))`,
    [user.id, provider, JSON.stringify(rows.map((r) => r.key))],
  );
  return { ids: new Map(idRows.map((r) => [r.key, r.id])), changed: new Set(changedRows.map((r) => r.key)) };
}

async function replaceStages(em: EntityManager, rows: Row[], ids: Map<string, string>) {
  if (!rows.length) return;
  const sleepIds = rows.map((r) => ids.get(r.key)!);
  await em.execute("delete from sleep_stages where sleep_id in (select (jsonb_array_elements_text(?::jsonb))::uuid)", [JSON.stringify(sleepIds)]);
  const stages = rows.flatMap((r) =>
    ((r.item.stage_intervals ?? []) as { stage: string; start: string; end: string }[]).map((s) => ({
      id: crypto.randomUUID(),
      sleep_id: ids.get(r.key),
      stage: s.stage,
      start: s.start,
      end: s.end,
    })),
  );
  if (stages.length) {
    await em.execute(
      `insert into sleep_stages (id, sleep_id, stage, start, "end")
       select id, sleep_id, stage, start, "end" from jsonb_to_recordset(?::jsonb) as t(id uuid, sleep_id uuid, stage text, start timestamptz, "end" timestamptz)`,
      [JSON.stringify(stages)],
    );
  }
}

function assertWindow(start: string, end: string) {
  const days = daysInclusive(start, end);
  if (days < 1) throw validationError([{ field: "endDate", code: "invalid_value", message: "must not be before start_date" }]);
  if (days > MAX_WINDOW_DAYS) throw validationError([{ field: "endDate", code: "out_of_range", message: `must be within ${MAX_WINDOW_DAYS} days of start_date` }]);
}

function digest(stages: unknown[]): string {
  return crypto.createHash("sha256").update(JSON.stringify(stages)).digest("hex");
}

const camel = (k: string) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const INSTANTS = new Set(["start", "end", "measured_at"]);

/** A summary row as the GraphQL types expect it (camelCase, numbers as numbers, instants as Dates). */
export function toView(r: Record<string, unknown>) {
  const out: Record<string, unknown> = { sampleId: r.id, clientId: r.client_id, provider: r.provider, date: r.day };
  for (const [k, v] of Object.entries(r)) {
    if (
      [
        "id",
        "user_id",
        "client_id",
        "provider",
        "date",
        "day",
        "total",
        "source_rank",
        "created_at",
        "updated_at",
        "is_backfill",
        "device",
        "source",
        "stages_digest",
      ].includes(k)
    )
      continue;
    out[camel(k)] = v === null ? null : INSTANTS.has(k) ? new Date(v as string | Date) : typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
  }
  return out;
}
