import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property, type Rel } from "@mikro-orm/core";
import crypto from "node:crypto";
import { User } from "../users/user.entity";

export enum PriorityStatus {
  active = "active",
  dismissed = "dismissed",
  completed = "completed",
  outdated = "outdated",
}

/** A ranked health priority (`GET /v1/users/{user_id}/priorities`). */
@Entity({ tableName: "user_priorities" })
@Index({ properties: ["user", "status", "rank"] })
export class UserPriority {
  [OptionalProps]?: "status" | "domains" | "createdAt" | "updatedAt";

  /** The public `user_priority_id`. */
  @PrimaryKey({ type: "uuid" })
  id: string = crypto.randomUUID();

  @ManyToOne(() => User, { deleteRule: "cascade" })
  user!: Rel<User>;

  @Property({ type: "uuid", nullable: true })
  programId?: string | null;

  @Property({ type: "text" })
  title!: string;

  @Property({ type: "text" })
  description!: string;

  @Property({ type: "text", nullable: true })
  target?: string | null;

  @Property({ type: "json" })
  domains: string[] = [];

  @Enum({ items: () => PriorityStatus, nativeEnumName: "priority_status" })
  status: PriorityStatus = PriorityStatus.active;

  @Property({ type: "integer" })
  rank!: number;

  @Property({ type: "timestamptz" })
  createdAt: Date = new Date();

  @Property({ type: "timestamptz" })
  updatedAt: Date = new Date();
}
