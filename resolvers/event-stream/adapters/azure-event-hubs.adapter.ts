import net from "node:net";
import { EventHubProducerClient, parseEventHubConnectionString, type EventData } from "@azure/event-hubs";
import type { ErrorDetail } from "../../_shared/errors";
import type { OutboundMessage, ParseOptions, QueueAdapter, QueueDestination, QueuePublisher } from "./types";
import { CLOSE_TIMEOUT_MS, NET_CODES, PRIVATE_TARGETS_SETTING, resolvePublic, settingsError, text, withTimeout } from "./url-guard";

/*
 * Azure Event Hubs destination.
 * Settings (shown): namespace (`myns` → myns.servicebus.windows.net, or a fully qualified host),
 * eventHubName. Secrets (write-only): sasToken (a full `SharedAccessSignature sr=…&sig=…&se=…&skn=…`
 * token) or connectionString (its Endpoint must be the namespace, its EntityPath, if any, the hub).
 *
 * One event per message, body = the envelope JSON bytes (passed as a Buffer: the SDK would
 * JSON-encode a string body a second time), messageId = event id, contentType application/json,
 * properties taih-signature and taih-event-type. No partition key: the service spreads events.
 */

const TYPE = "azure_event_hubs";
const SHORT_NS_RE = /^[a-zA-Z][a-zA-Z0-9-]{4,48}[a-zA-Z0-9]$/;
const HOST_RE = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?::\d{1,5})?$/;
const HUB_RE = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,254}[A-Za-z0-9])?$/;
const KNOWN = ["namespace", "eventHubName", "sasToken", "connectionString"];

/** The namespace as `host[:port]`, lower-case; ports, `localhost` and IP addresses only with allowPrivateTargets. */
function normaliseNamespace(raw: string, options: ParseOptions): string | undefined {
  const ns = raw.replace(/^sb:\/\//i, "").replace(/\/+$/, "");
  if (SHORT_NS_RE.test(ns)) return `${ns.toLowerCase()}.servicebus.windows.net`;
  const host = ns.toLowerCase();
  const [name, port] = host.split(":");
  if (options.allowPrivateTargets && (name === "localhost" || net.isIPv4(name)) && (!port || /^\d{1,5}$/.test(port))) return host;
  if (!HOST_RE.test(host) || net.isIPv4(name) || name.endsWith(".localhost")) return undefined;
  if (port && !options.allowPrivateTargets) return undefined;
  return host;
}

/** Validates a SAS token; returns an error message or undefined. */
function checkSasToken(token: string): string | undefined {
  const m = token.match(/^SharedAccessSignature ([^\s;]+)$/);
  const q = m ? new URLSearchParams(m[1]) : undefined;
  if (!q?.get("sr") || !q.get("sig") || !q.get("se")) return "sas_token must be a SharedAccessSignature token with sr, sig and se";
  if (Number(q.get("se")) * 1000 < Date.now()) return "sas_token has expired";
  return undefined;
}

function parse(input: Record<string, unknown>, options: ParseOptions): QueueDestination {
  const details: ErrorDetail[] = [];
  const bad = (field: string, code: string, message: string) => details.push({ field: `${TYPE}.${field}`, code, message });
  for (const key of Object.keys(input)) {
    if (!KNOWN.includes(key) && input[key] !== undefined && input[key] !== null)
      bad(
        key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
        "unknown_field",
        "Unknown field",
      );
  }
  const [nsRaw, eventHubName, sasToken, connectionString] = KNOWN.map((k) => text(input, k));
  const namespace = nsRaw ? normaliseNamespace(nsRaw, options) : undefined;
  if (!nsRaw) bad("namespace", "required", "namespace is required");
  else if (!namespace) bad("namespace", "invalid_value", "namespace must be an Event Hubs namespace name or its fully qualified host name");
  if (!eventHubName) bad("event_hub_name", "required", "event_hub_name is required");
  else if (!HUB_RE.test(eventHubName)) bad("event_hub_name", "invalid_value", "event_hub_name must be 1-256 letters, digits, periods, hyphens or underscores");
  const secrets: Record<string, string> = {};
  if (sasToken && connectionString) bad("connection_string", "invalid_value", "Give either sas_token or connection_string, not both");
  else if (sasToken) {
    const problem = checkSasToken(sasToken);
    if (problem) bad("sas_token", "invalid_value", problem);
    else secrets.sasToken = sasToken;
  } else if (connectionString) {
    let cs: ReturnType<typeof parseEventHubConnectionString> | undefined;
    try {
      cs = parseEventHubConnectionString(connectionString);
    } catch {
      bad("connection_string", "invalid_value", "connection_string must hold an Endpoint and a SharedAccessKeyName/SharedAccessKey or a SharedAccessSignature");
    }
    if (cs && namespace && cs.fullyQualifiedNamespace?.toLowerCase() !== namespace) {
      bad("connection_string", "invalid_value", "The Endpoint of connection_string must be the namespace");
    } else if (cs?.eventHubName && eventHubName && cs.eventHubName !== eventHubName) {
      bad("connection_string", "invalid_value", "The EntityPath of connection_string must be event_hub_name");
    } else if (cs) secrets.connectionString = connectionString;
  } else bad("sas_token", "required", "sas_token (or connection_string) is required");
  if (details.length) throw settingsError(details);
  const settings: Record<string, string> = { namespace: namespace!, eventHubName: eventHubName! };
  if (options.allowPrivateTargets) settings[PRIVATE_TARGETS_SETTING] = "true";
  return { type: TYPE, settings, secrets };
}

/** Network and TLS failure codes that may be shown to partners (looked up by name, so no other text leaks). */

/** The `code` strings of an error and of its causes and aggregated errors (retries), outermost first. */
function errorCodes(err: unknown, depth = 0): string[] {
  if (!err || typeof err !== "object" || depth > 4) return [];
  const e = err as { code?: unknown; errors?: unknown; cause?: unknown };
  const nested = [...(Array.isArray(e.errors) ? (e.errors as unknown[]) : []), e.cause].flatMap((x) => errorCodes(x, depth + 1));
  return [...(typeof e.code === "string" && /^[A-Za-z0-9_.:]{1,80}$/.test(e.code) ? [e.code] : []), ...nested];
}

/** A partner-facing error from the SDK's error codes (never its message text, which may quote the endpoint or token). */
function publicError(err: unknown): Error {
  const codes = errorCodes(err);
  const sys = codes.find((c) => NET_CODES.includes(c));
  if (codes.includes("MessagingEntityNotFoundError")) return new Error("The event hub does not exist (MessagingEntityNotFoundError)");
  const auth = codes.find((c) => c === "UnauthorizedError" || c === "UnauthorizedAccessError");
  if (auth) return new Error(`Event Hubs refused the credentials (${auth}): check the SAS token or key, its Send right and expiry`);
  if (sys || codes.includes("ServiceCommunicationError") || codes.includes("ConnectionLostError")) {
    return new Error(`Could not reach the Event Hubs namespace${sys ? ` (${sys})` : ""}`);
  }
  const code = codes.find((c) => !NET_CODES.includes(c) && !/^E[A-Z]{3,}$/.test(c));
  return new Error(`Event Hubs rejected the message${code ? ` (${code})` : ""}`);
}

async function connect(destination: QueueDestination): Promise<QueuePublisher> {
  const { namespace, eventHubName } = destination.settings;
  const { sasToken, connectionString } = destination.secrets;
  const cs = connectionString ?? `Endpoint=sb://${namespace}/;SharedAccessSignature=${sasToken}`;
  // The AMQP connection opens on the first send, so a bad endpoint surfaces (bounded) in publish().
  const client = new EventHubProducerClient(cs, eventHubName, { retryOptions: { maxRetries: 2, retryDelayInMs: 200, maxRetryDelayInMs: 2000 } });
  // Names are checked against private addresses once per publisher (the SDK resolves again itself).
  const allowPrivate = destination.settings[PRIVATE_TARGETS_SETTING] === "true";
  let vetted: Promise<unknown> | undefined;
  const vetHost = () =>
    (vetted ??= resolvePublic(namespace.split(":")[0], allowPrivate).catch((err: unknown) => {
      vetted = undefined;
      throw err;
    }));
  let closing: Promise<void> | undefined;
  return {
    async publish(message: OutboundMessage, timeoutMs: number): Promise<void> {
      if (closing) throw new Error("The publisher is closed");
      const event: EventData = {
        body: Buffer.from(message.body, "utf8"),
        messageId: message.eventId,
        contentType: "application/json",
        properties: { "taih-signature": message.signature, "taih-event-type": message.eventType },
      };
      await withTimeout(timeoutMs, `The event hub did not acknowledge the message within ${timeoutMs} ms`, async (abortSignal) => {
        await vetHost();
        await client.sendBatch([event], { abortSignal }).catch((err: unknown) => {
          throw publicError(err);
        });
      });
    },
    close(): Promise<void> {
      return (closing ??= withTimeout(CLOSE_TIMEOUT_MS, "close timed out", () => client.close()).catch(() => undefined));
    },
  };
}

/** Azure Event Hubs adapter (`@azure/event-hubs`): one event per message, body = envelope JSON bytes. */
export const azureEventHubsAdapter: QueueAdapter = {
  type: TYPE,
  parse,
  describe: (d) => ({ namespace: d.settings.namespace ?? null, eventHubName: d.settings.eventHubName ?? null }),
  connect,
};
