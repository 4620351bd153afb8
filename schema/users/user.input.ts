import { IsNotEmpty, IsPositive, Matches, Max, MaxLength, ValidateNested } from "class-validator";
import { Field, Float, InputType } from "type-graphql";
import { EmailScalar, JSONScalar, LocalDateScalar, TimeZoneScalar, UUIDScalar } from "../_shared/scalars";
import { Gender, HeightUnit, WeightUnit } from "./user.enum";

const PHONE = /^\+?[0-9][0-9 ().-]{2,31}$/;

@InputType("CreateUserInput")
export class CreateUserInput {
  @Field(() => UUIDScalar, { description: "Your UUID for the member; it becomes the canonical handle." })
  userId!: string;
  @Field(() => String, { nullable: true }) @MaxLength(100) firstName?: string | null;
  @Field(() => String, { nullable: true }) @MaxLength(100) lastName?: string | null;
  @Field(() => EmailScalar, { nullable: true }) @MaxLength(254) email?: string | null;
  @Field(() => String, { nullable: true, description: "Optional free-form id from your system (not used for lookup)." })
  @MaxLength(200)
  externalId?: string | null;
}

@InputType("LocationInput")
export class LocationInput {
  @Field(() => String, { nullable: true }) @MaxLength(100) city?: string | null;
  @Field(() => String, { nullable: true }) @MaxLength(100) state?: string | null;
  @Field(() => String, { nullable: true }) @MaxLength(100) country?: string | null;
}

/** Partial update: an omitted field is unchanged; `null` clears it. */
@InputType("UpdateUserInput")
export class UpdateUserInput {
  @Field(() => String, { nullable: true }) @IsNotEmpty() @MaxLength(200) name?: string | null;
  @Field(() => EmailScalar, { nullable: true }) @MaxLength(254) email?: string | null;
  @Field(() => String, { nullable: true }) @Matches(PHONE, { message: "must be a phone number" }) phone?: string | null;
  @Field(() => TimeZoneScalar, { nullable: true }) timezone?: string | null;
  @Field(() => LocalDateScalar, { nullable: true }) birthday?: string | null;
  @Field(() => Float, { nullable: true }) @IsPositive() @Max(2000) weight?: number | null;
  @Field(() => WeightUnit, { nullable: true }) weightUnit?: WeightUnit | null;
  @Field(() => Float, { nullable: true }) @IsPositive() @Max(1000) height?: number | null;
  @Field(() => HeightUnit, { nullable: true }) heightUnit?: HeightUnit | null;
  @Field(() => String, { nullable: true }) @MaxLength(2000) preferences?: string | null;
  @Field(() => [JSONScalar], { nullable: true }) preExistingConditions?: Record<string, unknown>[] | null;
  @Field(() => Gender, { nullable: true }) gender?: Gender | null;
  @Field(() => String, { nullable: true }) @MaxLength(100) ethnicity?: string | null;
  @Field(() => LocationInput, { nullable: true, description: "Coarse location shown in the health profile." })
  @ValidateNested()
  location?: LocationInput | null;
}
