import { DomainError } from "../resolvers/_shared/errors";

/** Maps body-parser failures (express.json) to public errors; null when `err` is not one. */
export function bodyParserError(err: unknown): DomainError | null {
  const type = (err as { type?: unknown } | null)?.type;
  if (typeof type !== "string" || !(err as object | null) || !("status" in (err as object))) return null;
  switch (type) {
    case "entity.too.large":
      return new DomainError("payload_too_large", "The request body is too large");
    case "encoding.unsupported":
    case "charset.unsupported":
      return new DomainError("unsupported_media_type", "Unsupported body encoding or charset");
    case "entity.parse.failed":
      return new DomainError("invalid_request", "The request body is not valid JSON");
    default:
      return new DomainError("invalid_request", "The request body could not be read");
  }
}
