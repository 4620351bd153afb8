import { Field, Float, ObjectType } from "type-graphql";
import { DateTimeScalar, EmailScalar, JSONScalar, LocalDateScalar, TimeZoneScalar, UUIDScalar } from "../_shared/scalars";
import { PageType } from "../_shared/pagination";
import { Gender, HeightUnit, WeightUnit } from "./user.enum";

@ObjectType("UserProfile", { description: "A member's profile attributes. Every field is optional." })
export class UserProfileType {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => EmailScalar, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => TimeZoneScalar, { nullable: true, description: "IANA time zone; daily metrics are bucketed by this zone's calendar days." })
  timezone?: string | null;
  @Field(() => LocalDateScalar, { nullable: true }) birthday?: string | null;
  @Field(() => Float, { nullable: true }) weight?: number | null;
  @Field(() => WeightUnit, { nullable: true }) weightUnit?: WeightUnit | null;
  @Field(() => Float, { nullable: true }) height?: number | null;
  @Field(() => HeightUnit, { nullable: true }) heightUnit?: HeightUnit | null;
  @Field(() => String, { nullable: true }) preferences?: string | null;
  @Field(() => [JSONScalar], { nullable: true, description: "Free-form condition objects supplied by the partner." })
  preExistingConditions?: Record<string, unknown>[] | null;
  @Field(() => Gender, { nullable: true }) gender?: Gender | null;
  @Field(() => String, { nullable: true }) ethnicity?: string | null;
}

@ObjectType("User", { description: "A partner's member, identified by the partner's own UUID." })
export class UserType {
  @Field(() => UUIDScalar, { description: "The partner-assigned member id (the canonical handle)." })
  userId!: string;
  @Field(() => UserProfileType) profile!: UserProfileType;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar) updatedAt!: Date;
}

@ObjectType("UserPage")
export class UserPageType extends PageType(UserType) {}
