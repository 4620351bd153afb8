import { BREAK, visit, type DocumentNode } from "graphql";
import { DomainError } from "./errors";

/** The same rule for string literals written inline in a GraphQL document (no variables). */
export function assertNoNulInDocument(document: DocumentNode): void {
  let found = false;
  visit(document, {
    StringValue(node) {
      if (!node.value.includes("\u0000")) return undefined;
      found = true;
      return BREAK;
    },
  });
  if (found)
    throw new DomainError("validation_error", "The request has invalid fields", [
      { field: "document", code: "invalid_value", message: "string literals must not contain NUL (U+0000) characters" },
    ]);
}

/**
 * PostgreSQL cannot store U+0000 in text (the driver even fails the protocol exchange), so a NUL
 * anywhere in a request's variables is refused up front, for every transport, with the field named.
 * Paths are relative to an object variable (a REST body) or the variable's name for scalars.
 */
export function assertNoNulCharacters(variables: Record<string, unknown> | null | undefined): void {
  for (const [name, value] of Object.entries(variables ?? {})) {
    const at = value !== null && typeof value === "object" && !Array.isArray(value) ? findNul(value, []) : findNul(value, [name]);
    if (at) {
      throw new DomainError("validation_error", "The request has invalid fields", [
        { field: at.join(".") || name, code: "invalid_value", message: "must not contain NUL (U+0000) characters" },
      ]);
    }
  }
}

function findNul(v: unknown, path: string[]): string[] | null {
  if (typeof v === "string") return v.includes("\u0000") ? path : null;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const hit = findNul(v[i], [...path, String(i)]);
      if (hit) return hit;
    }
    return null;
  }
  if (v !== null && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) {
      if (k.includes("\u0000")) return [...path, k.replaceAll("\u0000", "")];
      const hit = findNul(x, [...path, k]);
      if (hit) return hit;
    }
  }
  return null;
}
