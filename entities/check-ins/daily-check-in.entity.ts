import { Entity, Enum, ManyToOne, OptionalProps, PrimaryKey, Property, Unique, type Rel } from "@mikro-orm/core";
import crypto from "node:crypto";
import { User } from "../users/user.entity";

export enum CheckInStatus {
  pending = "pending",
  completed = "completed",
}

/** One check-in per member and local calendar date (spec §11 daily check-ins). */
@Entity({ tableName: "daily_check_ins" })
@Unique({ properties: ["user", "calendarDate"] })
export class DailyCheckIn {
  [OptionalProps]?: "status" | "streakCount" | "createdAt" | "updatedAt";

  /** The public `check_in_id`. */
  @PrimaryKey({ type: "uuid" })
  id: string = crypto.randomUUID();

  @ManyToOne(() => User, { deleteRule: "cascade" })
  user!: Rel<User>;

  /** `YYYY-MM-DD`, the member's local date. */
  @Property({ type: "string", columnType: "date" })
  calendarDate!: string;

  @Enum({ items: () => CheckInStatus, nativeEnumName: "check_in_status" })
  status: CheckInStatus = CheckInStatus.completed;

  @Property({ type: "smallint", nullable: true })
  moodRating?: number | null;

  @Property({ type: "smallint", nullable: true })
  energyLevel?: number | null;

  @Property({ type: "smallint", nullable: true })
  sleepQuality?: number | null;

  @Property({ type: "text", nullable: true })
  notes?: string | null;

  @Property({ type: "uuid", nullable: true })
  threadId?: string | null;

  @Property({ type: "uuid", nullable: true })
  sessionId?: string | null;

  /** Consecutive local dates with a check-in, ending at this one (as of creation). */
  @Property({ type: "integer" })
  streakCount: number = 1;

  @Property({ type: "timestamptz" })
  createdAt: Date = new Date();

  @Property({ type: "timestamptz" })
  updatedAt: Date = new Date();
}
