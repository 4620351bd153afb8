import type { NextFunction, Request, Response } from "express";
import crypto from "node:crypto";

const REQUEST_ID_RE = /^[A-Za-z0-9._:-]{1,128}$/;
const TRACEPARENT_RE = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * Random hex for trace ids, drawn from a 4 KiB pool owned by one middleware instance: two
 * `randomBytes` calls per request were two getrandom system calls on every request
 * (crypto.randomUUID keeps a similar cache of its own).
 */
function randomHexPool(): (bytes: number) => string {
  let pool = Buffer.alloc(0);
  let used = 0;
  return (bytes) => {
    if (used + bytes > pool.length) {
      pool = crypto.randomBytes(4096);
      used = 0;
    }
    used += bytes;
    return pool.toString("hex", used - bytes, used);
  };
}

/** Echoes `x-request-id` (generated when absent or unusable) and `traceparent` (started when absent) on every response. */
export function createRequestIdMiddleware() {
  const randomHex = randomHexPool();
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.get("x-request-id");
    const requestId = incoming && REQUEST_ID_RE.test(incoming) ? incoming : crypto.randomUUID();
    const tp = req.get("traceparent")?.toLowerCase();
    const traceparent = tp && TRACEPARENT_RE.test(tp) ? tp : `00-${randomHex(16)}-${randomHex(8)}-01`;
    res.locals.requestId = requestId;
    res.locals.startedAt = process.hrtime.bigint();
    res.setHeader("x-request-id", requestId);
    res.setHeader("traceparent", traceparent);
    next();
  };
}
