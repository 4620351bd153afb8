import { Entity, Index, Property, Unique } from "@mikro-orm/core";
import { SummaryBase } from "./summary-base";

/** One daily activity total per member, provider and local date (a revision replaces it). */
@Entity({ tableName: "activity_summaries" })
@Unique({ properties: ["user", "provider", "date"] })
@Index({ properties: ["user", "date"] })
@Index({ properties: ["user", "clientId"] })
export class ActivitySummary extends SummaryBase {
  @Property({ type: "integer", nullable: true }) steps?: number | null;
  @Property({ type: "double", nullable: true }) calories?: number | null;
  @Property({ type: "double", nullable: true }) distanceMeters?: number | null;
  @Property({ type: "integer", nullable: true }) activeMinutes?: number | null;
}
