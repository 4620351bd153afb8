import { GraphQLError, getNamedType, isEnumType, isInputObjectType, isListType, isNonNullType, type GraphQLInputType } from "graphql";

/** One problem found in an input value; `path` is GraphQL (camelCase) segments below the checked value. */
export interface InputProblem {
  path: (string | number)[];
  code: string;
  message: string;
}

const TYPE_MESSAGES: Record<string, string> = {
  UUID: "must be a UUID",
  LocalDate: "must be a date in YYYY-MM-DD format",
  TimeZone: "must be an IANA time zone name such as America/New_York",
  DateTime: "must be an ISO-8601 date-time with a time zone offset, e.g. 2026-03-16T08:00:00Z",
  EmailAddress: "must be an email address",
  Int: "must be an integer",
  Float: "must be a number",
  Boolean: "must be true or false",
  String: "must be a string",
};

/** What a value of this type must look like, in words that never quote the value itself. */
export function typeMessage(type: GraphQLInputType): string {
  const named = getNamedType(type);
  if (isEnumType(named))
    return `must be one of: ${named
      .getValues()
      .map((v) => v.name)
      .join(", ")}`;
  if (isInputObjectType(named)) return "must be an object";
  return TYPE_MESSAGES[named.name] ?? "is invalid";
}

/**
 * Walks `value` along its input type with graphql-js's coercion semantics (nulls, lists, input
 * objects, scalar and enum `parseValue`) and reports every problem structurally:
 * a NonNull position absent → `required` "is required", null → `required` "must not be null";
 * a scalar, enum or object of the wrong shape → `invalid_value` with the type's message; a custom
 * scalar's rejection carrying `extensions.detailCode` keeps that code and its (value-free) message;
 * an undeclared object key → `unknown_field`.
 *
 * Why not graphql-js's own coercion errors: their messages quote the caller's value (health data
 * must never be echoed), and classifying them by message text breaks between graphql releases.
 */
export function inputProblems(value: unknown, type: GraphQLInputType, path: (string | number)[] = []): InputProblem[] {
  const out: InputProblem[] = [];
  walk(value, type, path, out);
  return out;
}

function walk(value: unknown, type: GraphQLInputType, path: (string | number)[], out: InputProblem[]): void {
  if (isNonNullType(type)) {
    if (value === undefined) return void out.push({ path, code: "required", message: "is required" });
    if (value === null) return void out.push({ path, code: "required", message: "must not be null" });
    return walk(value, type.ofType, path, out);
  }
  if (value === null || value === undefined) return;
  if (isListType(type)) {
    const item = type.ofType;
    // A single value is accepted where a list is expected (input coercion), so it is checked as an item.
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, item, [...path, i], out));
    else walk(value, item, path, out);
    return;
  }
  if (isInputObjectType(type)) {
    if (typeof value !== "object" || Array.isArray(value)) return void out.push({ path, code: "invalid_value", message: typeMessage(type) });
    const fields = type.getFields();
    const obj = value as Record<string, unknown>;
    for (const field of Object.values(fields)) {
      const v = obj[field.name];
      if (v === undefined && field.defaultValue !== undefined) continue;
      walk(v, field.type, [...path, field.name], out);
    }
    for (const key of Object.keys(obj)) {
      if (!Object.hasOwn(fields, key)) out.push({ path: [...path, key], code: "unknown_field", message: "is not a recognised field" });
    }
    if (type.isOneOf && Object.keys(obj).filter((k) => obj[k] !== undefined).length !== 1) {
      out.push({ path, code: "invalid_value", message: "must set exactly one field" });
    }
    return;
  }
  let parsed: unknown;
  try {
    parsed = type.parseValue(value);
  } catch (err) {
    const detailCode = err instanceof GraphQLError ? err.extensions?.detailCode : undefined;
    if (typeof detailCode === "string") out.push({ path, code: detailCode, message: (err as GraphQLError).message });
    else out.push({ path, code: "invalid_value", message: typeMessage(type) });
    return;
  }
  if (parsed === undefined) out.push({ path, code: "invalid_value", message: typeMessage(type) });
}
