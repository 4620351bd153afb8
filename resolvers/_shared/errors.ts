/**
 * The one registry of public error codes. Both transports read it: REST renders
 * `{"error":{"code","message","details":[],"request_id"}}` with `status`, GraphQL puts
 * `code` in `extensions.code` (and `details` in `extensions.details`).
 * `when` is partner-facing documentation: what triggers the code and what to do about it.
 */
export const ERROR_REGISTRY = {
  invalid_request: {
    status: 400,
    when: "Malformed JSON, an unknown query parameter, both credentials on one request, or a GraphQL document that does not parse or validate. Fix the request; do not retry as is.",
  },
  unauthorized: { status: 401, when: "Missing, expired, revoked or invalid tenant key or member token. Re-mint the member token once and retry once." },
  forbidden: { status: 403, when: "The credential is valid but may not perform this operation (e.g. a member token on a tenant-only GraphQL field)." },
  not_found: { status: 404, when: "No such resource for this caller. Another partner's or member's resource is also reported as not found." },
  method_not_allowed: { status: 405, when: "The path exists but not with this HTTP method; see the Allow header." },
  conflict: { status: 409, when: "The resource already exists or is in a conflicting state (e.g. registering an existing user_id)." },
  idempotency_conflict: { status: 409, when: "This Idempotency-Key was already used by this caller for a different request within 24 hours. Use a new key." },
  idempotency_in_progress: { status: 409, when: "A request with this Idempotency-Key is still being processed. Retry after it completes to get its stored response." },
  queue_already_configured: { status: 409, when: "A queue is already registered under this name; use PUT to replace it." },
  cannot_revoke_self: { status: 409, when: "The tenant key that authenticated this request cannot revoke itself." },
  invite_pending: { status: 409, when: "A pending invite already exists for this email." },
  invite_already_accepted: { status: 409, when: "The invite was accepted and can no longer be revoked." },
  invite_already_revoked: { status: 409, when: "The invite is already revoked." },
  duplicate_check_in: { status: 409, when: "A daily check-in already exists for that local date." },
  provider_not_configured: {
    status: 409,
    when: "The device provider has no OAuth client configured on this deployment (operator setting OAUTH_PROVIDERS_JSON). Retrying will not help; offer the member another provider.",
  },
  queue_not_configured: { status: 404, when: "No queue is registered under this name." },
  payload_too_large: { status: 413, when: "The body (or a batch) is over the documented size limit. Split it." },
  unsupported_media_type: { status: 415, when: "The request body is not application/json." },
  validation_error: {
    status: 422,
    when: "The request is well-formed but a field is invalid; `details[]` names each field with a reason code (required, invalid_value, out_of_range, too_long, too_short, unknown_field).",
  },
  immutable_field: { status: 422, when: "The body tries to change a field that can never change." },
  invalid_transition: { status: 422, when: "The requested status change is not an allowed transition." },
  rate_limited: { status: 429, when: "Too many requests for this tenant or member. Wait for Retry-After seconds." },
  internal_error: { status: 500, when: "An unexpected failure on our side. Safe to retry with the same Idempotency-Key." },
  bad_gateway: { status: 502, when: "An upstream dependency failed." },
  service_unavailable: { status: 503, when: "The service is starting, draining or temporarily unable to serve. Retry after Retry-After seconds." },
} as const satisfies Record<string, { status: number; when: string }>;

export type ErrorCode = keyof typeof ERROR_REGISTRY;

/** One field-level cause of a validation failure; `field` is the wire (snake_case) dotted path. */
export interface ErrorDetail {
  field: string;
  code: string;
  message: string;
}

/**
 * Thrown by services for every expected failure. Messages are partner-facing and must never
 * contain health values, secrets or identifiers of other parties.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "DomainError";
  }
  get status(): number {
    return ERROR_REGISTRY[this.code].status;
  }
}

export const notFound = (what = "Resource") => new DomainError("not_found", `${what} not found`);
export const validationError = (details: ErrorDetail[], message = "The request has invalid fields") => new DomainError("validation_error", message, details);

export interface PublicError {
  status: number;
  code: ErrorCode;
  message: string;
  details: ErrorDetail[];
  headers: Record<string, string>;
}

/** Anything not a DomainError becomes a generic internal_error; the caller logs the original. */
export function toPublicError(err: unknown): PublicError {
  if (err instanceof DomainError) {
    return { status: err.status, code: err.code, message: err.message, details: err.details, headers: err.headers };
  }
  return { status: 500, code: "internal_error", message: "An unexpected error occurred", details: [], headers: {} };
}

export function errorEnvelope(pe: PublicError, requestId: string) {
  return { error: { code: pe.code, message: pe.message, details: pe.details, request_id: requestId } };
}
