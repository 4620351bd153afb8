import pino, { type Logger } from "pino";

/**
 * JSON logs. We log request metadata (id, operation, status, duration, org) and never headers,
 * bodies, query strings or health values; the redact list is a second line of defence.
 *
 * `sync: false` (the server and the worker) writes off the event loop: while one write is in flight
 * the next lines queue and go out together, so a busy server pays one write per batch instead of one
 * system call per request, and a quiet one still writes each line at once. pino flushes what is
 * queued when the process exits.
 */
export function createLogger(level: string, destination: "stdout" | "stderr" = "stdout", opts: { sync?: boolean } = {}): Logger {
  return pino(
    {
      level,
      base: { service: "thrive-partner-api" },
      redact: { paths: ["*.authorization", "*.tenantKey", "*.tenant_api_key", "*.secret", "*.signing_secret", "*.password"], censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    pino.destination({ dest: destination === "stdout" ? 1 : 2, sync: opts.sync ?? true }),
  );
}
