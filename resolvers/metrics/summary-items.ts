import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import type { ErrorDetail } from "../_shared/errors";
import { INSTANT_RANGE_MESSAGE, LOCAL_DATE_RANGE_MESSAGE, MIN_LOCAL_DATE, storableInstant } from "../../schema/_shared/scalars";
import { SummaryKind } from "../../schema/metrics/summary.type";

/** Wire item schemas (snake_case) per summary kind; validated per item so one bad item never fails a batch. */
const id = { type: "string", minLength: 1, maxLength: 200 } as const;
const instant = { type: "string", format: "date-time" } as const;
const nonNeg = (max: number) => ({ type: "number", minimum: 0, maximum: max }) as const;
const common = { client_id: id, is_backfill: { type: "boolean" }, device: { type: "string", maxLength: 200 }, source: { type: "string", maxLength: 200 } };
const item = (properties: Record<string, unknown>, required: string[]) => ({
  type: "object",
  properties: { ...common, ...properties },
  required: ["client_id", ...required],
  additionalProperties: false,
});

const SCHEMAS: Record<SummaryKind, object> = {
  [SummaryKind.activity]: item(
    {
      date: { type: "string", format: "date", pattern: "^\\d{4}-\\d{2}-\\d{2}$" },
      steps: { type: "integer", minimum: 0, maximum: 200000 },
      calories: nonNeg(50000),
      distance_meters: nonNeg(500000),
      active_minutes: { type: "integer", minimum: 0, maximum: 1440 },
    },
    ["date"],
  ),
  [SummaryKind.sleep]: item(
    {
      start: instant,
      end: instant,
      duration_seconds: { type: "integer", minimum: 0, maximum: 86400 },
      efficiency: { type: "number", minimum: 0, maximum: 100 },
      stage_intervals: {
        type: "array",
        maxItems: 2000,
        items: {
          type: "object",
          properties: { stage: { enum: ["deep", "light", "rem", "awake"] }, start: instant, end: instant },
          required: ["stage", "start", "end"],
          additionalProperties: false,
        },
      },
    },
    ["start", "end"],
  ),
  [SummaryKind.body]: item({ measured_at: instant, weight_kg: nonNeg(700), body_fat_pct: nonNeg(100), bmi: nonNeg(200) }, ["measured_at"]),
  [SummaryKind.workouts]: item(
    {
      start: instant,
      end: instant,
      activity_type: { type: "string", minLength: 1, maxLength: 100 },
      calories: nonNeg(50000),
      distance_meters: nonNeg(1000000),
      avg_heart_rate: { type: "number", minimum: 20, maximum: 300 },
    },
    ["start", "end", "activity_type"],
  ),
};

const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv);
const validators = new Map<SummaryKind, ValidateFunction>(Object.entries(SCHEMAS).map(([k, s]) => [k as SummaryKind, ajv.compile(s)]));

function toDetail(e: ErrorObject): ErrorDetail {
  const path = e.instancePath.replace(/^\//, "").replace(/\//g, ".");
  if (e.keyword === "required") return { field: [path, e.params.missingProperty].filter(Boolean).join("."), code: "required", message: "is required" };
  if (e.keyword === "additionalProperties")
    return { field: [path, e.params.additionalProperty].filter(Boolean).join("."), code: "unknown_field", message: "is not a recognised field" };
  const code = e.keyword === "minimum" || e.keyword === "maximum" ? "out_of_range" : e.keyword === "maxLength" || e.keyword === "maxItems" ? "too_long" : "invalid_value";
  return { field: path || "item", code, message: e.message ?? "is invalid" };
}

/** Field-level problems of one item (empty when valid), including cross-field rules. */
export function validateItem(kind: SummaryKind, raw: unknown): ErrorDetail[] {
  const validate = validators.get(kind)!;
  if (!validate(raw)) return (validate.errors ?? []).map(toDetail);
  const it = raw as Record<string, string | undefined> & { stage_intervals?: { start: string; end: string }[] };
  const details: ErrorDetail[] = [];
  // The scalars' storable range (years 0001–9999), so one such item is rejected instead of failing the batch.
  for (const f of ["start", "end", "measured_at"] as const) {
    if (it[f] && !storableInstant(Date.parse(it[f]))) details.push({ field: f, code: "out_of_range", message: INSTANT_RANGE_MESSAGE });
  }
  if (it.date && it.date < MIN_LOCAL_DATE) details.push({ field: "date", code: "out_of_range", message: LOCAL_DATE_RANGE_MESSAGE });
  if (details.length) return details;
  if (it.start && it.end && Date.parse(it.end) <= Date.parse(it.start)) details.push({ field: "end", code: "invalid_value", message: "must be after start" });
  if (it.start && it.end && Date.parse(it.end) - Date.parse(it.start) > 36 * 3600_000)
    details.push({ field: "end", code: "out_of_range", message: "must be within 36 hours of start" });
  (it.stage_intervals ?? []).forEach((s, i) => {
    const [a, b] = [Date.parse(s.start), Date.parse(s.end)];
    if (b <= a) details.push({ field: `stage_intervals.${i}.end`, code: "invalid_value", message: "must be after start" });
    else if (a < Date.parse(it.start!) || b > Date.parse(it.end!))
      details.push({ field: `stage_intervals.${i}`, code: "out_of_range", message: "must lie within the sleep session" });
  });
  return details;
}
