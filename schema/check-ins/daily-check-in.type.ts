import { Max, MaxLength, Min } from "class-validator";
import { ArgsType, Field, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { CheckInStatus } from "../../entities/check-ins/daily-check-in.entity";
import { makePaginationArgs, PaginationType } from "../_shared/pagination";
import { LocalDateScalar, UUIDScalar } from "../_shared/scalars";

export { CheckInStatus };

registerEnumType(CheckInStatus, {
  name: "CheckInStatus",
  description: "State of a daily check-in. Check-ins created through the API are `completed`.",
});

export const MAX_NOTES_LENGTH = 2000;

@ObjectType("DailyCheckIn", { description: "A member's daily check-in; at most one per local calendar date." })
export class DailyCheckInType {
  @Field(() => UUIDScalar) checkInId!: string;
  @Field(() => UUIDScalar, { description: "Your user_id of the member." }) userId!: string;
  @Field(() => LocalDateScalar, { description: "The member's local date the check-in is for." }) calendarDate!: string;
  @Field(() => CheckInStatus) status!: CheckInStatus;
  @Field(() => Int, { nullable: true, description: "1 (low) – 5 (high)." }) moodRating!: number | null;
  @Field(() => Int, { nullable: true, description: "1 (low) – 5 (high)." }) energyLevel!: number | null;
  @Field(() => Int, { nullable: true, description: "1 (poor) – 5 (great)." }) sleepQuality!: number | null;
  @Field(() => String, { nullable: true }) notes!: string | null;
  @Field(() => UUIDScalar, { nullable: true, description: "The coaching thread of a conversational check-in; null for API check-ins." }) threadId!: string | null;
  @Field(() => UUIDScalar, { nullable: true, description: "The coaching session of a conversational check-in; null for API check-ins." }) sessionId!: string | null;
  @Field(() => Int, {
    description: "Consecutive local dates with a check-in ending at this one (kept correct when an earlier missed day is back-filled).",
  })
  streakCount!: number;
}

@ObjectType("CheckInSummary", { description: "Streaks and totals next to a list of check-ins." })
export class CheckInSummaryType {
  @Field(() => Int, { description: "Consecutive days with a check-in ending today, or yesterday when today has none yet; 0 otherwise." })
  currentStreak!: number;
  @Field(() => Int, { description: "The longest run of consecutive days with a check-in inside the window." }) longestStreak!: number;
  @Field(() => Int, { description: "Check-ins inside the window." }) totalCheckIns!: number;
}

@ObjectType("DailyCheckInPage", { description: "Check-ins of a date window, newest first, with their summary." })
export class DailyCheckInPageType {
  @Field(() => [DailyCheckInType]) items!: DailyCheckInType[];
  @Field(() => PaginationType) pagination!: PaginationType;
  @Field(() => CheckInSummaryType) summary!: CheckInSummaryType;
}

@InputType("CreateDailyCheckInInput", { description: "Every field is optional." })
export class CreateDailyCheckInInput {
  @Field(() => LocalDateScalar, { nullable: true, description: "Default: today in the member's time zone (UTC when unset). From 0001-01-01, not in the future." })
  calendarDate?: string | null;
  @Field(() => Int, { nullable: true, description: "1–5." }) @Min(1) @Max(5) moodRating?: number | null;
  @Field(() => Int, { nullable: true, description: "1–5." }) @Min(1) @Max(5) energyLevel?: number | null;
  @Field(() => Int, { nullable: true, description: "1–5." }) @Min(1) @Max(5) sleepQuality?: number | null;
  @Field(() => String, { nullable: true, description: `At most ${MAX_NOTES_LENGTH} characters.` })
  @MaxLength(MAX_NOTES_LENGTH)
  notes?: string | null;
}

@ArgsType()
export class DailyCheckInsArgs extends makePaginationArgs(25, 100) {
  @Field(() => LocalDateScalar, {
    nullable: true,
    description: "First local date (inclusive), from 0001-01-01. Default: 29 days before end_date (not before 0001-01-01).",
  })
  startDate?: string | null;
  @Field(() => LocalDateScalar, {
    nullable: true,
    description: "Last local date (inclusive), at most 366 days after start_date. Default: today in the member's time zone.",
  })
  endDate?: string | null;
}
