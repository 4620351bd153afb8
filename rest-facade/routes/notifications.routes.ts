import { GetNotificationStateDocument, UpdateNotificationStateDocument } from "../__generated__/operations";
import type { RouteDef } from "../route-table";

const path = "/v1/users/:user_id/notifications/state";

export const notificationsRoutes: RouteDef[] = [
  {
    method: "GET",
    path,
    document: GetNotificationStateDocument,
    auth: "member",
    tag: "Notifications",
    summary: "Get notification state",
    description: "Backend enrollment, separate from the OS-level permission your app manages. False until enabled.",
  },
  {
    method: "PATCH",
    path,
    document: UpdateNotificationStateDocument,
    auth: "member",
    status: 204,
    body: "input",
    tag: "Notifications",
    summary: "Update notification state",
    description: 'Body `{"backend_notifications_enabled": bool}` (required).',
  },
];
