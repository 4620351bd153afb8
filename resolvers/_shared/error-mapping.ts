import type { ValidationError } from "class-validator";
import { GraphQLError } from "graphql";
import { ArgumentValidationError } from "type-graphql";
import { DomainError, toPublicError, type ErrorDetail, type PublicError } from "./errors";

/** A document that does not parse; the error's `locations` say where. */
export const SYNTAX_ERROR_MESSAGE = "The GraphQL document does not parse (see locations)";

/** class-validator constraint → public detail code. */
const CONSTRAINT_CODES: Record<string, string> = {
  min: "out_of_range",
  max: "out_of_range",
  isPositive: "out_of_range",
  isInt: "invalid_value",
  maxLength: "too_long",
  minLength: "too_short",
  isNotEmpty: "required",
  isDefined: "required",
};

function flattenValidation(errors: ValidationError[], prefix: string[] = []): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  for (const e of errors) {
    const path = [...prefix, e.property];
    for (const [constraint, message] of Object.entries(e.constraints ?? {})) {
      // class-validator prefixes messages with the property name; the field already carries it.
      const text = message.startsWith(`${e.property} `) ? message.slice(e.property.length + 1) : message;
      out.push({ field: path.join("."), code: CONSTRAINT_CODES[constraint] ?? "invalid_value", message: text });
    }
    if (e.children?.length) out.push(...flattenValidation(e.children, path));
  }
  return out;
}

/**
 * Maps anything an execution can produce to a public error. Detail fields are GraphQL paths
 * (camelCase); the REST facade renders them in snake_case.
 */
export function normalizeError(err: unknown): PublicError & { original: unknown; expected: boolean } {
  let cur: unknown = err;
  while (cur instanceof GraphQLError && cur.originalError) {
    cur = cur.originalError;
    if (cur instanceof DomainError) return { ...toPublicError(cur), original: cur, expected: true };
  }
  if (cur instanceof DomainError) return { ...toPublicError(cur), original: cur, expected: true };
  if (cur instanceof ArgumentValidationError) {
    const details = flattenValidation(cur.extensions.validationErrors);
    return { ...toPublicError(new DomainError("validation_error", "The request has invalid fields", details)), original: cur, expected: true };
  }
  if (err instanceof GraphQLError) {
    const code = err.extensions?.code;
    // graphql-js coercion and syntax messages quote what the caller sent (a health value, a note),
    // so they are never passed on. Variables are checked field by field before execution
    // (GraphQLGuard.checkInput); this is the fallback should graphql-js reject one anyway.
    if (code === "BAD_USER_INPUT") {
      return { ...toPublicError(new DomainError("validation_error", "A variable has an invalid value")), original: err, expected: true };
    }
    if (code === "GRAPHQL_PARSE_FAILED") {
      return { ...toPublicError(new DomainError("invalid_request", SYNTAX_ERROR_MESSAGE)), original: err, expected: true };
    }
    if (code === "GRAPHQL_VALIDATION_FAILED" || code === "BAD_REQUEST" || !err.originalError) {
      // Problems with the document itself (no underlying exception).
      return { ...toPublicError(new DomainError("invalid_request", err.message)), original: err, expected: true };
    }
  }
  const state = sqlState(cur);
  if (state?.startsWith("22")) {
    // PostgreSQL "data exception" (class 22): a value the request carried cannot be stored, e.g. a
    // NUL character in text or an instant outside the storable range. That is the caller's input,
    // never a 500. Only the SQLSTATE is kept: driver messages can quote the value itself.
    const e = new DomainError("validation_error", "A value in the request cannot be stored (text with a NUL character, or a number or date out of range)");
    return { ...toPublicError(e), original: { sqlState: state }, expected: true };
  }
  return { ...toPublicError(cur), original: cur, expected: false };
}

/** The SQLSTATE of a driver error (MikroORM wraps pg's error; both carry it). */
function sqlState(err: unknown): string | undefined {
  for (let e = err as { sqlState?: unknown; code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 4; e = e.cause as typeof e, i++) {
    if (typeof e.sqlState === "string") return e.sqlState;
    if (typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  }
  return undefined;
}
