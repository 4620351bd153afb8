import { Entity, ManyToOne, OptionalProps, PrimaryKey, Property, Unique, type Rel } from "@mikro-orm/core";
import crypto from "node:crypto";
import { User } from "../users/user.entity";

/**
 * The once-per-window guard: a detector fires for a member at most once per `window_key` (a local
 * date, ISO week or action id). Inserted with ON CONFLICT DO NOTHING in the transaction that
 * creates the card and the event, so concurrent sweeps on several workers never duplicate a nudge.
 */
@Entity({ tableName: "nudge_firings" })
@Unique({ properties: ["user", "triggerName", "windowKey"] })
export class NudgeFiring {
  [OptionalProps]?: "firedAt";

  @PrimaryKey({ type: "uuid" })
  id: string = crypto.randomUUID();

  @ManyToOne(() => User, { deleteRule: "cascade" })
  user!: Rel<User>;

  @Property({ type: "text" })
  triggerName!: string;

  @Property({ type: "text" })
  windowKey!: string;

  /** `card` or `health_action`. */
  @Property({ type: "text" })
  targetType!: string;

  @Property({ type: "uuid" })
  targetId!: string;

  /** `schedule` or `sandbox`. */
  @Property({ type: "text" })
  origin!: string;

  @Property({ type: "timestamptz" })
  firedAt: Date = new Date();
}
