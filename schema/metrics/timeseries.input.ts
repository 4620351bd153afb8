import { MaxLength } from "class-validator";
import { ArgsType, Field, InputType, registerEnumType } from "type-graphql";
import { makePaginationArgs } from "../_shared/pagination";
import { DateTimeScalar, JSONScalar } from "../_shared/scalars";

/** Most samples one ingest request may carry (413 payload_too_large above). */
export const MAX_TIMESERIES_BATCH = 5000;

export enum TimeseriesGranularity {
  raw = "raw",
  five_minute = "five_minute",
  fifteen_minute = "fifteen_minute",
  one_hour = "one_hour",
}
registerEnumType(TimeseriesGranularity, {
  name: "TimeseriesGranularity",
  valuesConfig: {
    raw: { description: "One row per stored sample; `start` = `end` = the sample's instant." },
    five_minute: { description: "5-minute buckets aligned to start_time." },
    fifteen_minute: { description: "15-minute buckets aligned to start_time." },
    one_hour: { description: "1-hour buckets aligned to start_time." },
  },
});

@InputType("TimeseriesBatchInput", {
  description:
    `Up to ${MAX_TIMESERIES_BATCH} samples. Items use the wire (snake_case) field names: ` +
    "`client_id` (optional, ≤ 200 chars), `timestamp` (ISO-8601 with offset; stored at whole seconds), " +
    "`value` (blood_pressure: `systolic` and `diastolic` instead), `unit`, and optional `device` and `source`. " +
    "Each item is validated on its own: a bad item is reported in `rejected` and the rest are stored.",
})
export class TimeseriesBatchInput {
  @Field(() => [JSONScalar], {
    nullable: "items",
    description:
      "Samples `{client_id?, timestamp, value, unit, device?, source?}`; blood_pressure `{client_id?, timestamp, systolic, diastolic, unit, device?, source?}`.",
  })
  data!: unknown[];
}

@ArgsType()
export class TimeseriesArgs extends makePaginationArgs(100, 1000) {
  @Field(() => DateTimeScalar, { description: "Window start (inclusive)." }) startTime!: Date;
  @Field(() => DateTimeScalar, { description: "Window end (exclusive); after start_time, at most 366 days later." }) endTime!: Date;
  @Field(() => TimeseriesGranularity, { defaultValue: TimeseriesGranularity.raw, description: "raw (default) or a bucket width." })
  granularity: TimeseriesGranularity = TimeseriesGranularity.raw;
  @Field(() => String, {
    nullable: true,
    description: "Only this provider's samples (`partner` = your own ingest). Without it, each bucket uses the highest-priority provider that has data in it.",
  })
  @MaxLength(200)
  provider?: string | null;
}
