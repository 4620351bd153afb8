import { GetTimeseriesDocument, IngestTimeseriesDocument } from "../__generated__/operations";
import type { RouteDef } from "../route-table";

const PATH = "/v1/users/:user_id/metrics/:metric/timeseries";
const tag = "Metrics and insights";
const METRICS = "heart_rate, hrv, steps, calories, glucose, blood_pressure, respiratory_rate, temperature (any other metric → 404)";

export const metricsTimeseriesRoutes: RouteDef[] = [
  {
    method: "POST",
    path: PATH,
    document: IngestTimeseriesDocument,
    auth: "member",
    body: "input",
    tag,
    summary: "Ingest timeseries samples",
    description:
      `Metrics: ${METRICS}. Body {"data":[{client_id?, timestamp, value, unit, device?, source?}]} (blood_pressure: systolic and diastolic ` +
      "instead of value), at most 5,000 samples (more → 413 payload_too_large) and within the body limit (BODY_LIMIT_BYTES, 1 MiB by default). Units: heart_rate bpm, hrv ms, steps count, calories kcal, " +
      "glucose mg/dL or mmol/L (stored and returned as mg/dL), blood_pressure mmHg, respiratory_rate breaths/min, temperature degC. " +
      "Samples are stamped provider partner:{org key}. A sample is identified by its instant (whole seconds) and, when given, its client_id: " +
      "re-sending it is a duplicate, a changed value (or a new timestamp for a client_id) updates it; within one request the last sample " +
      "for an instant (or a client_id) wins and the earlier ones count as duplicate. Each sample is validated alone: 200 with counts {accepted, updated, duplicate} and rejected[{index, client_id, " +
      "error{code, message, details}}]; accepted + updated + duplicate + rejected = samples sent.",
  },
  {
    method: "GET",
    path: PATH,
    document: GetTimeseriesDocument,
    auth: "member",
    tag,
    summary: "Read a timeseries",
    description:
      `Metrics: ${METRICS}. Window [start_time, end_time), at most 366 days. granularity raw (default: one row per sample, start = end = ` +
      "its instant) or five_minute | fifteen_minute | one_hour buckets aligned to start_time (end = bucket end, clipped to end_time; " +
      "mean, or sum for steps and calories; rounded to 2 decimals; empty buckets are omitted). Without provider, each bucket (each " +
      "minute for raw) uses only the highest-priority provider with data in it (METRIC_SOURCE_PRIORITY), so sources are never added " +
      "together; provider=partner selects your own ingest. Rows are ordered by start; limit 1–1000 (default 100), offset.",
  },
];
