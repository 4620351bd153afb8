import crypto from "node:crypto";
import net from "node:net";
import { azureEventHubsAdapter as adapter } from "../../resolvers/event-stream/adapters/azure-event-hubs.adapter";
import type { OutboundMessage, QueueDestination } from "../../resolvers/event-stream/adapters/types";
import { DomainError } from "../../resolvers/_shared/errors";
import { detailStrings } from "../helpers/adapter-kit";

// No Event Hubs emulator runs offline from npm (Microsoft's is a container image), so publishing is
// checked here only up to the network: parse/describe, secrets, and bounded, secret-free failures.

const LOCAL = { allowPrivateTargets: true };
const PUBLIC = { allowPrivateTargets: false };
const KEY = crypto.randomBytes(32).toString("base64");
const SIG = encodeURIComponent(crypto.randomBytes(32).toString("base64"));
const sasToken = (se = Math.floor(Date.now() / 1000) + 3600) =>
  `SharedAccessSignature sr=sb%3A%2F%2Facme-events.servicebus.windows.net%2Fthrive&sig=${SIG}&se=${se}&skn=send`;
const keyConnection = (host: string, entity = "") => `Endpoint=sb://${host}/;SharedAccessKeyName=send;SharedAccessKey=${KEY}${entity ? `;EntityPath=${entity}` : ""}`;

function message(): OutboundMessage {
  const eventId = crypto.randomUUID();
  const signature = crypto.randomBytes(32).toString("base64");
  return { eventId, eventType: "coach.nudge.created", body: JSON.stringify({ id: eventId, data: { note: "café 😀" }, signature }), signature };
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return (server.address() as net.AddressInfo).port;
}

/** Publishes and returns the rejection, checking it came within the bound and holds no secret. */
async function failure(d: QueueDestination, timeoutMs: number): Promise<string> {
  const publisher = await adapter.connect(d);
  const started = Date.now();
  try {
    const err: Error = await publisher.publish(message(), timeoutMs).then(
      () => new Error("published"),
      (e: Error) => e,
    );
    expect(Date.now() - started).toBeLessThan(timeoutMs + 1000);
    for (const secret of [KEY, SIG, decodeURIComponent(SIG), "SharedAccessSignature"]) expect(`${err.message} ${err.stack}`).not.toContain(secret);
    return err.message;
  } finally {
    await publisher.close();
  }
}

describe("azure_event_hubs parse/describe", () => {
  it("normalises the namespace and keeps the SAS token write-only", () => {
    // One token: two calls a second apart would carry different expiries.
    const token = sasToken();
    const d = adapter.parse({ namespace: "Acme-Events", eventHubName: "thrive", sasToken: token }, PUBLIC);
    expect(d.settings).toEqual({ namespace: "acme-events.servicebus.windows.net", eventHubName: "thrive" });
    expect(d.secrets).toEqual({ sasToken: token });
    expect(adapter.describe(d)).toEqual({ namespace: "acme-events.servicebus.windows.net", eventHubName: "thrive" });
    const fq = adapter.parse({ namespace: "sb://acme-events.servicebus.chinacloudapi.cn/", eventHubName: "thrive", sasToken: sasToken() }, PUBLIC);
    expect(fq.settings.namespace).toBe("acme-events.servicebus.chinacloudapi.cn");
  });

  it("accepts a connection string for the same namespace and hub", () => {
    const cs = keyConnection("acme-events.servicebus.windows.net", "thrive");
    const d = adapter.parse({ namespace: "acme-events", eventHubName: "thrive", connectionString: cs }, PUBLIC);
    expect(d.secrets).toEqual({ connectionString: cs });
    expect(JSON.stringify(adapter.describe(d))).not.toContain(KEY);
  });

  it("names every missing field", () => {
    expect(detailStrings(() => adapter.parse({}, PUBLIC))).toEqual([
      "azure_event_hubs.event_hub_name:required",
      "azure_event_hubs.namespace:required",
      "azure_event_hubs.sas_token:required",
    ]);
  });

  it.each([
    ["a loopback namespace", { namespace: "127.0.0.1:5671", eventHubName: "thrive", sasToken: sasToken() }, "azure_event_hubs.namespace:invalid_value"],
    ["localhost with a port", { namespace: "localhost:5671", eventHubName: "thrive", sasToken: sasToken() }, "azure_event_hubs.namespace:invalid_value"],
    ["a bad hub name", { namespace: "acme-events", eventHubName: "-thrive", sasToken: sasToken() }, "azure_event_hubs.event_hub_name:invalid_value"],
    ["a malformed SAS token", { namespace: "acme-events", eventHubName: "thrive", sasToken: `sig=${SIG}` }, "azure_event_hubs.sas_token:invalid_value"],
    ["an expired SAS token", { namespace: "acme-events", eventHubName: "thrive", sasToken: sasToken(1_000_000) }, "azure_event_hubs.sas_token:invalid_value"],
    [
      "both secrets",
      { namespace: "acme-events", eventHubName: "thrive", sasToken: sasToken(), connectionString: keyConnection("acme-events.servicebus.windows.net") },
      "azure_event_hubs.connection_string:invalid_value",
    ],
    ["a junk connection string", { namespace: "acme-events", eventHubName: "thrive", connectionString: "hello" }, "azure_event_hubs.connection_string:invalid_value"],
    [
      "another namespace",
      { namespace: "acme-events", eventHubName: "thrive", connectionString: keyConnection("other-ns.servicebus.windows.net") },
      "azure_event_hubs.connection_string:invalid_value",
    ],
    [
      "another hub",
      { namespace: "acme-events", eventHubName: "thrive", connectionString: keyConnection("acme-events.servicebus.windows.net", "other") },
      "azure_event_hubs.connection_string:invalid_value",
    ],
    ["an unknown field", { namespace: "acme-events", eventHubName: "thrive", sasToken: sasToken(), queueName: "x" }, "azure_event_hubs.queue_name:unknown_field"],
  ])("rejects %s", (_label, input, expected) => {
    expect(detailStrings(() => adapter.parse(input, PUBLIC))).toEqual([expected]);
  });

  it("never echoes a secret in validation messages", () => {
    let thrown: unknown;
    try {
      adapter.parse({ namespace: "acme-events", eventHubName: "thrive", connectionString: keyConnection("other-ns.servicebus.windows.net") }, PUBLIC);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect(JSON.stringify({ m: (thrown as DomainError).message, d: (thrown as DomainError).details })).not.toContain(KEY);
  });
});

describe("azure_event_hubs publishing without a broker", () => {
  it("reports a namespace with nothing listening, bounded and secret-free", async () => {
    const probe = net.createServer();
    const port = await listen(probe);
    await new Promise((r) => probe.close(r));
    const host = `127.0.0.1:${port}`;
    const d = adapter.parse({ namespace: host, eventHubName: "thrive", connectionString: keyConnection(host) }, LOCAL);
    expect(await failure(d, 3000)).toBe("Could not reach the Event Hubs namespace (ECONNREFUSED)");
  });

  // rhea cannot abandon a TLS handshake in progress: the socket stays open until the peer or the OS
  // ends it (bounded by the OS connect/TLS timeouts), so only the publish deadline is asserted here.
  it.each(["connectionString", "sasToken"] as const)("times out against a silent endpoint (%s)", async (kind) => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((s) => {
      sockets.add(s);
      s.on("close", () => sockets.delete(s))
        .on("error", () => undefined)
        .resume();
    });
    const port = await listen(silent);
    const host = `127.0.0.1:${port}`;
    try {
      const secret = kind === "sasToken" ? { sasToken: sasToken() } : { connectionString: keyConnection(host, "thrive") };
      const d = adapter.parse({ namespace: host, eventHubName: "thrive", ...secret }, LOCAL);
      const started = Date.now();
      expect(await failure(d, 300)).toBe("The event hub did not acknowledge the message within 300 ms");
      expect(Date.now() - started).toBeGreaterThanOrEqual(295);
      expect(sockets.size).toBe(1);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });

  it("close() is idempotent and a closed publisher refuses to publish", async () => {
    const d = adapter.parse({ namespace: "acme-events", eventHubName: "thrive", sasToken: sasToken() }, PUBLIC);
    const publisher = await adapter.connect(d);
    await Promise.all([publisher.close(), publisher.close()]);
    await publisher.close();
    await expect(publisher.publish(message(), 1000)).rejects.toThrow("The publisher is closed");
  });
});
