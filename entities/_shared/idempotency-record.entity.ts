import { Entity, Index, ManyToOne, PrimaryKey, Property, type Rel, OptionalProps } from "@mikro-orm/core";
import { Org } from "../partners/org.entity";
import { User } from "../users/user.entity";

/**
 * A stored response for an `Idempotency-Key`, scoped to the caller (the org for tenant calls, the
 * member for member calls). The body is encrypted: it may hold a freshly issued secret or health data.
 * Member-scoped rows cascade with the member on purge.
 */
@Entity({ tableName: "idempotency_records" })
export class IdempotencyRecord {
  [OptionalProps]?: "createdAt";

  @PrimaryKey({ type: "text" })
  scope!: string;

  @PrimaryKey({ type: "text" })
  key!: string;

  @ManyToOne(() => Org, { deleteRule: "cascade" })
  org!: Rel<Org>;

  @ManyToOne(() => User, { deleteRule: "cascade", nullable: true })
  user?: Rel<User> | null;

  @Property({ type: "text" })
  requestHash!: string;

  /** null while the first request is in flight. */
  @Property({ type: "integer", nullable: true })
  responseStatus?: number | null;

  @Property({ type: "text", nullable: true })
  responseBody?: string | null;

  @Property({ type: "timestamptz" })
  createdAt: Date = new Date();

  @Index()
  @Property({ type: "timestamptz" })
  expiresAt!: Date;
}
