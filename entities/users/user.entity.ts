import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique, type Rel, OptionalProps } from "@mikro-orm/core";
import crypto from "node:crypto";
import { Org } from "../partners/org.entity";

export enum WeightUnit {
  kg = "kg",
  lb = "lb",
}
export enum HeightUnit {
  cm = "cm",
  in = "in",
}
export enum Gender {
  male = "male",
  female = "female",
  non_binary = "non_binary",
  other = "other",
  prefer_not_to_say = "prefer_not_to_say",
}

/**
 * A partner's member. `partnerUserId` is the partner's UUID and the only public handle; `id` is
 * internal and never exposed. Every member-owned table references `id` with ON DELETE CASCADE so
 * that deleting the user purges all of the member's rows.
 */
@Entity({ tableName: "users" })
@Unique({ properties: ["org", "partnerUserId"] })
export class User {
  [OptionalProps]?: "createdAt" | "updatedAt";

  @PrimaryKey({ type: "uuid" })
  id: string = crypto.randomUUID();

  @ManyToOne(() => Org, { deleteRule: "cascade" })
  org!: Rel<Org>;

  @Property({ type: "uuid" })
  partnerUserId!: string;

  @Property({ type: "text", nullable: true })
  externalId?: string | null;

  @Property({ type: "text", nullable: true })
  firstName?: string | null;

  @Property({ type: "text", nullable: true })
  lastName?: string | null;

  @Property({ type: "text", nullable: true })
  name?: string | null;

  @Property({ type: "text", nullable: true })
  email?: string | null;

  @Property({ type: "text", nullable: true })
  phone?: string | null;

  @Property({ type: "text", nullable: true })
  timezone?: string | null;

  @Property({ type: "string", columnType: "date", nullable: true })
  birthday?: string | null;

  @Property({ type: "double", nullable: true })
  weight?: number | null;

  @Enum({ items: () => WeightUnit, nativeEnumName: "weight_unit", nullable: true })
  weightUnit?: WeightUnit | null;

  @Property({ type: "double", nullable: true })
  height?: number | null;

  @Enum({ items: () => HeightUnit, nativeEnumName: "height_unit", nullable: true })
  heightUnit?: HeightUnit | null;

  @Property({ type: "text", nullable: true })
  preferences?: string | null;

  @Property({ type: "json", nullable: true })
  preExistingConditions?: Record<string, unknown>[] | null;

  @Enum({ items: () => Gender, nativeEnumName: "gender", nullable: true })
  gender?: Gender | null;

  @Property({ type: "text", nullable: true })
  ethnicity?: string | null;

  @Property({ type: "text", nullable: true })
  locationCity?: string | null;

  @Property({ type: "text", nullable: true })
  locationState?: string | null;

  @Property({ type: "text", nullable: true })
  locationCountry?: string | null;

  @Property({ type: "timestamptz" })
  createdAt: Date = new Date();

  @Property({ type: "timestamptz", onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
