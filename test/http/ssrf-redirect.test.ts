import type { LookupAddress, LookupOptions } from "node:dns";
import dns from "node:dns";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { SsrfRefusedError } from "../../shared/errors/source-errors.ts";
import { Fetcher } from "../../shared/fetch/fetcher.ts";
import { type CraftedServer, startCraftedServer } from "./crafted-server.ts";

// Only loopback is reachable here, so the fixture server plays a public origin: its exact address
// 127.0.0.1 counts as public. Every other address keeps the real verdict, so a redirect to another
// loopback form (::1, ::ffff:127.0.0.1, a name resolving to one) must still be refused.
vi.mock("../../shared/fetch/ssrf-guard.ts", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../shared/fetch/ssrf-guard.ts")>();
  return {
    ...actual,
    isRefusedAddress: (address: string, allowPrivateNetwork?: boolean) =>
      address !== "127.0.0.1" && actual.isRefusedAddress(address, allowPrivateNetwork),
  };
});

type LookupAllCallback = (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void;

const INTERNAL_HOST = "intranet.corp.test";
let server: CraftedServer;
const guarded = new Fetcher({ retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 1_000 } });

beforeAll(async () => {
  server = await startCraftedServer((req, res) => {
    const target = new URL(req.url ?? "/", "http://fixture").searchParams.get("to");
    if (target !== null) {
      res.writeHead(302, { location: target });
      res.end();
      return;
    }
    res.end("secret");
  });
  const realLookup = dns.lookup;
  const fake = (host: string, options: LookupOptions, callback: LookupAllCallback) => {
    if (host === INTERNAL_HOST) {
      // Reaches the fixture server if connected to, so a missing check would show as a request.
      callback(null, [{ address: "::ffff:127.0.0.1", family: 6 }]);
      return;
    }
    (realLookup as unknown as (h: string, o: LookupOptions, c: LookupAllCallback) => void)(
      host,
      options,
      callback,
    );
  };
  vi.spyOn(dns, "lookup").mockImplementation(fake as unknown as typeof dns.lookup);
});

afterEach(() => {
  server.requests.length = 0;
});

afterAll(async () => {
  vi.restoreAllMocks();
  guarded.close();
  await server.close();
});

function redirectingTo(location: string): string {
  return server.url(`/start?to=${encodeURIComponent(location)}`);
}

describe("Fetcher SSRF guard on redirect hops", () => {
  it("follows a redirect between public addresses", async () => {
    const result = await guarded.fetch({ url: redirectingTo("/public-page"), kind: "page" });
    expect(result.status === "ok" && result.body.toString()).toBe("secret");
    expect(server.requests.map((r) => r.path)).toEqual([
      `/start?to=${encodeURIComponent("/public-page")}`,
      "/public-page",
    ]);
  });

  it("refuses a redirect to a host name that resolves to a loopback address", async () => {
    const location = `http://${INTERNAL_HOST}:${server.port}/secret`;
    const err = await guarded.fetch({ url: redirectingTo(location), kind: "page" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SsrfRefusedError);
    expect((err as SsrfRefusedError).message).toContain(INTERNAL_HOST);
    expect((err as SsrfRefusedError).message).toContain("::ffff:127.0.0.1");
    expect((err as SsrfRefusedError).url).toBe(location);
    expect((err as SsrfRefusedError).attempts).toBe(1);
    expect(server.requests.map((r) => r.path)).not.toContain("/secret");
    expect(server.requests).toHaveLength(1);
  });

  it("refuses a redirect to a literal loopback address", async () => {
    const location = `http://[::ffff:127.0.0.1]:${server.port}/secret`;
    const err = await guarded.fetch({ url: redirectingTo(location), kind: "page" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SsrfRefusedError);
    expect(server.requests).toHaveLength(1);
  });

  it("refuses a redirect to the metadata address", async () => {
    const err = await guarded
      .fetch({ url: redirectingTo("http://169.254.169.254/latest/meta-data/"), kind: "page" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SsrfRefusedError);
    expect((err as Error).message).toContain("169.254.169.254");
  });

  it("follows the same redirect when the run allows the private network", async () => {
    const local = new Fetcher({ allowPrivateNetwork: true });
    try {
      const location = `http://${INTERNAL_HOST}:${server.port}/secret`;
      const result = await local.fetch({ url: redirectingTo(location), kind: "page" });
      expect(result.status === "ok" && result.url).toBe(location);
      expect(server.requests.map((r) => r.path)).toContain("/secret");
    } finally {
      local.close();
    }
  });
});
