import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { FetchTimeoutError, ResponseTooLargeError } from "../../shared/errors/source-errors.ts";
import { DEFAULT_FETCH_POLICY, Fetcher, type FetchPolicy } from "../../shared/fetch/fetcher.ts";
import {
  type CraftedHandler,
  type CraftedServer,
  delay,
  startCraftedServer,
  streamBody,
} from "./crafted-server.ts";

const FEED = `<?xml version="1.0"?><rss version="2.0"><channel><title>Pharma wire</title>${"<item><title>Long-acting injectables</title></item>".repeat(200)}</channel></rss>`;

let server: CraftedServer | undefined;
let fetcher: Fetcher | undefined;

async function setup(handler: CraftedHandler, policy: Partial<FetchPolicy> = {}) {
  server = await startCraftedServer(handler);
  fetcher = new Fetcher({
    allowPrivateNetwork: true,
    retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 30_000 },
    ...policy,
  });
  return { server, fetcher };
}

afterEach(async () => {
  fetcher?.close();
  await server?.close();
  server = undefined;
  fetcher = undefined;
});

describe("Fetcher timeout", () => {
  it("cuts a response that trickles past the timeout and closes the connection", async () => {
    const { server, fetcher } = await setup(
      async (_req, res) => {
        res.writeHead(200, { "content-type": "application/rss+xml" });
        while (!res.destroyed) {
          res.write("<item/>");
          await delay(50);
        }
      },
      { timeoutMs: 300 },
    );
    const started = Date.now();
    const err = await fetcher.fetch({ url: server.url("/slow"), kind: "feed" }).catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(err).toBeInstanceOf(FetchTimeoutError);
    expect((err as FetchTimeoutError).outcome).toBe("timeout");
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(3_000);
    const trace = server.traces[0];
    await trace?.closed;
    expect(trace?.finished).toBe(false);
  });

  it("times out a server that never answers", async () => {
    const { server, fetcher } = await setup(() => undefined, { timeoutMs: 200 });
    const err = await fetcher.fetch({ url: server.url("/silent"), kind: "page" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FetchTimeoutError);
    expect((err as FetchTimeoutError).attempts).toBe(1);
  });
});

describe("Fetcher body cap", () => {
  it("aborts a streamed body as soon as it passes the cap", async () => {
    const total = 64 * 1024 * 1024;
    let completed: Promise<boolean> | undefined;
    const { server, fetcher } = await setup(
      (_req, res) => {
        res.writeHead(200, { "content-type": "text/html" });
        completed = streamBody(res, total);
      },
      { maxBytes: 256 * 1024 },
    );
    const err = await fetcher.fetch({ url: server.url("/huge"), kind: "page" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect((err as ResponseTooLargeError).outcome).toBe("too_large");
    expect(await completed).toBe(false);
    const trace = server.traces[0];
    await trace?.closed;
    expect(trace?.finished).toBe(false);
    expect(trace?.bytesWritten).toBeLessThan(total / 4);
  });

  it("refuses a declared Content-Length above the cap without reading the body", async () => {
    const { server, fetcher } = await setup(
      (_req, res) => {
        res.writeHead(200, {
          "content-type": "application/rss+xml",
          "content-length": String(10 * 1024 * 1024),
        });
        res.write("<rss>");
      },
      { maxBytes: 1024 * 1024, timeoutMs: 5_000 },
    );
    const started = Date.now();
    const err = await fetcher.fetch({ url: server.url("/declared"), kind: "feed" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect((err as Error).message).toContain("Content-Length 10485760");
    expect(Date.now() - started).toBeLessThan(2_000);
    await server.traces[0]?.closed;
  });

  it("caps the decoded size of a compressed body, not the bytes on the wire", async () => {
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024, 0));
    const { server, fetcher } = await setup(
      (_req, res) => {
        res.writeHead(200, { "content-encoding": "gzip", "content-length": String(bomb.length) });
        res.end(bomb);
      },
      { maxBytes: 1024 * 1024 },
    );
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const err = await fetcher.fetch({ url: server.url("/bomb"), kind: "feed" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseTooLargeError);
  });

  it("accepts a body exactly at the cap", async () => {
    const { server, fetcher } = await setup(
      (_req, res) => {
        res.end(Buffer.alloc(4096, 0x62));
      },
      { maxBytes: 4096 },
    );
    const result = await fetcher.fetch({ url: server.url("/exact"), kind: "page" });
    expect(result.status === "ok" && result.body.length).toBe(4096);
  });
});

describe("Fetcher content decoding", () => {
  const encodings: ReadonlyArray<readonly [string, (body: Buffer) => Buffer]> = [
    ["gzip", gzipSync],
    ["br", brotliCompressSync],
    ["deflate", deflateSync],
    ["deflate", deflateRawSync],
  ];

  it.each(encodings)("decodes a %s body (%#)", async (encoding, compress) => {
    const { server, fetcher } = await setup((_req, res) => {
      res.writeHead(200, {
        "content-type": "application/rss+xml; charset=utf-8",
        "content-encoding": encoding,
      });
      res.end(compress(Buffer.from(FEED)));
    });
    const result = await fetcher.fetch({ url: server.url("/feed.xml"), kind: "feed" });
    expect(result.status).toBe("ok");
    if (result.status !== "ok") return;
    expect(result.body.toString("utf8")).toBe(FEED);
    expect(result.contentType).toBe("application/rss+xml; charset=utf-8");
  });
});

describe("Fetcher request headers", () => {
  it("sends the product User-Agent and the feed Accept headers", async () => {
    const { server, fetcher } = await setup((_req, res) => {
      res.end(FEED);
    });
    await fetcher.fetch({ url: server.url("/feed.xml"), kind: "feed" });
    const headers = server.requests[0]?.headers;
    expect(headers?.["user-agent"]).toBe(DEFAULT_FETCH_POLICY.userAgent);
    expect(headers?.["user-agent"]).toContain("VectoraIngest");
    expect(headers?.accept).toBe(
      "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8",
    );
    expect(headers?.["accept-encoding"]).toBe("gzip, deflate, br");
    expect(headers?.["accept-language"]).toBe("en");
    expect(headers?.["if-none-match"]).toBeUndefined();
    expect(headers?.["if-modified-since"]).toBeUndefined();
  });

  it("sends the page Accept header and a per-request User-Agent override", async () => {
    const { server, fetcher } = await setup((_req, res) => {
      res.end("<html></html>");
    });
    await fetcher.fetch({
      url: server.url("/news"),
      kind: "page",
      userAgent: "Mozilla/5.0 (compatible; Vectora)",
    });
    const headers = server.requests[0]?.headers;
    expect(headers?.["user-agent"]).toBe("Mozilla/5.0 (compatible; Vectora)");
    expect(headers?.accept).toBe("text/html,application/xhtml+xml;q=0.9,*/*;q=0.8");
  });

  it("uses the policy's User-Agent when one is configured", async () => {
    const { server, fetcher } = await setup(
      (_req, res) => {
        res.end("ok");
      },
      { userAgent: "VectoraIngest/9.9 (+https://example.test)" },
    );
    await fetcher.fetch({ url: server.url("/"), kind: "page" });
    expect(server.requests[0]?.headers["user-agent"]).toBe("VectoraIngest/9.9 (+https://example.test)");
  });
});

describe("Fetcher conditional GET", () => {
  const etag = '"feed-v1"';
  const lastModified = "Mon, 10 Mar 2025 08:00:00 GMT";

  it("sends the validators and reports not_modified on 304", async () => {
    const { server, fetcher } = await setup((req, res) => {
      if (req.headers["if-none-match"] === etag) {
        res.writeHead(304, { etag, "last-modified": lastModified });
        res.end();
        return;
      }
      res.end(FEED);
    });
    const result = await fetcher.fetch({
      url: server.url("/feed.xml"),
      kind: "feed",
      validators: { etag, lastModified },
    });
    expect(result).toEqual({
      status: "not_modified",
      url: server.url("/feed.xml"),
      attempts: 1,
      etag,
      lastModified,
    });
    expect(server.requests[0]?.headers["if-none-match"]).toBe(etag);
    expect(server.requests[0]?.headers["if-modified-since"]).toBe(lastModified);
  });

  it("returns the body and the new validators on 200", async () => {
    const { server, fetcher } = await setup((_req, res) => {
      res.writeHead(200, { etag: '"feed-v2"', "last-modified": "Tue, 11 Mar 2025 08:00:00 GMT" });
      res.end(FEED);
    });
    const result = await fetcher.fetch({ url: server.url("/feed.xml"), kind: "feed", validators: { etag } });
    expect(result.status).toBe("ok");
    if (result.status !== "ok") return;
    expect(result.httpStatus).toBe(200);
    expect(result.etag).toBe('"feed-v2"');
    expect(result.lastModified).toBe("Tue, 11 Mar 2025 08:00:00 GMT");
    expect(result.attempts).toBe(1);
    expect(server.requests[0]?.headers["if-modified-since"]).toBeUndefined();
  });
});
