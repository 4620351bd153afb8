import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property, type Rel } from "@mikro-orm/core";
import crypto from "node:crypto";
import { User } from "../users/user.entity";

export enum HealthActionStatus {
  pending = "pending",
  completed = "completed",
  skipped = "skipped",
  missed = "missed",
  cancelled = "cancelled",
}

/** Who authored an action: the partner (POST), the coach (nudges) or the member's program (accepted focus action). */
export enum HealthActionSource {
  partner = "partner",
  coach = "coach",
  program = "program",
}

/** A scheduled thing to do (`/v1/users/{user_id}/health-actions`). Focus actions come from the program. */
@Entity({ tableName: "health_actions" })
@Index({ properties: ["user", "scheduledAt"] })
@Index({ name: "health_actions_due_idx", expression: 'create index "health_actions_due_idx" on "health_actions" ("scheduled_at") where "status" = \'pending\'' })
export class HealthAction {
  [OptionalProps]?: "status" | "executionOptions" | "source" | "isFocus" | "createdAt" | "updatedAt";

  /** The public `health_action_id`. */
  @PrimaryKey({ type: "uuid" })
  id: string = crypto.randomUUID();

  @ManyToOne(() => User, { deleteRule: "cascade" })
  user!: Rel<User>;

  @Property({ type: "text" })
  title!: string;

  @Property({ type: "text", nullable: true })
  description?: string | null;

  @Enum({ items: () => HealthActionStatus, nativeEnumName: "health_action_status" })
  status: HealthActionStatus = HealthActionStatus.pending;

  @Property({ type: "timestamptz" })
  scheduledAt!: Date;

  @Property({ type: "json" })
  executionOptions: Record<string, unknown> = {};

  @Enum({ items: () => HealthActionSource, nativeEnumName: "health_action_source" })
  source: HealthActionSource = HealthActionSource.partner;

  /** A program focus action (accepted recommendation): what `missed_first_action` watches. */
  @Property({ type: "boolean" })
  isFocus: boolean = false;

  @Property({ type: "uuid", nullable: true })
  programId?: string | null;

  @Property({ type: "text", nullable: true })
  category?: string | null;

  @Property({ type: "timestamptz", nullable: true })
  completedAt?: Date | null;

  @Property({ type: "timestamptz" })
  createdAt: Date = new Date();

  @Property({ type: "timestamptz" })
  updatedAt: Date = new Date();
}
