import { Entity, ManyToOne, OptionalProps, PrimaryKey, Property, type Rel } from "@mikro-orm/core";
import crypto from "node:crypto";
import { User } from "../users/user.entity";

/**
 * One OAuth authorization request in flight. The `state` sent to the provider is stored as its
 * SHA-256 (it is 256 random bits); the PKCE verifier is SecretBox ciphertext. Single use: the
 * callback consumes it before exchanging the code, so a replayed callback cannot link twice.
 */
@Entity({ tableName: "device_oauth_states" })
export class OAuthLinkState {
  [OptionalProps]?: "createdAt";

  @PrimaryKey({ type: "uuid" })
  id: string = crypto.randomUUID();

  @ManyToOne(() => User, { deleteRule: "cascade" })
  user!: Rel<User>;

  @Property({ type: "text" })
  providerSlug!: string;

  @Property({ type: "text", unique: true })
  stateHash!: string;

  @Property({ type: "text", lazy: true })
  codeVerifierEnc!: string;

  /** The partner redirect URI carried over from the link token. */
  @Property({ type: "text" })
  redirectUri!: string;

  @Property({ type: "timestamptz" })
  expiresAt!: Date;

  @Property({ type: "timestamptz", nullable: true })
  usedAt?: Date | null;

  @Property({ type: "timestamptz" })
  createdAt: Date = new Date();
}
