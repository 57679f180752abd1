import { describe, expect, it } from "vitest";
import { parseRetryAfterMs, type RetryPolicy, retryDelayMs } from "../../shared/fetch/retry-policy.ts";

const policy: RetryPolicy = { retries: 3, baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 30_000 };
const now = new Date("2025-03-10T12:00:00Z");
const almostOne = () => 0.999_999;

describe("retryDelayMs", () => {
  it("doubles the backoff ceiling with each attempt", () => {
    expect(retryDelayMs(1, policy, null, now, almostOne)).toBe(499);
    expect(retryDelayMs(2, policy, null, now, almostOne)).toBe(999);
    expect(retryDelayMs(3, policy, null, now, almostOne)).toBe(1_999);
  });

  it("applies full jitter between zero and the ceiling", () => {
    expect(retryDelayMs(2, policy, null, now, () => 0)).toBe(0);
    expect(retryDelayMs(2, policy, null, now, () => 0.5)).toBe(500);
    for (let i = 0; i < 200; i += 1) {
      const delay = retryDelayMs(3, policy, null, now) ?? -1;
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(2_000);
    }
  });

  it("caps the backoff at maxDelayMs", () => {
    const many: RetryPolicy = { ...policy, retries: 10 };
    expect(retryDelayMs(10, many, null, now, almostOne)).toBe(7_999);
  });

  it("gives up once the retries are used", () => {
    expect(retryDelayMs(4, policy, null, now, almostOne)).toBeNull();
    expect(retryDelayMs(1, { ...policy, retries: 0 }, null, now, almostOne)).toBeNull();
  });

  it("honours Retry-After in seconds instead of the backoff", () => {
    expect(retryDelayMs(1, policy, "7", now, almostOne)).toBe(7_000);
    expect(retryDelayMs(1, policy, " 0 ", now, almostOne)).toBe(0);
  });

  it("honours Retry-After as an HTTP-date", () => {
    expect(retryDelayMs(1, policy, "Mon, 10 Mar 2025 12:00:12 GMT", now, almostOne)).toBe(12_000);
  });

  it("treats a Retry-After date in the past as no wait", () => {
    expect(retryDelayMs(1, policy, "Mon, 10 Mar 2025 11:00:00 GMT", now, almostOne)).toBe(0);
  });

  it("gives up when Retry-After asks for longer than maxRetryAfterMs", () => {
    expect(retryDelayMs(1, policy, "31", now, almostOne)).toBeNull();
    expect(retryDelayMs(1, policy, "30", now, almostOne)).toBe(30_000);
    expect(retryDelayMs(1, policy, "Mon, 10 Mar 2025 13:00:00 GMT", now, almostOne)).toBeNull();
  });

  it("still gives up after the last retry even when Retry-After is short", () => {
    expect(retryDelayMs(4, policy, "1", now, almostOne)).toBeNull();
  });

  it("falls back to the backoff when Retry-After is unreadable", () => {
    expect(retryDelayMs(1, policy, "soon", now, almostOne)).toBe(499);
    expect(retryDelayMs(1, policy, "-5", now, almostOne)).toBe(499);
    expect(retryDelayMs(1, policy, "", now, almostOne)).toBe(499);
  });
});

describe("parseRetryAfterMs", () => {
  it("reads delay-seconds and HTTP-dates and rejects the rest", () => {
    expect(parseRetryAfterMs("120", now)).toBe(120_000);
    expect(parseRetryAfterMs("Mon, 10 Mar 2025 12:01:00 GMT", now)).toBe(60_000);
    expect(parseRetryAfterMs(null, now)).toBeNull();
    expect(parseRetryAfterMs("1.5", now)).toBeNull();
  });
});
