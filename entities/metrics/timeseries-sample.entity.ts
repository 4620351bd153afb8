import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property, type Rel } from "@mikro-orm/core";
import crypto from "node:crypto";
import { User } from "../users/user.entity";

/**
 * One intraday sample of a timeseries metric (heart_rate, steps, …). Written set-based by
 * `TimeseriesService.ingest` (one INSERT … ON CONFLICT per batch), never one ORM insert per sample.
 *
 * Identity: a sample is (member, metric, provider, instant). A revised value for the same instant
 * updates the row; `client_id`, when given, is a second identity per (member, metric, provider), so
 * a partner can also correct a sample's timestamp. Provenance (`provider`, `device`, `source`) is on
 * every row so reads can pick one source per bucket and daily totals are never added on top of the
 * same device's intraday samples.
 */
@Entity({ tableName: "timeseries_samples" })
// The identity (ON CONFLICT target) is also the only read index: ts before provider so a window is
// one range scan over every provider, and INCLUDE makes reads index-only. One index for both keeps
// ingest cheaper and leaves the planner no worse index to pick for the raw read's per-sample probe.
@Index({
  name: "timeseries_samples_instant_key",
  expression:
    'create unique index "timeseries_samples_instant_key" on "timeseries_samples" ("user_id", "metric", "ts", "provider") include ("value", "systolic", "diastolic")',
})
@Index({
  name: "timeseries_samples_client_id_unique",
  expression:
    'create unique index "timeseries_samples_client_id_unique" on "timeseries_samples" ("user_id", "metric", "provider", "client_id") where "client_id" is not null',
})
export class TimeseriesSample {
  [OptionalProps]?: "createdAt" | "updatedAt";

  /** The public `sample_id`. */
  @PrimaryKey({ type: "uuid" })
  id: string = crypto.randomUUID();

  @ManyToOne(() => User, { deleteRule: "cascade" })
  user!: Rel<User>;

  /** Catalog slug (resolvers/metrics/timeseries.catalog.ts). */
  @Property({ type: "text" })
  metric!: string;

  /** The sample's instant (whole seconds, UTC). */
  @Property({ type: "timestamptz" })
  ts!: Date;

  /** Scalar metrics; null for blood pressure. In the catalog's canonical unit. */
  @Property({ type: "double", nullable: true })
  value?: number | null;

  @Property({ type: "double", nullable: true })
  systolic?: number | null;

  @Property({ type: "double", nullable: true })
  diastolic?: number | null;

  @Property({ type: "text" })
  unit!: string;

  /** `partner:{org key}` for partner ingest, else a device provider slug (`apple_health`, `oura`, …). */
  @Property({ type: "text" })
  provider!: string;

  @Property({ type: "text", nullable: true })
  device?: string | null;

  @Property({ type: "text", nullable: true })
  source?: string | null;

  @Property({ type: "text", nullable: true })
  clientId?: string | null;

  @Property({ type: "timestamptz" })
  createdAt: Date = new Date();

  @Property({ type: "timestamptz" })
  updatedAt: Date = new Date();
}
