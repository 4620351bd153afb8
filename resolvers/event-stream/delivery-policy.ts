/** Documented retry schedule after a failed delivery: 1 min, 5 min, 30 min, 2 h, 12 h, 24 h. */
export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 12 * 3_600_000, 24 * 3_600_000] as const;
/** No attempt is scheduled more than 48 h after the first one. */
export const DELIVERY_WINDOW_MS = 48 * 3_600_000;
/** While a worker delivers a claimed event, others skip it; if that worker dies, the event is due again after this. */
export const CLAIM_LEASE_MS = 60_000;

/**
 * When to retry after `attemptsMade` failed attempts (1-based), or null when the event has
 * exhausted its schedule or its 48 h window and is marked `failed`.
 */
export function nextAttemptAfterFailure(attemptsMade: number, firstAttemptAt: Date, now: Date): Date | null {
  const delay = RETRY_DELAYS_MS[attemptsMade - 1];
  if (delay === undefined) return null;
  const next = new Date(now.getTime() + delay);
  return next.getTime() - firstAttemptAt.getTime() > DELIVERY_WINDOW_MS ? null : next;
}
