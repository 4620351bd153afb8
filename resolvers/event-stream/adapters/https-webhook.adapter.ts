import type { LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import type { ErrorDetail } from "../../_shared/errors";
import type { OutboundMessage, QueueAdapter, QueueDestination, QueuePublisher } from "./types";
import { PRIVATE_TARGETS_SETTING, readUrl, redactUrl, resolvePublic, safeMessage, secretsOf, settingsError, withTimeout } from "./url-guard";

const SNIPPET_CHARS = 200;

/** A lookup that answers only with addresses already checked, so a second DNS answer cannot differ. */
function pinnedLookup(addresses: LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0].address, addresses[0].family);
  };
}

/**
 * POSTs each envelope to the partner's URL over a keep-alive agent. Delivered means a 2xx answer;
 * redirects are not followed (a 3xx is a failure like any other non-2xx).
 */
class WebhookPublisher implements QueuePublisher {
  private closed = false;
  private readonly agent: http.Agent;
  private readonly secrets: string[];

  constructor(
    private readonly url: URL,
    private readonly allowPrivate: boolean,
  ) {
    this.secrets = secretsOf(url);
    this.agent = url.protocol === "https:" ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
  }

  publish(message: OutboundMessage, timeoutMs: number): Promise<void> {
    return withTimeout(timeoutMs, `The webhook did not answer within ${timeoutMs} ms`, (signal) => this.send(message, signal));
  }

  private async send(message: OutboundMessage, signal: AbortSignal): Promise<void> {
    if (this.closed) throw new Error("The publisher is closed");
    // Why (SSRF): every address the name resolves to must be public, checked at send time because
    // DNS can change after registration; the request then connects only to those addresses.
    const addresses = await resolvePublic(this.url.hostname, this.allowPrivate);
    signal.throwIfAborted();
    const body = Buffer.from(message.body);
    const request = this.url.protocol === "https:" ? https.request : http.request;
    await new Promise<void>((resolve, reject) => {
      const req = request(
        this.url,
        {
          method: "POST",
          agent: this.agent,
          lookup: pinnedLookup(addresses),
          signal,
          headers: {
            "content-type": "application/json",
            "content-length": String(body.length),
            "user-agent": "thrive-event-dispatcher",
            "taih-signature": message.signature,
            "taih-event-id": message.eventId,
            "taih-event-type": message.eventType,
          },
        },
        (res) => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            res.resume();
            resolve();
            return;
          }
          let text = "";
          const fail = () => reject(new Error(this.failure(status, text)));
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            text += chunk;
            if (text.length >= SNIPPET_CHARS) res.destroy();
          });
          res.on("end", fail);
          res.on("close", fail);
          res.on("error", fail);
        },
      );
      req.on("error", (err) => reject(new Error(safeMessage(err, this.secrets, "The webhook request failed: "))));
      req.end(body);
    });
  }

  private failure(status: number, text: string): string {
    const snippet = text.replace(/\s+/g, " ").trim().slice(0, SNIPPET_CHARS);
    const redirect = status >= 300 && status < 400 ? " (redirects are not followed)" : "";
    return safeMessage(`The webhook answered HTTP ${status}${redirect}${snippet ? `: ${snippet}` : ""}`, this.secrets);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.agent.destroy();
  }
}

function parse(input: Record<string, unknown>, options: { allowPrivateTargets: boolean }): QueueDestination {
  const details: ErrorDetail[] = [];
  const schemes = options.allowPrivateTargets ? ["https", "http"] : ["https"];
  const url = readUrl(input, "https_webhook.url", schemes, options.allowPrivateTargets, details);
  if (!url) throw settingsError(details);
  url.hash = "";
  const settings: Record<string, string> = { url: redactUrl(url.href, { hideQuery: true }) ?? "" };
  if (options.allowPrivateTargets) settings[PRIVATE_TARGETS_SETTING] = "true";
  return { type: "https_webhook", settings, secrets: { url: url.href } };
}

/**
 * HTTPS webhooks (Node http/https). Headers `taih-signature`, `taih-event-id` and `taih-event-type`
 * accompany the envelope. The whole URL is a secret (it often carries a token); it is shown with its
 * password and query values masked. Private, loopback and link-local targets are refused both when
 * registering (literal hosts) and when sending (resolved addresses), unless private targets are allowed.
 */
export const httpsWebhookAdapter: QueueAdapter = {
  type: "https_webhook",
  parse,
  describe: (destination) => ({ url: redactUrl(destination.settings.url ?? "", { hideQuery: true }) ?? null }),
  async connect(destination) {
    return new WebhookPublisher(new URL(destination.secrets.url), destination.settings[PRIVATE_TARGETS_SETTING] === "true");
  },
};
