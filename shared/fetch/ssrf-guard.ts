import dns from "node:dns";
import { BlockList, isIP, type LookupFunction } from "node:net";
import { SsrfRefusedError } from "../errors/source-errors.ts";

// Addresses a fetch of public news must never reach: anything that is not globally routable,
// because a feed URL or redirect pointing there is either a mistake or an attempt to probe the
// network the fetcher runs in (cloud metadata, VPC services, the host itself).
const REFUSED_V4: ReadonlyArray<readonly [string, number]> = [
  ["0.0.0.0", 8], // "this network", incl. unspecified 0.0.0.0
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // CGNAT (also Alibaba's metadata 100.100.100.200)
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, incl. metadata 169.254.169.254
  ["172.16.0.0", 12],
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // TEST-NET-1
  ["192.168.0.0", 16],
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // TEST-NET-2
  ["203.0.113.0", 24], // TEST-NET-3
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, incl. broadcast 255.255.255.255
];

// IPv4-mapped (::ffff:0:0/96), IPv4-translated (::ffff:0:0:0/96), NAT64 64:ff9b::/96 and 6to4 2002::/16
// are not listed: they are judged by the IPv4 address they carry.
const REFUSED_V6: ReadonlyArray<readonly [string, number]> = [
  ["::", 96], // unspecified, loopback, deprecated IPv4-compatible
  ["64:ff9b:1::", 48], // local-use NAT64
  ["100::", 64], // discard-only
  ["2001::", 32], // Teredo: a tunnel to an IPv4 host whose address it carries obfuscated
  ["2001:2::", 48], // benchmarking
  ["2001:db8::", 32], // documentation
  ["3fff::", 20], // documentation
  ["fc00::", 7], // unique local, incl. metadata fd00:ec2::254
  ["fe80::", 10], // link-local
  ["fec0::", 10], // deprecated site-local
  ["ff00::", 8], // multicast
];

const refused = new BlockList();
for (const [network, prefix] of REFUSED_V4) refused.addSubnet(network, prefix, "ipv4");
for (const [network, prefix] of REFUSED_V6) refused.addSubnet(network, prefix, "ipv6");

function parseIpv6Bytes(address: string): Uint8Array | null {
  let text = address;
  const lastColon = text.lastIndexOf(":");
  const tail = text.slice(lastColon + 1);
  if (tail.includes(".")) {
    const octets = tail.split(".").map(Number);
    const [a = 0, b = 0, c = 0, d = 0] = octets;
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split("::");
  const head = halves[0] ? halves[0].split(":") : [];
  const rest = halves.length > 1 && halves[1] ? halves[1].split(":") : [];
  const groups = [...head, ...Array<string>(8 - head.length - rest.length).fill("0"), ...rest];
  if (groups.length !== 8) return null;
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    const value = Number.parseInt(group, 16);
    bytes[i * 2] = value >> 8;
    bytes[i * 2 + 1] = value & 0xff;
  });
  return bytes;
}

function v4At(bytes: Uint8Array, offset: number): string {
  return Array.from(bytes.subarray(offset, offset + 4)).join(".");
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((value, i) => bytes[i] === value);
}

const ZEROS_10 = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const MAPPED = [...ZEROS_10, 0xff, 0xff];
const TRANSLATED = [0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0];
const NAT64_WELL_KNOWN = [0x00, 0x64, 0xff, 0x9b, ...ZEROS_10.slice(0, 8)];
const SIX_TO_FOUR = [0x20, 0x02];

/** The IPv4 address an IPv6 address stands for or tunnels to, when it has one. */
function embeddedIpv4(bytes: Uint8Array): string | null {
  if (startsWith(bytes, MAPPED) || startsWith(bytes, TRANSLATED) || startsWith(bytes, NAT64_WELL_KNOWN)) {
    return v4At(bytes, 12);
  }
  if (startsWith(bytes, SIX_TO_FOUR)) return v4At(bytes, 2);
  return null;
}

/**
 * Cloud instance metadata and credential endpoints (AWS IMDS and ECS, AWS IMDS over IPv6, Alibaba): refused
 * even when a local run allows private networks, a switch meant for loopback fixtures, never for credentials.
 */
const METADATA = new BlockList();
for (const address of ["169.254.169.254", "169.254.170.2", "100.100.100.200"])
  METADATA.addAddress(address, "ipv4");
METADATA.addAddress("fd00:ec2::254", "ipv6");

interface ParsedAddress {
  family: 4 | 6;
  text: string;
  /** The IPv4 address an IPv6 one carries (mapped, translated, NAT64, 6to4), if any; Teredo is refused whole. */
  embedded: string | null;
}

function parseAddress(address: string): ParsedAddress | null {
  let text = address.trim();
  if (text.startsWith("[") && text.endsWith("]")) text = text.slice(1, -1);
  const zone = text.indexOf("%");
  if (zone >= 0) text = text.slice(0, zone);
  const family = isIP(text);
  if (family === 4) return { family, text, embedded: null };
  if (family !== 6) return null;
  const bytes = parseIpv6Bytes(text);
  return bytes === null ? null : { family, text, embedded: embeddedIpv4(bytes) };
}

function isMetadata(a: ParsedAddress): boolean {
  if (a.family === 4) return METADATA.check(a.text, "ipv4");
  return METADATA.check(a.text, "ipv6") || (a.embedded !== null && METADATA.check(a.embedded, "ipv4"));
}

function isNonPublic(a: ParsedAddress): boolean {
  if (a.family === 4) return refused.check(a.text, "ipv4");
  if (a.embedded !== null && refused.check(a.embedded, "ipv4")) return true;
  return refused.check(a.text, "ipv6");
}

/**
 * True when a fetch must not connect to `address`. Anything that is not a literal IP address
 * (including shorthand like "127.1") is refused: callers pass resolved addresses only.
 * `allowPrivateNetwork` (local runs against loopback fixtures) lets private ranges through, but never the
 * cloud metadata addresses.
 */
export function isRefusedAddress(address: string, allowPrivateNetwork = false): boolean {
  const parsed = parseAddress(address);
  if (parsed === null) return true;
  if (isMetadata(parsed)) return true;
  return !allowPrivateNetwork && isNonPublic(parsed);
}

export interface SsrfLookupOptions {
  allowPrivateNetwork: boolean;
  /** The URL being fetched, so a refusal names it; defaults to the host name. */
  url?: string;
  /** The address predicate; defaults to isRefusedAddress. */
  isRefused?: (address: string) => boolean;
}

/**
 * A `lookup` for node:http / node:net that resolves the host and refuses the connection when any
 * resolved address is refused. The socket then connects to exactly the addresses that were checked,
 * so a second, different DNS answer cannot slip through between check and connect.
 */
export function createSsrfLookup(options: SsrfLookupOptions): LookupFunction {
  const isRefused =
    options.isRefused ?? ((address: string) => isRefusedAddress(address, options.allowPrivateNetwork));
  return (hostname, lookupOptions, callback) => {
    dns.lookup(hostname, { ...lookupOptions, all: true }, (err, addresses) => {
      if (err) {
        callback(err, "");
        return;
      }
      const bad = addresses.find((entry) => isRefused(entry.address));
      if (bad !== undefined) {
        callback(new SsrfRefusedError(options.url ?? hostname, hostname, bad.address), "");
        return;
      }
      if (lookupOptions.all) {
        callback(null, addresses);
        return;
      }
      const first = addresses[0];
      if (first === undefined) {
        const notFound: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
        notFound.code = "ENOTFOUND";
        callback(notFound, "");
        return;
      }
      callback(null, first.address, first.family);
    });
  };
}
