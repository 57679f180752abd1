import { afterEach, describe, expect, it } from "vitest";
import { FetchTimeoutError, HttpStatusError, NetworkError } from "../../shared/errors/source-errors.ts";
import { Fetcher, type FetchPolicy } from "../../shared/fetch/fetcher.ts";
import { type CraftedHandler, type CraftedServer, delay, startCraftedServer } from "./crafted-server.ts";

let server: CraftedServer | undefined;
let fetcher: Fetcher | undefined;
/** The backoff delays the fetcher asked for, in order; the waits themselves are not spent. */
let delays: number[] = [];

async function setup(
  handler: CraftedHandler,
  policy: Partial<FetchPolicy> = {},
  sleep: (ms: number) => Promise<unknown> = async (ms) => {
    delays.push(ms);
  },
) {
  delays = [];
  server = await startCraftedServer(handler);
  fetcher = new Fetcher(
    {
      allowPrivateNetwork: true,
      retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 30_000 },
      ...policy,
    },
    { sleep },
  );
  return { server, fetcher };
}

/** Answers `statuses` in order, one per request to the path, then 200. */
function scripted(statuses: number[], headers: Record<string, string> = {}): CraftedHandler {
  return (req, res, crafted) => {
    const status = statuses[crafted.count(req.url ?? "/") - 1];
    if (status === undefined) {
      res.end("<rss/>");
      return;
    }
    res.writeHead(status, headers);
    res.end();
  };
}

afterEach(async () => {
  fetcher?.close();
  await server?.close();
});

describe("Fetcher retries", () => {
  it("retries a 500 and succeeds on the second attempt", async () => {
    const { server, fetcher } = await setup(scripted([500]));
    const result = await fetcher.fetch({ url: server.url("/feed"), kind: "feed" });
    expect(result.status).toBe("ok");
    expect(result.attempts).toBe(2);
    expect(server.count("/feed")).toBe(2);
  });

  it("reports http_5xx once the retries for a 503 are exhausted", async () => {
    const { server, fetcher } = await setup(scripted([503, 503, 503, 503]));
    const err = await fetcher.fetch({ url: server.url("/feed"), kind: "feed" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpStatusError);
    expect((err as HttpStatusError).name).toBe("HttpStatusError");
    expect((err as HttpStatusError).status).toBe(503);
    expect((err as HttpStatusError).outcome).toBe("http_5xx");
    expect((err as HttpStatusError).attempts).toBe(3);
    expect(server.count("/feed")).toBe(3);
  });

  it("waits as long as a 429's Retry-After asks before retrying", async () => {
    const { server, fetcher } = await setup(scripted([429], { "retry-after": "1" }));
    const result = await fetcher.fetch({ url: server.url("/feed"), kind: "feed" });
    expect(delays).toEqual([1000]);
    expect(result.status).toBe("ok");
    expect(result.attempts).toBe(2);
  });

  it("reports rate_limited when 429 persists after the retries", async () => {
    const { server, fetcher } = await setup(scripted([429, 429, 429], { "retry-after": "0" }));
    const err = await fetcher.fetch({ url: server.url("/feed"), kind: "feed" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpStatusError);
    expect((err as HttpStatusError).outcome).toBe("rate_limited");
    expect(server.count("/feed")).toBe(3);
  });

  it("gives up at once when Retry-After asks for longer than the policy accepts", async () => {
    const { server, fetcher } = await setup(scripted([503], { "retry-after": "3600" }));
    const err = await fetcher.fetch({ url: server.url("/feed"), kind: "feed" }).catch((e: unknown) => e);
    expect(delays).toEqual([]);
    expect((err as HttpStatusError).outcome).toBe("http_5xx");
    expect(server.count("/feed")).toBe(1);
  });

  it("does not retry a 404", async () => {
    const { server, fetcher } = await setup(scripted([404]));
    const err = await fetcher.fetch({ url: server.url("/gone"), kind: "page" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpStatusError);
    expect((err as HttpStatusError).outcome).toBe("http_4xx");
    expect((err as HttpStatusError).attempts).toBe(1);
    expect(server.count("/gone")).toBe(1);
  });

  it("reports a 403 as blocked without retrying", async () => {
    const { server, fetcher } = await setup(scripted([403]));
    const err = await fetcher.fetch({ url: server.url("/news"), kind: "page" }).catch((e: unknown) => e);
    expect((err as HttpStatusError).status).toBe(403);
    expect((err as HttpStatusError).outcome).toBe("blocked");
    expect(server.count("/news")).toBe(1);
  });

  it("retries a connection reset", async () => {
    const { server, fetcher } = await setup((req, res, crafted) => {
      if (crafted.count(req.url ?? "/") === 1) {
        req.socket.destroy();
        return;
      }
      res.end("<rss/>");
    });
    const result = await fetcher.fetch({ url: server.url("/feed"), kind: "feed" });
    expect(result.attempts).toBe(2);
  });

  it("retries a timeout", async () => {
    const { server, fetcher } = await setup(
      async (req, res, crafted) => {
        if (crafted.count(req.url ?? "/") === 1) await delay(1_000);
        if (!res.destroyed) res.end("<rss/>");
      },
      { timeoutMs: 200 },
    );
    const result = await fetcher.fetch({ url: server.url("/feed"), kind: "feed" });
    expect(result.attempts).toBe(2);
  });

  it("reports network when nothing listens on the port", async () => {
    const { server, fetcher } = await setup(scripted([]));
    const url = server.url("/feed");
    await server.close();
    const err = await fetcher.fetch({ url, kind: "feed" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as NetworkError).code).toBe("ECONNREFUSED");
    expect((err as NetworkError).attempts).toBe(3);
  });

  it("reports a persistent timeout as timeout after the retries", async () => {
    const { server, fetcher } = await setup(() => undefined, { timeoutMs: 100 });
    const err = await fetcher.fetch({ url: server.url("/feed"), kind: "feed" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FetchTimeoutError);
    expect((err as FetchTimeoutError).attempts).toBe(3);
    expect(server.count("/feed")).toBe(3);
  });
});

describe("Fetcher per-host politeness", () => {
  it("keeps at most perHostConcurrency requests in flight to one host", async () => {
    const { server, fetcher } = await setup(
      async (_req, res) => {
        await delay(100);
        res.end("<rss/>");
      },
      { perHostConcurrency: 2 },
    );
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => fetcher.fetch({ url: server.url(`/feed/${i}`), kind: "feed" })),
    );
    expect(results.every((r) => r.status === "ok")).toBe(true);
    expect(server.requests).toHaveLength(6);
    expect(server.maxInFlight).toBe(2);
  });

  it("releases the host slot while a request waits to retry", async () => {
    // The backoff of /limited lasts until the test ends it: /other must get through meanwhile.
    let endBackoff: () => void = () => undefined;
    let backoffStarted: () => void = () => undefined;
    const waiting = new Promise<void>((resolve) => {
      backoffStarted = resolve;
    });
    const { server, fetcher } = await setup(
      (req, res, crafted) => {
        if (req.url === "/limited" && crafted.count("/limited") === 1) {
          res.writeHead(429, { "retry-after": "1" });
          res.end();
          return;
        }
        res.end("<rss/>");
      },
      { perHostConcurrency: 1 },
      (ms) => {
        delays.push(ms);
        backoffStarted();
        return new Promise<void>((resolve) => {
          endBackoff = resolve;
        });
      },
    );
    const limited = fetcher.fetch({ url: server.url("/limited"), kind: "feed" });
    await waiting;
    const other = await fetcher.fetch({ url: server.url("/other"), kind: "feed" });
    expect(other.status).toBe("ok");
    expect([server.count("/limited"), server.count("/other")]).toEqual([1, 1]);
    endBackoff();
    expect((await limited).attempts).toBe(2);
    expect(delays).toEqual([1000]);
  });
});
