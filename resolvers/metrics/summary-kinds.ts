import { SummaryKind } from "../../schema/metrics/summary.type";
import { localDate } from "./local-day";

/** A value column: wire name (snake_case, also the SQL column) and its SQL type. */
type Column = [name: string, sqlType: string];

/**
 * How each summary kind is stored. `key` is the conflict target next to (user, provider): activity
 * keeps one daily total per provider and local date (a new client_id for that day is a revision);
 * the others are keyed by the partner's client_id. `date` derives the member's local day.
 */
/** A partner ingest item that passed validateItem(): a JSON object whose fields have the kind's checked types. */
export type SummaryItem = Record<string, unknown>;

export interface KindSpec {
  table: string;
  resource: string;
  key: "date" | "client_id";
  columns: Column[];
  date(item: SummaryItem, zone: string | null | undefined): string;
}

export const KINDS: Record<SummaryKind, KindSpec> = {
  [SummaryKind.activity]: {
    table: "activity_summaries",
    resource: "activity",
    key: "date",
    columns: [
      ["steps", "int"],
      ["calories", "float8"],
      ["distance_meters", "float8"],
      ["active_minutes", "int"],
    ],
    date: (it) => it.date as string,
  },
  [SummaryKind.sleep]: {
    table: "sleep_summaries",
    resource: "sleep",
    key: "client_id",
    columns: [
      ["start", "timestamptz"],
      ["end", "timestamptz"],
      ["duration_seconds", "int"],
      ["efficiency", "float8"],
      ["stages_digest", "text"],
    ],
    date: (it, zone) => localDate(new Date(it.end as string), zone), // the night belongs to the day the member woke up
  },
  [SummaryKind.body]: {
    table: "body_measurements",
    resource: "body",
    key: "client_id",
    columns: [
      ["measured_at", "timestamptz"],
      ["weight_kg", "float8"],
      ["body_fat_pct", "float8"],
      ["bmi", "float8"],
    ],
    date: (it, zone) => localDate(new Date(it.measured_at as string), zone),
  },
  [SummaryKind.workouts]: {
    table: "workouts",
    resource: "workouts",
    key: "client_id",
    columns: [
      ["start", "timestamptz"],
      ["end", "timestamptz"],
      ["activity_type", "text"],
      ["calories", "float8"],
      ["distance_meters", "float8"],
      ["avg_heart_rate", "float8"],
    ],
    date: (it, zone) => localDate(new Date(it.start as string), zone),
  },
};
