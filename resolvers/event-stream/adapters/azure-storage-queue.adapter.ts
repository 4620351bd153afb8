import { AnonymousCredential, QueueClient, StorageSharedKeyCredential } from "@azure/storage-queue";
import type { ErrorDetail } from "../../_shared/errors";
import type { OutboundMessage, ParseOptions, QueueAdapter, QueueDestination, QueuePublisher } from "./types";
import { NET_CODES, PRIVATE_TARGETS_SETTING, checkEndpoint, settingsError, text, vettedOnce, withTimeout } from "./url-guard";

/*
 * Azure Storage Queue destination.
 * Settings (shown): accountName, queueName, optional endpoint (Azurite, sovereign clouds; default
 * https://<account>.queue.core.windows.net). Secrets (write-only): sasToken, or connectionString
 * (AccountName + AccountKey or SharedAccessSignature, optional QueueEndpoint/EndpointSuffix).
 *
 * Wire format: the message text is the envelope JSON exactly as signed, NOT base64-encoded (the
 * v12 SDK default). Consumers verify the signature over the bytes they read. Azure Functions queue
 * triggers expect base64 by default: such consumers set `"messageEncoding": "none"` in host.json.
 */

const TYPE = "azure_storage_queue";
const ACCOUNT_RE = /^[a-z0-9]{3,24}$/;
const QUEUE_RE = /^(?=.{3,63}$)[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$/;
const KNOWN = ["accountName", "queueName", "endpoint", "sasToken", "connectionString"];

/** `Key=Value;` pairs (values may contain `=`). */
function parseConnectionString(cs: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of cs.split(";")) {
    const i = part.indexOf("=");
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

/** A SAS query string without the leading `?`, or undefined when it does not look like one. */
function normaliseSas(raw: string): string | undefined {
  const sas = raw.replace(/^\?/, "");
  const q = new URLSearchParams(sas);
  return q.get("sv") && q.get("sig") && !/\s/.test(sas) ? sas : undefined;
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
  const accountName = text(input, "accountName");
  const queueName = text(input, "queueName");
  const endpointRaw = text(input, "endpoint");
  const sasRaw = text(input, "sasToken");
  const connectionString = text(input, "connectionString");
  if (!accountName) bad("account_name", "required", "account_name is required");
  else if (!ACCOUNT_RE.test(accountName)) bad("account_name", "invalid_value", "account_name must be 3-24 lowercase letters or digits");
  if (!queueName) bad("queue_name", "required", "queue_name is required");
  else if (!QUEUE_RE.test(queueName)) {
    bad("queue_name", "invalid_value", "queue_name must be 3-63 lowercase letters, digits or single hyphens, starting and ending with a letter or digit");
  }
  let endpoint: string | undefined;
  if (endpointRaw) {
    const r = checkEndpoint(endpointRaw, options);
    if ("error" in r) bad("endpoint", "invalid_value", `endpoint ${r.error}`);
    else endpoint = r.url;
  }
  const secrets: Record<string, string> = {};
  if (sasRaw && connectionString) bad("connection_string", "invalid_value", "Give either sas_token or connection_string, not both");
  else if (sasRaw) {
    const sas = normaliseSas(sasRaw);
    if (sas) secrets.sasToken = sas;
    else bad("sas_token", "invalid_value", "sas_token must be a SAS query string (with sv and sig)");
  } else if (connectionString) {
    const cs = parseConnectionString(connectionString);
    const csSas = cs.SharedAccessSignature ? normaliseSas(cs.SharedAccessSignature) : undefined;
    const fromCs = cs.QueueEndpoint ?? (cs.EndpointSuffix && accountName ? `https://${accountName}.queue.${cs.EndpointSuffix}` : undefined);
    const csEndpoint = fromCs ? checkEndpoint(fromCs, options) : undefined;
    if (accountName && cs.AccountName !== accountName) bad("connection_string", "invalid_value", "connection_string must name the same account as account_name");
    else if (!cs.AccountKey && !csSas) bad("connection_string", "invalid_value", "connection_string must contain an AccountKey or a SharedAccessSignature");
    else if (cs.AccountKey && !/^[A-Za-z0-9+/]+={0,2}$/.test(cs.AccountKey)) bad("connection_string", "invalid_value", "connection_string has an invalid AccountKey");
    else if (csEndpoint && "error" in csEndpoint) bad("connection_string", "invalid_value", `The queue endpoint of connection_string ${csEndpoint.error}`);
    else if (csEndpoint && endpoint && csEndpoint.url !== endpoint) bad("endpoint", "invalid_value", "endpoint differs from the queue endpoint of connection_string");
    else {
      endpoint ??= csEndpoint?.url;
      secrets.connectionString = connectionString;
    }
  } else bad("sas_token", "required", "sas_token (or connection_string) is required");
  if (details.length) throw settingsError(details);
  const settings: Record<string, string> = { accountName: accountName!, queueName: queueName! };
  if (endpoint) settings.endpoint = endpoint;
  if (options.allowPrivateTargets) settings[PRIVATE_TARGETS_SETTING] = "true";
  return { type: TYPE, settings, secrets };
}

/** Network and TLS failure codes that may be shown to partners (looked up by name, so no other text leaks). */

/** A network or TLS failure code from the error, its cause or its message. */
function systemCode(err: unknown): string | undefined {
  const e = (err ?? {}) as { code?: unknown; cause?: { code?: unknown }; message?: unknown };
  const said = typeof e.message === "string" ? e.message : "";
  return NET_CODES.find((c) => c === e.code || c === e.cause?.code || new RegExp(`\\b${c}\\b`).test(said));
}

/** A partner-facing error built only from the status, the service's error code and a system code, never message text. */
function publicError(err: unknown): Error {
  const e = (err ?? {}) as { statusCode?: number; code?: unknown };
  const code = typeof e.code === "string" && /^[A-Za-z0-9_.]{1,64}$/.test(e.code) ? e.code : undefined;
  if (e.statusCode === 404) return new Error("The Azure Storage queue does not exist (QueueNotFound)");
  if (e.statusCode === 403) {
    return new Error(`Azure Storage refused the credentials (${code ?? "HTTP 403"}): check the SAS token or account key, its permissions (add) and expiry`);
  }
  if (e.statusCode) return new Error(`Azure Storage rejected the message (HTTP ${e.statusCode}${code ? `, ${code}` : ""})`);
  const sys = systemCode(err);
  return new Error(`Could not reach the Azure Storage queue endpoint${sys ? ` (${sys})` : ""}`);
}

async function connect(destination: QueueDestination): Promise<QueuePublisher> {
  const { accountName, queueName } = destination.settings;
  const { sasToken, connectionString } = destination.secrets;
  const cs = connectionString ? parseConnectionString(connectionString) : {};
  const base = destination.settings.endpoint ?? `https://${accountName}.queue.core.windows.net`;
  const url = `${base}/${queueName}`;
  const sas = sasToken ?? (cs.AccountKey ? undefined : cs.SharedAccessSignature?.replace(/^\?/, ""));
  const pipeline = { retryOptions: { maxTries: 3, retryDelayInMs: 200, maxRetryDelayInMs: 1000 } };
  const client = sas
    ? new QueueClient(`${url}?${sas}`, new AnonymousCredential(), pipeline)
    : new QueueClient(url, new StorageSharedKeyCredential(accountName, cs.AccountKey ?? ""), pipeline);
  // Names are checked against private addresses once per publisher (the SDK resolves again itself).
  const vetHost = vettedOnce(new URL(base).hostname, destination.settings[PRIVATE_TARGETS_SETTING] === "true");
  let closed = false;
  return {
    async publish(message: OutboundMessage, timeoutMs: number): Promise<void> {
      if (closed) throw new Error("The publisher is closed");
      await withTimeout(timeoutMs, `The Azure Storage queue did not acknowledge the message within ${timeoutMs} ms`, async (abortSignal) => {
        await vetHost();
        await client.sendMessage(message.body, { abortSignal }).catch((err: unknown) => {
          throw publicError(err);
        });
      });
    },
    async close(): Promise<void> {
      closed = true;
    },
  };
}

/** Azure Storage Queue adapter (`@azure/storage-queue`): the envelope JSON is sent as the message text, unencoded. */
export const azureStorageQueueAdapter: QueueAdapter = {
  type: TYPE,
  parse,
  describe: (d) => ({ accountName: d.settings.accountName ?? null, queueName: d.settings.queueName ?? null, endpoint: d.settings.endpoint ?? null }),
  connect,
};
