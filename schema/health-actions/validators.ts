import { ValidateBy } from "class-validator";

/** Whether `v` (a string, or any string or key inside a JSON value) contains U+0000, which PostgreSQL text and jsonb cannot store. */
export function containsNul(v: unknown): boolean {
  if (typeof v === "string") return v.includes("\u0000");
  if (Array.isArray(v)) return v.some(containsNul);
  if (v && typeof v === "object") return Object.entries(v).some(([k, x]) => k.includes("\u0000") || containsNul(x));
  return false;
}

/**
 * Rejects text (or, for a JSON field, any string or key inside it) containing the NUL character
 * (U+0000): it cannot be stored, so without this the write would fail as a 500. Detail code `invalid_value`.
 */
export const NoNulCharacter = () =>
  ValidateBy({
    name: "noNulCharacter",
    validator: {
      validate: (v: unknown) => !containsNul(v),
      defaultMessage: () => "must not contain the NUL character (U+0000)",
    },
  });

/** The instants the API stores and renders as `YYYY-MM-DDTHH:mm:ssZ`: years 0001–9999 (UTC). */
export const MIN_INSTANT = new Date("0001-01-01T00:00:00.000Z");
export const MAX_INSTANT = new Date("9999-12-31T23:59:59.999Z");

/** The calendar dates the API stores: `0001-01-01` to `9999-12-31` (PostgreSQL has no year 0). */
export const MIN_LOCAL_DATE = "0001-01-01";
