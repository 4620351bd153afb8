import { Entity, ManyToOne, OptionalProps, PrimaryKey, Property, type Rel } from "@mikro-orm/core";
import crypto from "node:crypto";
import { HealthAction } from "../health-actions/health-action.entity";
import { User } from "../users/user.entity";

/** One item of a session analysis's `recommended_focus_actions`; accepting it creates a focus action. */
@Entity({ tableName: "recommended_actions" })
export class RecommendedAction {
  [OptionalProps]?: "createdAt";

  /** The public `recommendation_id`. */
  @PrimaryKey({ type: "uuid" })
  id: string = crypto.randomUUID();

  @ManyToOne(() => User, { deleteRule: "cascade" })
  user!: Rel<User>;

  @Property({ type: "uuid", nullable: true })
  programId?: string | null;

  @Property({ type: "text" })
  title!: string;

  @Property({ type: "text" })
  description!: string;

  /** Program category id the action belongs to (e.g. `activity`). */
  @Property({ type: "text" })
  category!: string;

  /** Local time of day the focus action is scheduled at, `HH:mm` in the member's zone. */
  @Property({ type: "text" })
  localTime!: string;

  @Property({ type: "timestamptz", nullable: true })
  acceptedAt?: Date | null;

  @ManyToOne(() => HealthAction, { nullable: true, deleteRule: "set null" })
  focusAction?: Rel<HealthAction> | null;

  @Property({ type: "timestamptz" })
  createdAt: Date = new Date();
}
