import pino, { type Logger } from "pino";

/**
 * JSON logs. We log request metadata (id, operation, status, duration, org) and never headers,
 * bodies, query strings or health values; the redact list is a second line of defence.
 */
export function createLogger(level: string, destination: "stdout" | "stderr" = "stdout"): Logger {
  return pino(
    {
      level,
      base: { service: "thrive-partner-api" },
      redact: { paths: ["*.authorization", "*.tenantKey", "*.tenant_api_key", "*.secret", "*.signing_secret", "*.password"], censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    pino.destination(destination === "stdout" ? 1 : 2),
  );
}
