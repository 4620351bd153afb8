import { Entity, Index, ManyToOne, PrimaryKey, Property, Unique, type Rel } from "@mikro-orm/core";
import crypto from "node:crypto";
import { SummaryBase } from "./summary-base";

/** One sleep session; `date` is the local date the member woke up. */
@Entity({ tableName: "sleep_summaries" })
@Unique({ properties: ["user", "provider", "clientId"] })
@Index({ properties: ["user", "date"] })
export class SleepSummary extends SummaryBase {
  @Property({ type: "timestamptz" }) start!: Date;
  @Property({ type: "timestamptz" }) end!: Date;
  @Property({ type: "integer" }) durationSeconds!: number;
  @Property({ type: "double", nullable: true }) efficiency?: number | null;
  /** Digest of the stage intervals, so a resend with changed stages counts as a revision. */
  @Property({ type: "text", nullable: true }) stagesDigest?: string | null;
}

/** One stage segment of a sleep session (joins the nightly summary by `sleep` = sample_id). */
@Entity({ tableName: "sleep_stages" })
@Index({ properties: ["sleep", "start"] })
export class SleepStage {
  @PrimaryKey({ type: "uuid" }) id: string = crypto.randomUUID();
  @ManyToOne(() => SleepSummary, { deleteRule: "cascade" }) sleep!: Rel<SleepSummary>;
  @Property({ type: "text" }) stage!: string;
  @Property({ type: "timestamptz" }) start!: Date;
  @Property({ type: "timestamptz" }) end!: Date;
}
