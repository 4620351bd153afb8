import { CreateUserDocument, DeleteUserDocument, GetUserDocument, ListUsersDocument, UpdateUserDocument } from "../__generated__/operations";
import type { RouteDef } from "../route-table";

export const usersRoutes: RouteDef[] = [
  {
    method: "POST",
    path: "/v1/users",
    document: CreateUserDocument,
    auth: "tenant",
    status: 201,
    body: "input",
    tag: "Users",
    summary: "Register a member",
    description: "Registers your UUID as a member. An existing user_id → 409 conflict.",
  },
  {
    method: "GET",
    path: "/v1/users",
    document: ListUsersDocument,
    auth: "tenant",
    tag: "Users",
    summary: "List members",
    description: "Your org's members, oldest first (paginated).",
  },
  { method: "GET", path: "/v1/users/:user_id", document: GetUserDocument, auth: "member", tag: "Users", summary: "Get a member" },
  {
    method: "PATCH",
    path: "/v1/users/:user_id",
    document: UpdateUserDocument,
    auth: "member",
    status: 204,
    body: "input",
    tag: "Users",
    summary: "Update a member's profile",
    description: "Partial update: omitted fields are unchanged, null clears a field.",
  },
  {
    method: "DELETE",
    path: "/v1/users/:user_id",
    document: DeleteUserDocument,
    auth: "member",
    status: 204,
    tag: "Users",
    summary: "Delete a member",
    description: "Irreversibly purges the member and every row of their data.",
  },
];
