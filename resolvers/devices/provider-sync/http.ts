/** Why a provider data call failed, safe for job results and logs (never the provider's body or the token). */
export type ProviderFailure = { kind: "unauthorized" } | { kind: "rate_limited"; retryAfterSeconds: number | null } | { kind: "unavailable"; reason: string };

export class ProviderApiError extends Error {
  constructor(readonly failure: ProviderFailure) {
    super(failure.kind);
  }
}

/** Per request: a stalled provider must not hold a job worker. */
export const PROVIDER_TIMEOUT_MS = 10_000;

/** RFC 9110 §10.2.3: delay-seconds or an HTTP-date. */
export function parseRetryAfter(value: string | null, now: Date): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, Math.ceil((at - now.getTime()) / 1000)) : null;
}

/**
 * One authenticated GET of a provider data API, JSON out. The bearer token goes only into the
 * Authorization header (never into URLs or logs); redirects are refused so it cannot follow one
 * to another host. 401 → unauthorized, 429 → rate_limited (Retry-After kept), anything else not
 * 2xx, a timeout, a network error or a body that is not JSON → unavailable.
 */
export async function getJson(url: string, accessToken: string, now: () => Date): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" },
      redirect: "error",
      signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
    });
  } catch (e) {
    const timedOut = e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError");
    throw new ProviderApiError({ kind: "unavailable", reason: timedOut ? "provider_timeout" : "provider_unreachable" });
  }
  if (res.status === 401) {
    await res.body?.cancel();
    throw new ProviderApiError({ kind: "unauthorized" });
  }
  if (res.status === 429) {
    await res.body?.cancel();
    throw new ProviderApiError({ kind: "rate_limited", retryAfterSeconds: parseRetryAfter(res.headers.get("retry-after"), now()) });
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new ProviderApiError({ kind: "unavailable", reason: `provider_http_${res.status}` });
  }
  try {
    return await res.json();
  } catch {
    throw new ProviderApiError({ kind: "unavailable", reason: "provider_bad_response" });
  }
}

/**
 * For calls whose data is optional to a sync (heart rate, HRV): a 403 (the member withheld the
 * scope at consent, or the app lacks the provider's intraday access) yields null instead of failing
 * the whole sync, so activity and sleep are still imported. Every other failure propagates.
 */
export async function unlessForbidden<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (e) {
    if (e instanceof ProviderApiError && e.failure.kind === "unavailable" && e.failure.reason === "provider_http_403") return null;
    throw e;
  }
}
