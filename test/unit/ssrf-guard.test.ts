import type { LookupAddress, LookupOptions } from "node:dns";
import dns from "node:dns";
import http from "node:http";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SsrfRefusedError } from "../../shared/errors/source-errors.ts";
import { Fetcher } from "../../shared/fetch/fetcher.ts";
import { createSsrfLookup, isRefusedAddress } from "../../shared/fetch/ssrf-guard.ts";

const refused: ReadonlyArray<readonly [string, string]> = [
  ["127.0.0.1", "IPv4 loopback"],
  ["127.255.255.254", "end of 127/8"],
  ["10.1.2.3", "private 10/8"],
  ["172.16.0.1", "private 172.16/12, start"],
  ["172.31.255.255", "private 172.16/12, end"],
  ["192.168.1.1", "private 192.168/16"],
  ["169.254.169.254", "cloud metadata"],
  ["169.254.10.20", "link-local"],
  ["100.64.0.1", "CGNAT, start"],
  ["100.127.255.254", "CGNAT, end"],
  ["0.0.0.0", "unspecified"],
  ["0.1.2.3", "this network 0/8"],
  ["255.255.255.255", "broadcast"],
  ["224.0.0.1", "multicast"],
  ["239.255.255.250", "multicast SSDP"],
  ["240.0.0.1", "reserved 240/4"],
  ["198.18.0.1", "benchmarking"],
  ["198.19.255.255", "benchmarking, end"],
  ["192.0.2.10", "TEST-NET-1"],
  ["198.51.100.10", "TEST-NET-2"],
  ["203.0.113.10", "TEST-NET-3"],
  ["192.0.0.8", "IETF protocol assignments"],
  ["::1", "IPv6 loopback"],
  ["::", "IPv6 unspecified"],
  ["[::1]", "bracketed IPv6 loopback"],
  ["fc00::1", "unique local fc00::/8"],
  ["fd12:3456::1", "unique local fd00::/8"],
  ["fd00:ec2::254", "AWS IPv6 metadata"],
  ["fe80::1", "link-local"],
  ["fe80::1%eth0", "link-local with a zone"],
  ["febf:ffff::1", "link-local, end of fe80::/10"],
  ["ff02::1", "multicast"],
  ["2001:db8::1", "documentation"],
  ["2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo"],
  ["3fff::1", "documentation 3fff::/20"],
  ["::ffff:127.0.0.1", "IPv4-mapped loopback, dotted"],
  ["::ffff:7f00:1", "IPv4-mapped loopback, hex"],
  ["0:0:0:0:0:ffff:a9fe:a9fe", "IPv4-mapped metadata, uncompressed"],
  ["::ffff:10.0.0.1", "IPv4-mapped private"],
  ["::ffff:0:127.0.0.1", "IPv4-translated loopback"],
  ["::127.0.0.1", "deprecated IPv4-compatible"],
  ["64:ff9b::127.0.0.1", "NAT64 carrying loopback"],
  ["64:ff9b::a9fe:a9fe", "NAT64 carrying metadata"],
  ["64:ff9b::192.168.0.1", "NAT64 carrying private"],
  ["64:ff9b:1::1", "local-use NAT64"],
  ["2002:7f00:1::", "6to4 carrying loopback"],
  ["2002:c0a8:101::1", "6to4 carrying 192.168.1.1"],
  ["2002:a9fe:a9fe::1", "6to4 carrying metadata"],
  ["localhost", "a host name, not an address"],
  ["127.1", "IPv4 shorthand"],
  ["", "empty"],
];

const allowed: ReadonlyArray<readonly [string, string]> = [
  ["93.184.215.14", "public IPv4"],
  ["8.8.8.8", "public IPv4"],
  ["172.32.0.1", "just above 172.16/12"],
  ["172.15.255.255", "just below 172.16/12"],
  ["100.63.255.255", "just below CGNAT"],
  ["100.128.0.1", "just above CGNAT"],
  ["192.169.0.1", "just above 192.168/16"],
  ["223.255.255.255", "just below multicast"],
  ["2606:4700::6810:84e5", "public IPv6"],
  ["2a00:1450:4007:80e::200e", "public IPv6"],
  ["::ffff:8.8.8.8", "IPv4-mapped public"],
  ["::ffff:808:808", "IPv4-mapped public, hex"],
  ["64:ff9b::8.8.8.8", "NAT64 carrying public"],
  ["2002:808:808::1", "6to4 carrying public"],
  ["fbff::1", "just below fc00::/7"],
];

describe("isRefusedAddress", () => {
  it.each(refused)("refuses %s (%s)", (address) => {
    expect(isRefusedAddress(address)).toBe(true);
  });

  it.each(allowed)("allows %s (%s)", (address) => {
    expect(isRefusedAddress(address)).toBe(false);
  });
});

type LookupAllCallback = (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void;

function answerDns(addresses: LookupAddress[]): LookupOptions[] {
  const seen: LookupOptions[] = [];
  const fake = (_host: string, options: LookupOptions, callback: LookupAllCallback) => {
    seen.push(options);
    callback(null, addresses);
  };
  vi.spyOn(dns, "lookup").mockImplementation(fake as unknown as typeof dns.lookup);
  return seen;
}

function runLookup(
  lookup: ReturnType<typeof createSsrfLookup>,
  options: LookupOptions,
): Promise<{ err: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number }> {
  return new Promise((resolve) => {
    lookup("news.example", options, (err, address, family) => resolve({ err, address, family }));
  });
}

describe("createSsrfLookup", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("refuses a host when any resolved address is refused, naming host and address", async () => {
    answerDns([
      { address: "93.184.215.14", family: 4 },
      { address: "10.0.0.7", family: 4 },
    ]);
    const lookup = createSsrfLookup({ allowPrivateNetwork: false, url: "https://news.example/feed" });
    const { err } = await runLookup(lookup, { all: true });
    expect(err).toBeInstanceOf(SsrfRefusedError);
    expect(err?.message).toContain("news.example");
    expect(err?.message).toContain("10.0.0.7");
    expect((err as SsrfRefusedError).url).toBe("https://news.example/feed");
  });

  it("refuses an IPv4-mapped answer", async () => {
    answerDns([{ address: "::ffff:169.254.169.254", family: 6 }]);
    const { err } = await runLookup(createSsrfLookup({ allowPrivateNetwork: false }), {});
    expect(err).toBeInstanceOf(SsrfRefusedError);
  });

  it("returns every address when asked for all of them", async () => {
    const seen = answerDns([
      { address: "93.184.215.14", family: 4 },
      { address: "2606:4700::6810:84e5", family: 6 },
    ]);
    const { err, address } = await runLookup(createSsrfLookup({ allowPrivateNetwork: false }), { all: true });
    expect(err).toBeNull();
    expect(address).toEqual([
      { address: "93.184.215.14", family: 4 },
      { address: "2606:4700::6810:84e5", family: 6 },
    ]);
    expect(seen[0]?.all).toBe(true);
  });

  it("returns the first address and its family when asked for one", async () => {
    answerDns([
      { address: "2606:4700::6810:84e5", family: 6 },
      { address: "93.184.215.14", family: 4 },
    ]);
    const { err, address, family } = await runLookup(createSsrfLookup({ allowPrivateNetwork: false }), {});
    expect(err).toBeNull();
    expect(address).toBe("2606:4700::6810:84e5");
    expect(family).toBe(6);
  });

  it("lets private addresses through when the run allows the private network", async () => {
    answerDns([{ address: "127.0.0.1", family: 4 }]);
    const { err, address } = await runLookup(createSsrfLookup({ allowPrivateNetwork: true }), {});
    expect(err).toBeNull();
    expect(address).toBe("127.0.0.1");
  });

  it("passes DNS failures through", async () => {
    const failure: NodeJS.ErrnoException = Object.assign(new Error("getaddrinfo ENOTFOUND news.example"), {
      code: "ENOTFOUND",
    });
    const fake = (_host: string, _options: LookupOptions, callback: LookupAllCallback) =>
      callback(failure, []);
    vi.spyOn(dns, "lookup").mockImplementation(fake as unknown as typeof dns.lookup);
    const { err } = await runLookup(createSsrfLookup({ allowPrivateNetwork: false }), {});
    expect(err).toBe(failure);
  });
});

describe("cloud metadata addresses", () => {
  const metadata = [
    "169.254.169.254",
    "169.254.170.2",
    "100.100.100.200",
    "fd00:ec2::254",
    "::ffff:169.254.169.254",
  ];

  it.each(metadata)("refuses %s even when the run allows the private network", (address) => {
    expect(isRefusedAddress(address, true)).toBe(true);
    expect(isRefusedAddress(address, false)).toBe(true);
  });

  it("still lets loopback and private ranges through when the run allows them", () => {
    for (const address of ["127.0.0.1", "::1", "10.0.0.5", "192.168.1.20", "169.254.10.20"]) {
      expect(isRefusedAddress(address, true)).toBe(false);
    }
  });

  it("refuses a host name resolving to a metadata address before connecting", async () => {
    answerDns([{ address: "169.254.169.254", family: 4 }]);
    const { err } = await runLookup(createSsrfLookup({ allowPrivateNetwork: true }), {});
    expect(err).toBeInstanceOf(SsrfRefusedError);
  });

  it("refuses a literal metadata URL without opening a socket", async () => {
    const connect = vi.spyOn(http, "request");
    const fetcher = new Fetcher({
      allowPrivateNetwork: true,
      retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 },
    });
    const err = await fetcher
      .fetch({ url: "http://169.254.169.254/latest/meta-data/iam/security-credentials/", kind: "page" })
      .catch((e: unknown) => e);
    fetcher.close();
    expect(err).toBeInstanceOf(SsrfRefusedError);
    expect((err as SsrfRefusedError).outcome).toBe("ssrf_refused");
    expect(connect).not.toHaveBeenCalled();
  });
});
