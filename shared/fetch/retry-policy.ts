export interface RetryPolicy {
  /** Retries after the first attempt; 0 disables retrying. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After asking for a longer wait than this means giving up rather than waiting. */
  maxRetryAfterMs: number;
}

const DELAY_SECONDS = /^\d+$/;
// IMF-fixdate, RFC 850 and asctime dates all open with a day name; without this check Date.parse
// would read values like "1.5" or "-5" as dates.
const HTTP_DATE_START = /^[A-Za-z]{3,9},?\s/;

/** Milliseconds a Retry-After header asks for (delay-seconds or HTTP-date), or null when absent or unreadable. */
export function parseRetryAfterMs(header: string | null, now: Date): number | null {
  if (header === null) return null;
  const value = header.trim();
  if (value === "") return null;
  if (DELAY_SECONDS.test(value)) return Number(value) * 1000;
  if (!HTTP_DATE_START.test(value)) return null;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now.getTime());
}

/**
 * How long to wait before the next attempt, given that attempt number `attempt` (1-based) just failed;
 * null means give up: no retries left, or the server's Retry-After is longer than the policy accepts.
 * Without a usable Retry-After: exponential backoff capped at maxDelayMs, with full jitter.
 */
export function retryDelayMs(
  attempt: number,
  policy: RetryPolicy,
  retryAfterHeader: string | null,
  now: Date,
  random: () => number = Math.random,
): number | null {
  if (attempt > policy.retries) return null;
  const retryAfterMs = parseRetryAfterMs(retryAfterHeader, now);
  if (retryAfterMs !== null) {
    return retryAfterMs > policy.maxRetryAfterMs ? null : retryAfterMs;
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}
