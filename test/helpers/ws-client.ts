import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { waitFor } from "./harness";

/** A graphql-ws subscription that records what arrives; `until` polls (no sleeps). */
export function subscribe(baseUrl: string, connectionParams: Record<string, unknown>, query: string, variables: Record<string, unknown> = {}) {
  const client: Client = createClient({ url: `${baseUrl.replace("http", "ws")}/graphql`, webSocketImpl: WebSocket, connectionParams, retryAttempts: 0 });
  const received: any[] = [];
  const errors: unknown[] = [];
  let connected = false;
  client.on("connected", () => (connected = true));
  const stop = client.subscribe(
    { query, variables },
    {
      next: (v) => void received.push(v),
      error: (e) => void errors.push(e),
      complete: () => undefined,
    },
  );
  return {
    received,
    errors,
    /** Resolves once the socket is acknowledged (the subscribe message is sent right after). */
    ready: () => waitFor(async () => (connected ? true : undefined)),
    until: <T>(pick: (all: any[]) => T | undefined, timeoutMs = 10_000) => waitFor(async () => pick(received), { timeoutMs }),
    close: async () => {
      stop();
      await client.dispose();
    },
  };
}
