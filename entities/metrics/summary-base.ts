import { ManyToOne, OptionalProps, PrimaryKey, Property, type Rel } from "@mikro-orm/core";
import crypto from "node:crypto";
import { User } from "../users/user.entity";

/**
 * Provenance and identity every summary row carries. `id` is the public `sample_id`; rows are the
 * member's (cascade with the user). `provider` is `partner:{org key}` for partner ingest or a
 * device provider slug; `date` is the member's local calendar day the row belongs to.
 */
export abstract class SummaryBase {
  [OptionalProps]?: "createdAt" | "updatedAt" | "isBackfill";

  @PrimaryKey({ type: "uuid" })
  id: string = crypto.randomUUID();

  @ManyToOne(() => User, { deleteRule: "cascade" })
  user!: Rel<User>;

  @Property({ type: "text" })
  provider!: string;

  @Property({ type: "text", nullable: true })
  device?: string | null;

  @Property({ type: "text", nullable: true })
  source?: string | null;

  @Property({ type: "text", nullable: true })
  clientId?: string | null;

  @Property({ type: "string", columnType: "date" })
  date!: string;

  @Property({ type: "boolean" })
  isBackfill: boolean = false;

  @Property({ type: "timestamptz" })
  createdAt: Date = new Date();

  @Property({ type: "timestamptz" })
  updatedAt: Date = new Date();
}
