import { GraphQLError, GraphQLScalarType, Kind } from "graphql";
import { EmailAddressResolver, JSONResolver, UUIDResolver } from "graphql-scalars";
import { DateTime, IANAZone } from "luxon";

export const UUIDScalar = UUIDResolver;
export const EmailScalar = EmailAddressResolver;
export const JSONScalar = JSONResolver;

const fail = (message: string) => new GraphQLError(message);

/**
 * What PostgreSQL stores and the API renders as `YYYY-MM-DD` / `YYYY-MM-DDTHH:mm:ssZ`: years
 * 0001–9999 (PostgreSQL has no year 0; later years would render as `+010000…`). The scalars refuse
 * anything outside with detail code `out_of_range`; JSON items validated by hand use the same bounds.
 */
export const MIN_LOCAL_DATE = "0001-01-01";
export const MIN_INSTANT = new Date("0001-01-01T00:00:00.000Z");
export const MAX_INSTANT = new Date("9999-12-31T23:59:59.999Z");
export const LOCAL_DATE_RANGE_MESSAGE = `must not be before ${MIN_LOCAL_DATE}`;
export const INSTANT_RANGE_MESSAGE = "must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z";
export const storableInstant = (ms: number) => ms >= MIN_INSTANT.getTime() && ms <= MAX_INSTANT.getTime();
/** A scalar parse error the REST facade reports with this detail code (default `invalid_value`). */
const outOfRange = (message: string) => new GraphQLError(message, { extensions: { detailCode: "out_of_range" } });

/** A calendar date `YYYY-MM-DD` (strict: real calendar dates only, no time part). */
export const LocalDateScalar = new GraphQLScalarType<string, string>({
  name: "LocalDate",
  description: "A calendar date in YYYY-MM-DD format (the member's local calendar where it applies).",
  serialize(value) {
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    if (typeof value === "string") return value.slice(0, 10);
    throw fail("LocalDate cannot represent this value");
  },
  parseValue(value) {
    return parseLocalDate(value);
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw fail("must be a date in YYYY-MM-DD format");
    return parseLocalDate(ast.value);
  },
});

export function parseLocalDate(value: unknown): string {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value) || !DateTime.fromISO(value, { zone: "utc" }).isValid) {
    throw fail("must be a date in YYYY-MM-DD format");
  }
  if (value < MIN_LOCAL_DATE) throw outOfRange(LOCAL_DATE_RANGE_MESSAGE);
  return value;
}

/** An IANA time zone name such as `America/New_York`. */
export const TimeZoneScalar = new GraphQLScalarType<string, string>({
  name: "TimeZone",
  description: "An IANA time zone name, e.g. America/New_York.",
  serialize(value) {
    if (typeof value === "string") return value;
    throw fail("TimeZone cannot represent this value");
  },
  parseValue: (value) => parseTimeZone(value),
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw fail("must be an IANA time zone name");
    return parseTimeZone(ast.value);
  },
});

function parseTimeZone(value: unknown): string {
  // IANA names only: reject fixed offsets ("+05:00", "UTC+5") that luxon would otherwise accept.
  if (typeof value !== "string" || value.length > 64 || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(value) || !IANAZone.isValidZone(value)) {
    throw fail("must be an IANA time zone name such as America/New_York");
  }
  return value;
}

/** An instant, always rendered in UTC with a `Z` suffix and second precision: `2026-03-16T08:00:00Z`. */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: "DateTime",
  description: "An ISO-8601 instant in UTC, e.g. 2026-03-16T08:00:00Z.",
  serialize(value) {
    const d = value instanceof Date ? value : typeof value === "string" || typeof value === "number" ? new Date(value) : null;
    if (!d || Number.isNaN(d.getTime())) throw fail("DateTime cannot represent this value");
    return formatInstant(d);
  },
  parseValue: (value) => parseInstant(value),
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw fail("must be an ISO-8601 date-time with a time zone offset");
    return parseInstant(ast.value);
  },
});

export const formatInstant = (d: Date) => `${d.toISOString().slice(0, 19)}Z`;

function parseInstant(value: unknown): Date {
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    const dt = DateTime.fromISO(value, { setZone: true });
    if (dt.isValid) {
      if (!storableInstant(dt.toMillis())) throw outOfRange(INSTANT_RANGE_MESSAGE);
      return dt.toJSDate();
    }
  }
  throw fail("must be an ISO-8601 date-time with a time zone offset, e.g. 2026-03-16T08:00:00Z");
}
