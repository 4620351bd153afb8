import {
  GetMeasurementDocument,
  GetMetricInsightsDocument,
  GetSleepStreamDocument,
  IngestActivitySummaryDocument,
  IngestBodySummaryDocument,
  IngestSleepSummaryDocument,
  IngestWorkoutsSummaryDocument,
  ListActivitySummariesDocument,
  ListBodySummariesDocument,
  ListSleepSummariesDocument,
  ListWorkoutsSummariesDocument,
} from "../__generated__/operations";
import type { RouteDef } from "../route-table";

const tag = "Metrics and insights";
const base = "/v1/users/:user_id/metrics";
const ingest = (kind: string) =>
  `Up to 500 items in \`data\`; one result per item (accepted | duplicate | rejected with its error). Dedup on client_id${kind === "activity" ? " and on the local date (one daily total per source)" : ""}. \`is_backfill\` suppresses events.`;
const read = "Inclusive strict YYYY-MM-DD window (≤ 366 days) of the member's local dates; one source per day by METRIC_SOURCE_PRIORITY.";

export const metricsSummariesRoutes: RouteDef[] = [
  {
    method: "POST",
    path: `${base}/activity/summary`,
    document: IngestActivitySummaryDocument,
    auth: "member",
    body: "input",
    tag,
    summary: "Ingest activity summaries",
    description: ingest("activity"),
  },
  {
    method: "POST",
    path: `${base}/sleep/summary`,
    document: IngestSleepSummaryDocument,
    auth: "member",
    body: "input",
    tag,
    summary: "Ingest sleep summaries",
    description: `${ingest("sleep")} Items may carry stage_intervals.`,
  },
  {
    method: "POST",
    path: `${base}/body/summary`,
    document: IngestBodySummaryDocument,
    auth: "member",
    body: "input",
    tag,
    summary: "Ingest body measurements",
    description: ingest("body"),
  },
  {
    method: "POST",
    path: `${base}/workouts/summary`,
    document: IngestWorkoutsSummaryDocument,
    auth: "member",
    body: "input",
    tag,
    summary: "Ingest workouts",
    description: ingest("workouts"),
  },
  { method: "GET", path: `${base}/activity/summary`, document: ListActivitySummariesDocument, auth: "member", tag, summary: "Daily activity", description: read },
  { method: "GET", path: `${base}/sleep/summary`, document: ListSleepSummariesDocument, auth: "member", tag, summary: "Sleep summaries", description: read },
  { method: "GET", path: `${base}/body/summary`, document: ListBodySummariesDocument, auth: "member", tag, summary: "Body measurements", description: read },
  { method: "GET", path: `${base}/workouts/summary`, document: ListWorkoutsSummariesDocument, auth: "member", tag, summary: "Workouts", description: read },
  {
    method: "GET",
    path: `${base}/:metric/measurements/:sample_id`,
    document: GetMeasurementDocument,
    auth: "member",
    tag,
    summary: "Get one measurement",
    description: "metric: activity, sleep, body or workouts; sample_id: the server id or your client_id. Unknown metric or sample → 404.",
  },
  {
    method: "GET",
    path: `${base}/:metric/insights`,
    document: GetMetricInsightsDocument,
    auth: "member",
    tag,
    summary: "Get metric insights",
    description:
      "metric: activity, sleep, body, vitals (or steps, weight, heart_rate, hrv, glucose: a vitals slug keeps the domain's narrative and only its own key_findings); time_range week | month (default) | quarter | year. Computed from the member's own days against the previous period; text via the configured AI provider (built-in deterministic by default).",
  },
  {
    method: "GET",
    path: `${base}/sleep/stream`,
    document: GetSleepStreamDocument,
    auth: "member",
    tag,
    summary: "Sleep stage segments",
    description: "Segments of the nights that win their day; sample_id joins the summary.",
  },
];
