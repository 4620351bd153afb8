import { Entity, Index, Property, Unique } from "@mikro-orm/core";
import { SummaryBase } from "./summary-base";

/** A body measurement; `date` is its local date. */
@Entity({ tableName: "body_measurements" })
@Unique({ properties: ["user", "provider", "clientId"] })
@Index({ properties: ["user", "date"] })
export class BodyMeasurement extends SummaryBase {
  @Property({ type: "timestamptz" }) measuredAt!: Date;
  @Property({ type: "double", nullable: true }) weightKg?: number | null;
  @Property({ type: "double", nullable: true }) bodyFatPct?: number | null;
  @Property({ type: "double", nullable: true }) bmi?: number | null;
}
