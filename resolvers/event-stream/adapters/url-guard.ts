import dns from "node:dns";
import net from "node:net";
import { DomainError, type ErrorDetail } from "../../_shared/errors";
import type { ParseOptions } from "./types";

/**
 * Helpers shared by the queue adapters: settings validation, URL redaction, the private-address
 * guard (SSRF) and bounded waits.
 */

/** Settings key recording that `parse` ran with `allowPrivateTargets` (dev and tests); never shown. */
export const PRIVATE_TARGETS_SETTING = "allowPrivateTargets";
/** Upper bound for opening a broker connection when nobody is waiting on a publish. */
export const CONNECT_TIMEOUT_MS = 10_000;
/** Upper bound for a polite close before the socket is dropped. */
export const CLOSE_TIMEOUT_MS = 2_000;

const MAX_URL_LENGTH = 2048;
const HOST_PATTERN = /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*$/;

/** The `validation_error` every adapter's `parse` throws. */
export function settingsError(details: ErrorDetail[]): DomainError {
  return new DomainError("validation_error", "The queue settings are invalid", details);
}

/**
 * Reads a required string setting, appending a `required`, `invalid_value` or `too_long` detail
 * (never echoing the value) and returning undefined when it is unusable.
 */
export function readText(input: Record<string, unknown>, key: string, field: string, max: number, details: ErrorDetail[]): string | undefined {
  const value = input[key];
  if (value === undefined || value === null || value === "") {
    details.push({ field, code: "required", message: "This setting is required" });
  } else if (typeof value !== "string") {
    details.push({ field, code: "invalid_value", message: "Must be a string" });
  } else if (Buffer.byteLength(value) > max) {
    details.push({ field, code: "too_long", message: `Must be at most ${max} bytes` });
  } else {
    return value;
  }
  return undefined;
}

/**
 * Reads a destination URL: one of `schemes`, a plain host name or IP literal, and (unless private
 * targets are allowed) not a literal private/loopback address nor `localhost`. Host names are
 * checked again after DNS resolution when connecting.
 */
export function readUrl(input: Record<string, unknown>, field: string, schemes: readonly string[], allowPrivate: boolean, details: ErrorDetail[]): URL | undefined {
  const raw = readText(input, "url", field, MAX_URL_LENGTH, details);
  if (raw === undefined) return undefined;
  const problem = (message: string) => {
    details.push({ field, code: "invalid_value", message });
    return undefined;
  };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return problem("Must be a valid URL");
  }
  if (!schemes.includes(url.protocol.slice(0, -1))) return problem(`Must start with ${schemes.map((s) => `${s}://`).join(" or ")}`);
  const host = bareHost(url.hostname);
  if (!net.isIP(host) && !HOST_PATTERN.test(host)) return problem("Must name a valid host");
  if (!allowPrivate && isPrivateHost(host)) return problem("Must not point to a private, loopback or link-local address");
  return url;
}

/** The host without IPv6 brackets or a trailing dot, lower-cased. */
export function bareHost(hostname: string): string {
  return hostname
    .replace(/^\[|\]$/g, "")
    .replace(/\.$/, "")
    .toLowerCase();
}

/** Whether a host (as written) is `localhost` or a literal private/loopback/link-local address. */
export function isPrivateHost(hostname: string): boolean {
  const host = bareHost(hostname);
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  return net.isIP(host) !== 0 && isPrivateAddress(host);
}

const blocked = new net.BlockList();
for (const [prefix, bits] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  blocked.addSubnet(prefix, bits, "ipv4");
for (const [prefix, bits] of [
  ["::", 96],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
  ["64:ff9b:1::", 48],
] as const) {
  blocked.addSubnet(prefix, bits, "ipv6");
}

/**
 * Whether an IP address is not publicly routable: private, loopback, link-local, CGNAT, ULA,
 * unspecified, multicast or reserved, including IPv4-mapped, NAT64 and 6to4 forms of those.
 */
export function isPrivateAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return blocked.check(address, "ipv4");
  if (family !== 6) return true;
  if (blocked.check(address, "ipv6")) return true;
  const embedded = embeddedIPv4(address);
  return embedded !== undefined && blocked.check(embedded, "ipv4");
}

/** The IPv4 address carried by a NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address. */
function embeddedIPv4(address: string): string | undefined {
  const groups = expandIPv6(address);
  const toV4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  if (groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0)) return toV4(groups[6], groups[7]);
  if (groups[0] === 0x2002) return toV4(groups[1], groups[2]);
  return undefined;
}

function expandIPv6(address: string): number[] {
  let text = address.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4[1].split(".").map(Number);
    text = text.slice(0, v4.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split("::");
  const part = (s: string | undefined) => (s ? s.split(":").map((g) => parseInt(g, 16)) : []);
  const left = part(head);
  const right = part(tail);
  return tail === undefined ? left : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/**
 * Resolves a host for connecting. Unless private targets are allowed, every resolved address must
 * be public (so a name cannot point at our own network); callers then connect to a returned
 * address, never to the name again, so a second DNS answer cannot swap it (rebinding).
 */
export async function resolvePublic(hostname: string, allowPrivate: boolean): Promise<dns.LookupAddress[]> {
  const host = bareHost(hostname);
  const literal = net.isIP(host);
  let addresses: dns.LookupAddress[];
  try {
    addresses = literal ? [{ address: host, family: literal }] : await dns.promises.lookup(host, { all: true, verbatim: true });
  } catch {
    throw new Error("The destination host name could not be resolved");
  }
  if (addresses.length === 0) throw new Error("The destination host name could not be resolved");
  if (!allowPrivate && addresses.some((a) => isPrivateAddress(a.address))) {
    throw new Error("The destination host resolves to a private, loopback or link-local address, which is not allowed");
  }
  return addresses;
}

/** `host` formatted for a URL or `host:port` string (IPv6 in brackets). */
export function urlHost(address: string): string {
  return net.isIP(address) === 6 ? `[${address}]` : address;
}

/**
 * The URL as shown to the partner: the password replaced by `***` (with `tokenInUser`, a lone
 * user part is a token and is replaced too); with `hideQuery`, every query value as well.
 */
export function redactUrl(raw: string, { tokenInUser = false, hideQuery = false } = {}): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.password) url.password = "***";
  else if (tokenInUser && url.username) url.username = "***";
  if (hideQuery) for (const key of [...new Set(url.searchParams.keys())]) url.searchParams.set(key, "***");
  return url.href;
}

/** The strings that must never appear in an error message for this URL. */
export function secretsOf(url: URL): string[] {
  const parts = [url.href, url.password, url.username, url.search, ...url.searchParams.values()];
  for (const p of [url.password, url.username]) {
    try {
      parts.push(decodeURIComponent(p));
    } catch {
      continue;
    }
  }
  return parts.filter((p) => p.length >= 3);
}

/**
 * A library error turned into a partner-facing message: credentials in URLs and every known
 * secret are masked, control characters removed, length bounded.
 */
export function safeMessage(err: unknown, secrets: readonly string[], prefix = ""): string {
  let text = err instanceof Error ? err.message : String(err);
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) text = text.split(secret).join("***");
  // eslint-disable-next-line no-control-regex -- control characters are what this strips from the message
  text = text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, "$1***@").replace(/[\u0000-\u001f\u007f]+/g, " ");
  return `${prefix}${text}`.slice(0, 300);
}

/**
 * Runs `work`, rejecting with `message` once `timeoutMs` elapse (the signal then aborts the work).
 * The timer is always cleared.
 */
export function withTimeout<T>(timeoutMs: number, message: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => {
        controller.abort();
        reject(new Error(message));
      },
      Math.max(0, timeoutMs),
    );
    Promise.resolve()
      .then(() => work(controller.signal))
      .then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
  });
}

/** Network error codes that may be named in a partner-facing message (never the library's text). */
export const NET_CODES = [
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "CERT_HAS_EXPIRED",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
];

/** A trimmed non-empty string setting, or undefined. */
export function text(input: Record<string, unknown>, key: string): string | undefined {
  const v = input[key];
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}

/** Normalised service endpoint override (origin + path, no trailing slash), or an error message. */
export function checkEndpoint(raw: string, options: ParseOptions): { url: string } | { error: string } {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return { error: "must be an absolute URL" };
  }
  if (u.protocol !== "https:" && !(options.allowPrivateTargets && u.protocol === "http:")) return { error: "must be an https URL" };
  if (u.username || u.password || u.search || u.hash) return { error: "must not contain credentials, a query or a fragment" };
  if (!options.allowPrivateTargets && isPrivateHost(u.hostname)) return { error: "must not be a private or loopback address" };
  return { url: `${u.origin}${u.pathname.replace(/\/+$/, "")}` };
}

/**
 * For SDK-based publishers (which resolve names themselves): checks once per publisher that the
 * host resolves only to public addresses; a failed check is retried on the next publish.
 */
export function vettedOnce(hostname: string, allowPrivate: boolean): () => Promise<unknown> {
  let vetted: Promise<unknown> | undefined;
  return () =>
    (vetted ??= resolvePublic(hostname, allowPrivate).catch((err: unknown) => {
      vetted = undefined;
      throw err;
    }));
}
