import http from "node:http";
import type { AddressInfo } from "node:net";
import { waitFor } from "./harness";

export interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  envelope: Record<string, any>;
}

/** A partner's webhook endpoint on loopback: records every delivery; `status` decides the answer. */
export async function startReceiver() {
  const received: Received[] = [];
  /** `hang`: accept and never answer (a stuck partner endpoint). */
  const state = { status: 200, hang: false };
  const hung: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      let envelope: Record<string, any> = {};
      try {
        envelope = JSON.parse(body);
      } catch {
        envelope = {};
      }
      received.push({ headers: req.headers, body, envelope });
      if (state.hang) hung.push(res);
      else res.writeHead(state.status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    url,
    received,
    state,
    /** Deliveries of this event type so far. */
    of: (type: string) => received.filter((r) => r.envelope.event_type === type),
    waitFor: (pred: (r: Received) => boolean, timeoutMs = 10_000) => waitFor(async () => received.find(pred), { timeoutMs }),
    close: () => {
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}
