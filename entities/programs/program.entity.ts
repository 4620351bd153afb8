import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property, type Rel } from "@mikro-orm/core";
import crypto from "node:crypto";
import { User } from "../users/user.entity";

/** A member's coaching plan (spec §7). At most one is active per member. */
@Entity({ tableName: "programs" })
@Index({ name: "programs_one_active", expression: 'create unique index "programs_one_active" on "programs" ("user_id") where "active"' })
export class Program {
  [OptionalProps]?: "active" | "focusCategories" | "goals" | "createdAt" | "updatedAt";

  /** The public `program_id`. */
  @PrimaryKey({ type: "uuid" })
  id: string = crypto.randomUUID();

  @ManyToOne(() => User, { deleteRule: "cascade" })
  user!: Rel<User>;

  @Property({ type: "text" })
  name!: string;

  @Property({ type: "text" })
  description!: string;

  @Property({ type: "text", nullable: true })
  analysisInsight?: string | null;

  @Property({ type: "boolean" })
  active: boolean = true;

  /** `focus_categories[]` in the wire shape (snake_case keys), ranked. */
  @Property({ type: "json" })
  focusCategories: Record<string, unknown>[] = [];

  /** `goals[]` in the wire shape (snake_case keys). */
  @Property({ type: "json" })
  goals: Record<string, unknown>[] = [];

  @Property({ type: "timestamptz" })
  createdAt: Date = new Date();

  @Property({ type: "timestamptz" })
  updatedAt: Date = new Date();
}
