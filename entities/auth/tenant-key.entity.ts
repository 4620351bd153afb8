import { Entity, Index, ManyToOne, PrimaryKey, Property, type Rel, OptionalProps } from "@mikro-orm/core";
import { Org } from "../partners/org.entity";

/**
 * A tenant API key `ak_{environment}_{id}.{secret}`. Only the SHA-256 of the secret part is kept
 * (the secret is 256 random bits, so a slow KDF adds nothing); the raw key is never stored.
 */
@Entity({ tableName: "tenant_keys" })
export class TenantKey {
  [OptionalProps]?: "createdAt";

  /** The `{id}` part of the key; finds the row. */
  @PrimaryKey({ type: "text" })
  id!: string;

  @Index()
  @ManyToOne(() => Org, { deleteRule: "cascade" })
  org!: Rel<Org>;

  @Property({ type: "text" })
  name!: string;

  @Property({ type: "text" })
  secretHash!: string;

  @Property({ type: "timestamptz" })
  createdAt: Date = new Date();

  @Property({ type: "timestamptz", nullable: true })
  lastUsedAt?: Date | null;

  /** Set when a rotation starts this key's grace period. */
  @Property({ type: "timestamptz", nullable: true })
  expiresAt?: Date | null;

  @Property({ type: "timestamptz", nullable: true })
  revokedAt?: Date | null;
}
