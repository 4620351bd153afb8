import { CreateDailyCheckInDocument, GetDailyCheckInDocument, ListDailyCheckInsDocument } from "../__generated__/operations";
import type { RouteDef } from "../route-table";

const tag = "Daily check-ins";
const base = "/v1/users/:user_id/daily-check-ins";

export const checkInsRoutes: RouteDef[] = [
  {
    method: "POST",
    path: base,
    document: CreateDailyCheckInDocument,
    auth: "member",
    status: 201,
    body: "input",
    tag,
    summary: "Create a daily check-in",
    description:
      "All fields optional. calendar_date (strict YYYY-MM-DD) defaults to today in the member's time zone and may not be in the future; ratings are integers 1–5; notes ≤ 2000 characters. One check-in per date: a second → 409 duplicate_check_in.",
  },
  {
    method: "GET",
    path: base,
    document: ListDailyCheckInsDocument,
    auth: "member",
    tag,
    summary: "List daily check-ins",
    description:
      "Inclusive strict YYYY-MM-DD window (default: the last 30 days ending today local; ≤ 366 days), newest first. The envelope adds `summary`: current_streak (ending today, or yesterday when today has none yet), longest_streak and total_check_ins within the window.",
  },
  {
    method: "GET",
    path: `${base}/:check_in_id`,
    document: GetDailyCheckInDocument,
    auth: "member",
    tag,
    summary: "Get a daily check-in",
    description: "Only check-ins of the last 90 local days are reachable; older ones are 404 even if stored.",
  },
];
