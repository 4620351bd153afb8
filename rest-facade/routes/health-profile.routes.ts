import { GetHealthProfileDocument } from "../__generated__/operations";
import type { RouteDef } from "../route-table";

export const healthProfileRoutes: RouteDef[] = [
  {
    method: "GET",
    path: "/v1/users/:user_id/health-profile",
    document: GetHealthProfileDocument,
    auth: "member",
    tag: "Health profile",
    summary: "Get the consolidated health profile",
  },
];
