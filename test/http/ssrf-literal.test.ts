import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SsrfRefusedError } from "../../shared/errors/source-errors.ts";
import { Fetcher } from "../../shared/fetch/fetcher.ts";
import { type CraftedServer, startCraftedServer } from "./crafted-server.ts";

let server: CraftedServer;
const guarded = new Fetcher({ retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 1_000 } });

beforeAll(async () => {
  server = await startCraftedServer((_req, res) => {
    res.end("<rss/>");
  });
});

afterAll(async () => {
  guarded.close();
  await server.close();
});

describe("Fetcher SSRF guard on the first hop", () => {
  const targets: ReadonlyArray<readonly [string, (port: number) => string, string]> = [
    ["literal 127.0.0.1", (port) => `http://127.0.0.1:${port}/feed`, "127.0.0.1"],
    ["literal [::1]", (port) => `http://[::1]:${port}/feed`, "::1"],
    ["localhost, refused after DNS resolution", (port) => `http://localhost:${port}/feed`, "127.0.0.1"],
    ["IPv4-mapped [::ffff:127.0.0.1]", (port) => `http://[::ffff:127.0.0.1]:${port}/feed`, "::ffff:7f00:1"],
    ["decimal 2130706433", (port) => `http://2130706433:${port}/feed`, "127.0.0.1"],
    ["metadata 169.254.169.254", () => "http://169.254.169.254/latest/meta-data/", "169.254.169.254"],
  ];

  it.each(targets)("refuses %s without connecting or retrying", async (_label, urlFor, address) => {
    const before = server.requests.length;
    const err = await guarded.fetch({ url: urlFor(server.port), kind: "feed" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SsrfRefusedError);
    expect((err as SsrfRefusedError).name).toBe("SsrfRefusedError");
    expect((err as SsrfRefusedError).outcome).toBe("ssrf_refused");
    expect((err as SsrfRefusedError).attempts).toBe(1);
    expect((err as Error).message).toContain(address);
    expect(server.requests.length).toBe(before);
  });

  it("names the host in the refusal", async () => {
    const err = await guarded
      .fetch({ url: `http://localhost:${server.port}/feed`, kind: "feed" })
      .catch((e) => e);
    expect((err as Error).message).toContain("localhost");
  });

  it("reaches the same server when the run allows the private network", async () => {
    const local = new Fetcher({ allowPrivateNetwork: true });
    try {
      const result = await local.fetch({ url: `http://localhost:${server.port}/feed`, kind: "feed" });
      expect(result.status).toBe("ok");
    } finally {
      local.close();
    }
  });
});
