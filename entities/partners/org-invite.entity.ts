import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Unique, type Rel } from "@mikro-orm/core";
import crypto from "node:crypto";
import { OrgMemberScope } from "./org-member.entity";
import { Org } from "./org.entity";

/**
 * An invitation to join a partner org's admin portal. Only the SHA-256 of the one-time token is
 * stored (the token is 256 random bits, so a slow KDF adds nothing); `tokenPrefix` is its first
 * 8 characters, safe to show in lists. The status (pending, accepted, revoked, expired) is derived
 * from the timestamps, so "expired" needs no background job.
 *
 * At most one open invite per (org, email) is enforced by a partial unique index, so two
 * concurrent creates cannot both succeed. An invite leaves the index when it is accepted, revoked,
 * or superseded: a new invite for the same email marks an expired open one `supersededAt` in the
 * same transaction before inserting.
 */
@Entity({ tableName: "org_invites" })
@Unique({
  name: "org_invites_open_email_unique",
  expression:
    'create unique index "org_invites_open_email_unique" on "org_invites" ("org_id", "email") where "accepted_at" is null and "revoked_at" is null and "superseded_at" is null',
})
@Index({ properties: ["org", "createdAt"] })
export class OrgInvite {
  [OptionalProps]?: "createdAt";

  @PrimaryKey({ type: "uuid" })
  id: string = crypto.randomUUID();

  @ManyToOne(() => Org, { deleteRule: "cascade" })
  org!: Rel<Org>;

  /** Lower-cased. */
  @Property({ type: "text" })
  email!: string;

  @Enum({ items: () => OrgMemberScope, nativeEnumName: "org_member_scope" })
  scope!: OrgMemberScope;

  @Property({ type: "text", unique: true })
  tokenHash!: string;

  @Property({ type: "text" })
  tokenPrefix!: string;

  @Property({ type: "timestamptz" })
  createdAt: Date = new Date();

  @Property({ type: "timestamptz" })
  expiresAt!: Date;

  @Property({ type: "timestamptz", nullable: true })
  acceptedAt?: Date | null;

  @Property({ type: "timestamptz", nullable: true })
  revokedAt?: Date | null;

  /** Internal: set on an expired open invite when a new one for the same email replaces it. Still reported as expired. */
  @Property({ type: "timestamptz", nullable: true })
  supersededAt?: Date | null;
}
