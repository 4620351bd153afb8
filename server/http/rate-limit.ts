import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { DomainError } from "../../resolvers/_shared/errors";
import type { Viewer } from "../../resolvers/_shared/viewer";

/**
 * Fixed-window buckets per tenant (tenant-key calls) and per member (member-token calls), using
 * rate-limiter-flexible. In-memory: each process enforces its own budget (documented in README).
 */
export class RateLimits {
  private readonly tenant: RateLimiterMemory;
  private readonly member: RateLimiterMemory;

  constructor(private readonly limits: { tenantPerMinute: number; memberPerMinute: number }) {
    this.tenant = new RateLimiterMemory({ keyPrefix: "t", points: limits.tenantPerMinute, duration: 60 });
    this.member = new RateLimiterMemory({ keyPrefix: "m", points: limits.memberPerMinute, duration: 60 });
  }

  /** Consumes one point; returns the x-ratelimit-* headers, or throws 429 rate_limited with Retry-After. */
  async consume(viewer: Viewer): Promise<Record<string, string>> {
    if (viewer.kind === "anonymous") return {};
    const [limiter, key, limit] =
      viewer.kind === "tenant"
        ? [this.tenant, viewer.orgId, this.limits.tenantPerMinute]
        : [this.member, `${viewer.orgId}:${viewer.userId}`, this.limits.memberPerMinute];
    try {
      const r = await limiter.consume(key);
      return headers(limit, r);
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      const retryAfter = Math.max(1, Math.ceil(e.msBeforeNext / 1000));
      throw new DomainError("rate_limited", "Rate limit exceeded; retry after the Retry-After delay", [], {
        ...headers(limit, e),
        "retry-after": String(retryAfter),
      });
    }
  }
}

function headers(limit: number, r: RateLimiterRes): Record<string, string> {
  return {
    "x-ratelimit-limit": String(limit),
    "x-ratelimit-remaining": String(Math.max(0, r.remainingPoints)),
    "x-ratelimit-reset": String(Math.ceil(r.msBeforeNext / 1000)),
  };
}
