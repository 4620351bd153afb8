import { Entity, ManyToOne, OptionalProps, PrimaryKey, Property, Unique, type Rel } from "@mikro-orm/core";
import crypto from "node:crypto";
import { Org } from "../partners/org.entity";

/** A partner-owned queue registered for one stream (`queue_name`). Secrets are encrypted, never returned. */
@Entity({ tableName: "org_queues" })
@Unique({ properties: ["org", "queueName"] })
export class QueueConfig {
  [OptionalProps]?: "createdAt" | "updatedAt";

  @PrimaryKey({ type: "uuid" })
  id: string = crypto.randomUUID();

  @ManyToOne(() => Org, { deleteRule: "cascade" })
  org!: Rel<Org>;

  @Property({ type: "text" })
  queueName!: string;

  @Property({ type: "text" })
  type!: string;

  @Property({ type: "json" })
  settings!: Record<string, string>;

  @Property({ type: "text" })
  secretsCiphertext!: string;

  @Property({ type: "timestamptz" })
  createdAt: Date = new Date();

  @Property({ type: "timestamptz", onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
