import { Entity, ManyToOne, OptionalProps, PrimaryKey, Property, type Rel } from "@mikro-orm/core";
import crypto from "node:crypto";
import { User } from "../users/user.entity";

/**
 * A short-lived link token: lets a member's client (without credentials) start one provider's
 * OAuth flow for that member. Only its SHA-256 is stored (the token is 256 random bits, so a slow
 * KDF adds nothing). Single use: producing an OAuth URL consumes it.
 */
@Entity({ tableName: "device_link_tokens" })
export class DeviceLinkToken {
  [OptionalProps]?: "createdAt";

  @PrimaryKey({ type: "uuid" })
  id: string = crypto.randomUUID();

  @ManyToOne(() => User, { deleteRule: "cascade" })
  user!: Rel<User>;

  @Property({ type: "text" })
  providerSlug!: string;

  @Property({ type: "text", unique: true })
  tokenHash!: string;

  /** Where the partner wants the member sent after the provider's consent screen. */
  @Property({ type: "text" })
  redirectUri!: string;

  @Property({ type: "timestamptz" })
  expiresAt!: Date;

  @Property({ type: "timestamptz", nullable: true })
  usedAt?: Date | null;

  @Property({ type: "timestamptz" })
  createdAt: Date = new Date();
}
