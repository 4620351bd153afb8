import { Field, Float, Int, ObjectType, createUnionType } from "type-graphql";
import { DateTimeScalar } from "../_shared/scalars";
import { IngestErrorType } from "./summary.type";

@ObjectType("TimeseriesValuePoint", { description: "A sample (granularity raw) or a bucket of a scalar metric." })
export class TimeseriesValuePointType {
  @Field(() => DateTimeScalar) start!: Date;
  @Field(() => DateTimeScalar, { description: "Bucket end (exclusive, clipped to end_time); equals `start` for raw samples." }) end!: Date;
  @Field(() => Float, { description: "Sample value; for buckets the mean (heart_rate, hrv, glucose, respiratory_rate, temperature) or the sum (steps, calories)." })
  value!: number;
  @Field() unit!: string;
}

@ObjectType("BloodPressurePoint", { description: "A blood-pressure sample or bucket (bucket values are means)." })
export class BloodPressurePointType {
  @Field(() => DateTimeScalar) start!: Date;
  @Field(() => DateTimeScalar) end!: Date;
  @Field(() => Float) systolic!: number;
  @Field(() => Float) diastolic!: number;
  @Field() unit!: string;
}

export const TimeseriesPointUnion = createUnionType({
  name: "TimeseriesPoint",
  description: "One timeseries row: blood_pressure rows carry systolic/diastolic, every other metric `value`.",
  types: () => [TimeseriesValuePointType, BloodPressurePointType] as const,
  resolveType: (point) => ("systolic" in point ? BloodPressurePointType : TimeseriesValuePointType),
});

@ObjectType("TimeseriesRejection", { description: "A sample that was not stored; the rest of the batch was." })
export class TimeseriesRejectionType {
  @Field(() => Int, { description: "Position of the sample in `data` (0-based)." }) index!: number;
  @Field(() => String, { nullable: true }) clientId?: string | null;
  @Field(() => IngestErrorType) error!: IngestErrorType;
}

@ObjectType("TimeseriesIngestResult", {
  description:
    "Counts for the batch: accepted + updated + duplicate + rejected.length = number of samples sent. " +
    "Only rejected samples are listed (a 5,000-sample batch is not echoed back).",
})
export class TimeseriesIngestResultType {
  @Field(() => Int, { description: "New samples stored." }) accepted!: number;
  @Field(() => Int, { description: "Existing samples revised (same instant or same client_id, different content)." }) updated!: number;
  @Field(() => Int, { description: "Identical to what is stored, or superseded by a later sample for the same instant in this batch: nothing changed." })
  duplicate!: number;
  @Field(() => [TimeseriesRejectionType]) rejected!: TimeseriesRejectionType[];
}
