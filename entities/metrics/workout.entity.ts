import { Entity, Index, Property, Unique } from "@mikro-orm/core";
import { SummaryBase } from "./summary-base";

/** A workout; `date` is the local date it started. */
@Entity({ tableName: "workouts" })
@Unique({ properties: ["user", "provider", "clientId"] })
@Index({ properties: ["user", "date"] })
export class Workout extends SummaryBase {
  @Property({ type: "timestamptz" }) start!: Date;
  @Property({ type: "timestamptz" }) end!: Date;
  @Property({ type: "text" }) activityType!: string;
  @Property({ type: "double", nullable: true }) calories?: number | null;
  @Property({ type: "double", nullable: true }) distanceMeters?: number | null;
  @Property({ type: "double", nullable: true }) avgHeartRate?: number | null;
}
