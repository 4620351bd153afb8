/**
 * The timeseries metrics this API stores and serves. A slug not listed here is 404 on both the
 * ingest and the read route. Values are stored in the canonical unit (the first of `units`);
 * other accepted units are converted on ingest, so reads never mix units within a bucket.
 */
export type TimeseriesShape = "scalar" | "blood_pressure";

/** How a bucket combines the chosen provider's samples. */
export type TimeseriesAggregate = "avg" | "sum";

interface Bounds {
  min: number;
  max: number;
}

export interface TimeseriesMetric {
  slug: string;
  shape: TimeseriesShape;
  /** Accepted units; `units[0]` is canonical (stored and returned). */
  units: readonly string[];
  /** Multiplier from each accepted unit to the canonical one. */
  toCanonical: Readonly<Record<string, number>>;
  aggregate: TimeseriesAggregate;
  /** Plausibility bounds in the canonical unit (inclusive): sanity, not clinical ranges. */
  bounds: Readonly<Record<"value" | "systolic" | "diastolic", Bounds | undefined>>;
  integer: boolean;
}

const scalar = (slug: string, unit: string, aggregate: TimeseriesAggregate, min: number, max: number, integer = false): TimeseriesMetric => ({
  slug,
  shape: "scalar",
  units: [unit],
  toCanonical: { [unit]: 1 },
  aggregate,
  bounds: { value: { min, max }, systolic: undefined, diastolic: undefined },
  integer,
});

/** mg/dL per mmol/L for glucose (molar mass 180.16 g/mol). */
export const GLUCOSE_MGDL_PER_MMOLL = 18.016;

export const TIMESERIES_METRICS: ReadonlyMap<string, TimeseriesMetric> = new Map(
  (
    [
      scalar("heart_rate", "bpm", "avg", 20, 300),
      scalar("hrv", "ms", "avg", 1, 1000),
      scalar("steps", "count", "sum", 0, 100_000, true),
      scalar("calories", "kcal", "sum", 0, 20_000),
      {
        ...scalar("glucose", "mg/dL", "avg", 10, 1000),
        units: ["mg/dL", "mmol/L"],
        toCanonical: { "mg/dL": 1, "mmol/L": GLUCOSE_MGDL_PER_MMOLL },
      },
      {
        slug: "blood_pressure",
        shape: "blood_pressure",
        units: ["mmHg"],
        toCanonical: { mmHg: 1 },
        aggregate: "avg",
        integer: false,
        bounds: { value: undefined, systolic: { min: 40, max: 300 }, diastolic: { min: 20, max: 200 } },
      },
      scalar("respiratory_rate", "breaths/min", "avg", 1, 100),
      scalar("temperature", "degC", "avg", 25, 45),
    ] satisfies TimeseriesMetric[]
  ).map((m): [string, TimeseriesMetric] => [m.slug, m]),
);

export const timeseriesMetric = (slug: string): TimeseriesMetric | undefined => TIMESERIES_METRICS.get(slug);
