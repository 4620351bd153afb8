import { ArgsType, createUnionType, Field, Float, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { makePaginationArgs, PageType } from "../_shared/pagination";
import { DateTimeScalar, JSONScalar, LocalDateScalar, UUIDScalar } from "../_shared/scalars";

export enum SummaryKind {
  activity = "activity",
  sleep = "sleep",
  body = "body",
  workouts = "workouts",
}
registerEnumType(SummaryKind, { name: "SummaryKind" });

export enum IngestStatus {
  accepted = "accepted",
  duplicate = "duplicate",
  rejected = "rejected",
}
registerEnumType(IngestStatus, {
  name: "IngestStatus",
  valuesConfig: {
    accepted: { description: "Stored, or a revision of an existing sample was applied." },
    duplicate: { description: "Identical to what is already stored (same client_id or same day): nothing changed." },
    rejected: { description: "Invalid; see `error`. The rest of the batch is unaffected." },
  },
});

@InputType("SummaryBatchInput", { description: "Up to 500 items. Items use the wire (snake_case) field names of their kind." })
export class SummaryBatchInput {
  @Field(() => [JSONScalar]) data!: Record<string, unknown>[];
  @Field(() => Boolean, { nullable: true, description: "Historical load: no events or nudges for these items." }) isBackfill?: boolean | null;
}

@ObjectType("IngestErrorDetail")
export class IngestErrorDetailType {
  @Field() field!: string;
  @Field() code!: string;
  @Field() message!: string;
}

@ObjectType("IngestError")
export class IngestErrorType {
  @Field() code!: string;
  @Field() message!: string;
  @Field(() => [IngestErrorDetailType]) details!: IngestErrorDetailType[];
}

@ObjectType("IngestItemResult")
export class IngestItemResultType {
  @Field(() => String, { nullable: true }) clientId?: string | null;
  @Field(() => IngestStatus) status!: IngestStatus;
  @Field(() => UUIDScalar, { nullable: true }) sampleId?: string | null;
  @Field(() => IngestErrorType, { nullable: true }) error?: IngestErrorType | null;
}

/** Fields every summary row carries. */
@ObjectType()
abstract class SummaryRowBase {
  @Field(() => LocalDateScalar, { description: "The member's local calendar date." }) date!: string;
  @Field(() => UUIDScalar) sampleId!: string;
  @Field(() => String, { nullable: true }) clientId?: string | null;
  @Field() provider!: string;
}

@ObjectType("ActivitySummary")
export class ActivitySummaryType extends SummaryRowBase {
  @Field(() => Int, { nullable: true }) steps?: number | null;
  @Field(() => Float, { nullable: true }) calories?: number | null;
  @Field(() => Float, { nullable: true }) distanceMeters?: number | null;
  @Field(() => Int, { nullable: true }) activeMinutes?: number | null;
}

@ObjectType("SleepSummary")
export class SleepSummaryType extends SummaryRowBase {
  @Field(() => DateTimeScalar) start!: Date;
  @Field(() => DateTimeScalar) end!: Date;
  @Field(() => Int) durationSeconds!: number;
  @Field(() => Float, { nullable: true }) efficiency?: number | null;
}

@ObjectType("BodyMeasurement")
export class BodyMeasurementType extends SummaryRowBase {
  @Field(() => DateTimeScalar) measuredAt!: Date;
  @Field(() => Float, { nullable: true }) weightKg?: number | null;
  @Field(() => Float, { nullable: true }) bodyFatPct?: number | null;
  @Field(() => Float, { nullable: true }) bmi?: number | null;
}

@ObjectType("Workout")
export class WorkoutType extends SummaryRowBase {
  @Field(() => DateTimeScalar) start!: Date;
  @Field(() => DateTimeScalar) end!: Date;
  @Field() activityType!: string;
  @Field(() => Float, { nullable: true }) calories?: number | null;
  @Field(() => Float, { nullable: true }) distanceMeters?: number | null;
  @Field(() => Float, { nullable: true }) avgHeartRate?: number | null;
}

@ObjectType("SleepSegment", { description: "A sleep stage segment; `sample_id` is the nightly summary's." })
export class SleepSegmentType {
  @Field(() => UUIDScalar) sampleId!: string;
  @Field(() => LocalDateScalar) date!: string;
  @Field() stage!: string;
  @Field(() => DateTimeScalar) start!: Date;
  @Field(() => DateTimeScalar) end!: Date;
}

@ObjectType("ActivitySummaryPage")
export class ActivitySummaryPageType extends PageType(ActivitySummaryType) {}
@ObjectType("SleepSummaryPage")
export class SleepSummaryPageType extends PageType(SleepSummaryType) {}
@ObjectType("BodyMeasurementPage")
export class BodyMeasurementPageType extends PageType(BodyMeasurementType) {}
@ObjectType("WorkoutPage")
export class WorkoutPageType extends PageType(WorkoutType) {}
@ObjectType("SleepSegmentPage")
export class SleepSegmentPageType extends PageType(SleepSegmentType) {}

@ArgsType()
export class DateWindowArgs extends makePaginationArgs(25, 100) {
  @Field(() => LocalDateScalar, { description: "First local date (inclusive)." }) startDate!: string;
  @Field(() => LocalDateScalar, { description: "Last local date (inclusive); at most 366 days after start_date." }) endDate!: string;
}

@ObjectType("TimeseriesMeasurement", { description: "One stored timeseries sample (blood pressure has systolic/diastolic instead of value)." })
export class TimeseriesMeasurementType {
  @Field(() => UUIDScalar) sampleId!: string;
  @Field(() => String, { nullable: true }) clientId?: string | null;
  @Field() provider!: string;
  @Field() metric!: string;
  @Field(() => DateTimeScalar) timestamp!: Date;
  @Field(() => Float, { nullable: true }) value?: number | null;
  @Field(() => Float, { nullable: true }) systolic?: number | null;
  @Field(() => Float, { nullable: true }) diastolic?: number | null;
  @Field() unit!: string;
}

/** One stored sample of any summary kind (the deep link's shape is that kind's list entry). */
export const MeasurementUnion = createUnionType({
  name: "Measurement",
  types: () => [ActivitySummaryType, SleepSummaryType, BodyMeasurementType, WorkoutType, TimeseriesMeasurementType] as const,
  resolveType: (value) => {
    switch ((value as { kind?: SummaryKind | "timeseries" }).kind) {
      case "timeseries":
        return TimeseriesMeasurementType;
      case SummaryKind.activity:
        return ActivitySummaryType;
      case SummaryKind.sleep:
        return SleepSummaryType;
      case SummaryKind.body:
        return BodyMeasurementType;
      default:
        return WorkoutType;
    }
  },
});
