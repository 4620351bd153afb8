import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property, type Rel } from "@mikro-orm/core";
import crypto from "node:crypto";
import { EventRecord } from "./event.entity";

/** One delivery attempt of one event: when, where, outcome, latency and the destination's error. */
@Entity({ tableName: "event_delivery_attempts" })
@Index({ properties: ["event", "attemptedAt"] })
export class DeliveryAttempt {
  [OptionalProps]?: "attemptedAt";

  @PrimaryKey({ type: "uuid" })
  id: string = crypto.randomUUID();

  @ManyToOne(() => EventRecord, { deleteRule: "cascade" })
  event!: Rel<EventRecord>;

  @Property({ type: "integer" })
  attemptNo!: number;

  @Property({ type: "timestamptz" })
  attemptedAt: Date = new Date();

  @Property({ type: "text" })
  queueName!: string;

  @Property({ type: "text" })
  queueType!: string;

  /** `delivered` or `failed`. */
  @Property({ type: "text" })
  outcome!: string;

  @Property({ type: "integer" })
  latencyMs!: number;

  @Property({ type: "text", nullable: true })
  error?: string | null;
}
