import { Entity, Index, ManyToOne, PrimaryKey, Property, type Rel, OptionalProps } from "@mikro-orm/core";
import crypto from "node:crypto";
import { Org } from "../partners/org.entity";

/**
 * An event-signing HMAC secret, encrypted at rest with the master key. The current secret has
 * `expiresAt = null`; a rotated one keeps signing until `expiresAt` (the grace window).
 */
@Entity({ tableName: "signing_secrets" })
export class SigningSecret {
  [OptionalProps]?: "createdAt";

  @PrimaryKey({ type: "uuid" })
  id: string = crypto.randomUUID();

  @Index()
  @ManyToOne(() => Org, { deleteRule: "cascade" })
  org!: Rel<Org>;

  @Property({ type: "text" })
  ciphertext!: string;

  @Property({ type: "timestamptz" })
  createdAt: Date = new Date();

  @Property({ type: "timestamptz", nullable: true })
  expiresAt?: Date | null;
}
