import { Entity, ManyToOne, PrimaryKey, Property, type Rel } from "@mikro-orm/core";
import { User } from "../users/user.entity";

/**
 * Per-provider hourly rollup of `timeseries_samples`, rewritten for the touched hours in the same
 * transaction as every ingest, so `one_hour` reads of long windows scan 24 rows a day, not 288.
 */
@Entity({ tableName: "timeseries_hourly" })
export class TimeseriesHourly {
  @ManyToOne(() => User, { primary: true, deleteRule: "cascade" })
  user!: Rel<User>;

  @PrimaryKey({ type: "text" })
  metric!: string;

  /** UTC start of the hour. */
  @PrimaryKey({ type: "timestamptz" })
  hour!: Date;

  @PrimaryKey({ type: "text" })
  provider!: string;

  @Property({ type: "integer" })
  sampleCount!: number;

  @Property({ type: "double", nullable: true })
  valueSum?: number | null;

  @Property({ type: "double", nullable: true })
  systolicSum?: number | null;

  @Property({ type: "double", nullable: true })
  diastolicSum?: number | null;
}
