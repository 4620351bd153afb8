import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property, type Rel } from "@mikro-orm/core";
import crypto from "node:crypto";
import { Org } from "../partners/org.entity";
import { User } from "../users/user.entity";

export enum EventStatus {
  pending = "pending",
  delivered = "delivered",
  failed = "failed",
}

/**
 * The transactional outbox: written in the same transaction as the change that causes it, then
 * delivered by the dispatcher. `id` is the partner-visible `event_id`, stable across retries.
 */
@Entity({ tableName: "events" })
@Index({ name: "events_due_index", expression: "create index events_due_index on events (next_attempt_at) where status = 'pending'" })
@Index({ properties: ["org", "createdAt"] })
export class EventRecord {
  [OptionalProps]?: "status" | "attempts" | "createdAt";

  @PrimaryKey({ type: "uuid" })
  id: string = crypto.randomUUID();

  @ManyToOne(() => Org, { deleteRule: "cascade" })
  org!: Rel<Org>;

  /** Internal member row: the member's events are purged with them. */
  @ManyToOne(() => User, { deleteRule: "cascade", nullable: true })
  user?: Rel<User> | null;

  /** The partner's user_id for the envelope (kept on `user.deleted`, whose member row is gone). */
  @Property({ type: "uuid", nullable: true })
  subjectUserId?: string | null;

  @Property({ type: "text" })
  eventType!: string;

  /** Stream of the event type; null for test.ping, which names its queue in `targetQueue`. */
  @Property({ type: "text", nullable: true })
  stream?: string | null;

  @Property({ type: "text", nullable: true })
  targetQueue?: string | null;

  @Property({ type: "timestamptz" })
  occurredAt!: Date;

  /** The exact serialized JSON body that is signed and delivered. */
  @Property({ type: "text" })
  body!: string;

  @Enum({ items: () => EventStatus, nativeEnumName: "event_status" })
  status: EventStatus = EventStatus.pending;

  @Property({ type: "integer" })
  attempts: number = 0;

  @Property({ type: "timestamptz" })
  nextAttemptAt!: Date;

  /** Start of the 48 h delivery window (the first attempt, not creation: buffered events keep their full window). */
  @Property({ type: "timestamptz", nullable: true })
  firstAttemptAt?: Date | null;

  @Property({ type: "timestamptz", nullable: true })
  deliveredAt?: Date | null;

  @Property({ type: "text", nullable: true })
  lastError?: string | null;

  @Property({ type: "timestamptz" })
  createdAt: Date = new Date();
}
