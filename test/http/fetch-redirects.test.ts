import { afterEach, describe, expect, it } from "vitest";
import { NetworkError, TooManyRedirectsError } from "../../shared/errors/source-errors.ts";
import { Fetcher } from "../../shared/fetch/fetcher.ts";
import { type CraftedHandler, type CraftedServer, startCraftedServer } from "./crafted-server.ts";

const STATUSES = [301, 302, 303, 307, 308];

// /hop/N redirects to /hop/N-1 (cycling through every redirect status); /hop/0 is the page.
const hops: CraftedHandler = (req, res) => {
  const match = /^\/hop\/(\d+)$/.exec(req.url ?? "");
  const remaining = Number(match?.[1] ?? -1);
  if (remaining > 0) {
    res.writeHead(STATUSES[remaining % STATUSES.length] ?? 302, { location: `/hop/${remaining - 1}` });
    res.end();
    return;
  }
  if (remaining === 0) {
    res.writeHead(200, { "content-type": "text/html" });
    res.end("<html>arrived</html>");
    return;
  }
  res.writeHead(404);
  res.end();
};

let server: CraftedServer | undefined;
let fetcher: Fetcher | undefined;

async function setup(handler: CraftedHandler) {
  server = await startCraftedServer(handler);
  fetcher = new Fetcher({
    allowPrivateNetwork: true,
    retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 30_000 },
  });
  return { server, fetcher };
}

afterEach(async () => {
  fetcher?.close();
  await server?.close();
});

describe("Fetcher redirects", () => {
  it("follows a chain of 5 redirects through every redirect status", async () => {
    const { server, fetcher } = await setup(hops);
    const result = await fetcher.fetch({ url: server.url("/hop/5"), kind: "page" });
    expect(result.status).toBe("ok");
    if (result.status !== "ok") return;
    expect(result.url).toBe(server.url("/hop/0"));
    expect(result.body.toString()).toBe("<html>arrived</html>");
    expect(result.attempts).toBe(1);
    expect(server.requests.map((r) => r.path)).toEqual([
      "/hop/5",
      "/hop/4",
      "/hop/3",
      "/hop/2",
      "/hop/1",
      "/hop/0",
    ]);
  });

  it("refuses a 6th redirect as too_many_redirects and does not retry it", async () => {
    const { server, fetcher } = await setup(hops);
    const err = await fetcher.fetch({ url: server.url("/hop/6"), kind: "page" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TooManyRedirectsError);
    expect((err as TooManyRedirectsError).outcome).toBe("too_many_redirects");
    expect((err as Error).message).toContain("too many redirects");
    expect(server.count("/hop/0")).toBe(0);
    expect(server.count("/hop/6")).toBe(1);
  });

  it("resolves a relative Location against the current URL", async () => {
    const { server, fetcher } = await setup((req, res) => {
      if (req.url === "/news/2025/index.html") {
        res.writeHead(302, { location: "../archive/latest.html?page=1" });
        res.end();
        return;
      }
      res.end(`served ${req.url}`);
    });
    const result = await fetcher.fetch({ url: server.url("/news/2025/index.html"), kind: "page" });
    expect(result.status === "ok" && result.url).toBe(server.url("/news/archive/latest.html?page=1"));
    expect(result.status === "ok" && result.body.toString()).toBe("served /news/archive/latest.html?page=1");
  });

  it("keeps the validators on the redirected request", async () => {
    const { server, fetcher } = await setup((req, res) => {
      if (req.url === "/old-feed") {
        res.writeHead(301, { location: "/feed.xml" });
        res.end();
        return;
      }
      res.writeHead(304);
      res.end();
    });
    const result = await fetcher.fetch({
      url: server.url("/old-feed"),
      kind: "feed",
      validators: { etag: '"x"', lastModified: null },
    });
    expect(result).toMatchObject({ status: "not_modified", url: server.url("/feed.xml"), etag: '"x"' });
    expect(server.requests[1]?.headers["if-none-match"]).toBe('"x"');
  });

  it("refuses a redirect to a scheme other than http or https", async () => {
    const { server, fetcher } = await setup((_req, res) => {
      res.writeHead(302, { location: "file:///etc/passwd" });
      res.end();
    });
    const err = await fetcher.fetch({ url: server.url("/r"), kind: "page" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as Error).message).toContain('unsupported URL scheme "file:"');
    expect(server.requests).toHaveLength(1);
  });

  it("fails a redirect without a Location header", async () => {
    const { server, fetcher } = await setup((_req, res) => {
      res.writeHead(302);
      res.end();
    });
    const err = await fetcher.fetch({ url: server.url("/r"), kind: "page" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as Error).message).toContain("without a Location");
  });
});
