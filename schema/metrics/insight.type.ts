import { Field, Float, Int, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeScalar } from "../_shared/scalars";

export enum InsightTimeRange {
  week = "week",
  month = "month",
  quarter = "quarter",
  year = "year",
}
registerEnumType(InsightTimeRange, { name: "InsightTimeRange" });

@ObjectType("InsightFinding", { description: "One computed fact, compared with the preceding period of the same length." })
export class InsightFindingType {
  @Field() metric!: string;
  @Field() statement!: string;
  @Field(() => Float, { nullable: true }) value?: number | null;
  @Field() unit!: string;
  @Field(() => Float, { nullable: true }) baselineValue?: number | null;
  @Field(() => Float, { nullable: true, description: "Percent change from the baseline period." }) changePct?: number | null;
}

@ObjectType("MetricInsight")
export class MetricInsightType {
  @Field() metric!: string;
  @Field(() => InsightTimeRange) timeRange!: InsightTimeRange;
  @Field() headline!: string;
  @Field() narrative!: string;
  @Field(() => [InsightFindingType]) keyFindings!: InsightFindingType[];
  @Field(() => [String]) recommendations!: string[];
  @Field(() => Int, { description: "Days in the period that have data." }) daysWithData!: number;
  @Field(() => DateTimeScalar) generatedAt!: Date;
  @Field() modelVersion!: string;
}
