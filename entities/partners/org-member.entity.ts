import { Entity, Enum, ManyToOne, OptionalProps, PrimaryKey, Property, Unique, type Rel } from "@mikro-orm/core";
import crypto from "node:crypto";
import { Org } from "./org.entity";

/** What an admin-portal member may do in the partner's org. */
export enum OrgMemberScope {
  admin = "admin",
  member = "member",
  viewer = "viewer",
}

/**
 * An admin-portal user of a partner org (someone who accepted an invite), not a health member.
 * One row per email per org: the unique constraint, not a prior lookup, stops a second acceptance.
 */
@Entity({ tableName: "org_members" })
@Unique({ properties: ["org", "email"] })
export class OrgMember {
  [OptionalProps]?: "createdAt";

  @PrimaryKey({ type: "uuid" })
  id: string = crypto.randomUUID();

  @ManyToOne(() => Org, { deleteRule: "cascade" })
  org!: Rel<Org>;

  /** Lower-cased. */
  @Property({ type: "text" })
  email!: string;

  @Property({ type: "text", nullable: true })
  name?: string | null;

  @Enum({ items: () => OrgMemberScope, nativeEnumName: "org_member_scope" })
  scope!: OrgMemberScope;

  @Property({ type: "timestamptz" })
  createdAt: Date = new Date();
}
