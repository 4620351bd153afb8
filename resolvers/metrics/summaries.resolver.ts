import { Arg, Args, Ctx, Mutation, Query, Resolver } from "type-graphql";
import {
  ActivitySummaryPageType,
  BodyMeasurementPageType,
  DateWindowArgs,
  IngestItemResultType,
  MeasurementUnion,
  SleepSegmentPageType,
  SleepSummaryPageType,
  SummaryBatchInput,
  SummaryKind,
  WorkoutPageType,
} from "../../schema/metrics/summary.type";
import { UUIDScalar } from "../../schema/_shared/scalars";
import type { Context } from "../_shared/context";

@Resolver()
export class SummariesResolver {
  @Mutation(() => [IngestItemResultType], { description: "Ingest up to 500 summary items of one kind; one result per item, in order." })
  ingestSummaries(
    @Arg("userId", () => UUIDScalar) userId: string,
    @Arg("kind", () => SummaryKind) kind: SummaryKind,
    @Arg("input", () => SummaryBatchInput) input: SummaryBatchInput,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.summaries.ingest(userId, kind, input);
  }

  @Query(() => ActivitySummaryPageType, { description: "Daily activity, one source per local day." })
  activitySummaries(@Arg("userId", () => UUIDScalar) userId: string, @Args(() => DateWindowArgs) args: DateWindowArgs, @Ctx() ctx: Context) {
    return ctx.services.summaries.list(userId, SummaryKind.activity, args);
  }

  @Query(() => SleepSummaryPageType, { description: "Sleep sessions by the local date the member woke up, one source per day." })
  sleepSummaries(@Arg("userId", () => UUIDScalar) userId: string, @Args(() => DateWindowArgs) args: DateWindowArgs, @Ctx() ctx: Context) {
    return ctx.services.summaries.list(userId, SummaryKind.sleep, args);
  }

  @Query(() => BodyMeasurementPageType, { description: "Body measurements by local date, one source per day." })
  bodyMeasurements(@Arg("userId", () => UUIDScalar) userId: string, @Args(() => DateWindowArgs) args: DateWindowArgs, @Ctx() ctx: Context) {
    return ctx.services.summaries.list(userId, SummaryKind.body, args);
  }

  @Query(() => WorkoutPageType, { description: "Workouts by the local date they started, one source per day." })
  workouts(@Arg("userId", () => UUIDScalar) userId: string, @Args(() => DateWindowArgs) args: DateWindowArgs, @Ctx() ctx: Context) {
    return ctx.services.summaries.list(userId, SummaryKind.workouts, args);
  }

  @Query(() => MeasurementUnion, { description: "One sample by sample_id or client_id; metric is activity, sleep, body or workouts." })
  measurement(@Arg("userId", () => UUIDScalar) userId: string, @Arg("metric") metric: string, @Arg("sampleId") sampleId: string, @Ctx() ctx: Context) {
    return ctx.services.summaries.measurement(userId, metric, sampleId);
  }

  @Query(() => SleepSegmentPageType, { description: "Sleep stage segments; sample_id joins the nightly summary." })
  sleepStream(@Arg("userId", () => UUIDScalar) userId: string, @Args(() => DateWindowArgs) args: DateWindowArgs, @Ctx() ctx: Context) {
    return ctx.services.summaries.sleepStream(userId, args);
  }
}
