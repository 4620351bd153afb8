import type { Response } from "express";
import { errorEnvelope, type PublicError } from "../../resolvers/_shared/errors";

/** Writes the spec's error envelope. Every REST error leaves through here. */
export function sendError(res: Response, pe: PublicError): void {
  for (const [k, v] of Object.entries(pe.headers)) res.setHeader(k, v);
  res.locals.errorCode = pe.code;
  res.status(pe.status).json(errorEnvelope(pe, String(res.locals.requestId ?? "")));
}
