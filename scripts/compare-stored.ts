// Compares the stored items, seen ledgers and source state of two local data folders (`vectora demo` or
// `vectora run --data`), ignoring what differs by run: timestamps of ingestion and attempts, and the port
// of the loopback fixture server (which enters links, and so item ids and ledger keys, through their hash).
// Usage: node --import tsx scripts/compare-stored.ts DATA_A DATA_B   (exit 1 when they differ)
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { itemId, urlKey } from "../shared/store/item-id.ts";

const OBJECT_SUFFIX = "._S3rver_object";
const STAMPS = new Set(["ingested_at", "last_attempt_at", "last_success_at"]);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(OBJECT_SUFFIX))
    .map((e) => relative(dir, join(e.parentPath, e.name)).slice(0, -OBJECT_SUFFIX.length))
    .filter((key) => /^(ingested|state)\//.test(key))
    .sort();
}

const LOOPBACK = /http:\/\/127\.0\.0\.1:\d+/g;
const withoutPort = (text: string) => text.replace(LOOPBACK, "http://127.0.0.1");

interface StoredItem {
  item_id: string;
  source_key: string;
  metadata: { canonical_url: string };
}

/** Hashes of port-bearing URLs, mapped to the hashes of the same URLs without the port. */
async function hashMap(root: string, keys: string[]): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  for (const key of keys.filter((k) => k.startsWith("ingested/"))) {
    const items = JSON.parse(await readFile(join(root, `${key}${OBJECT_SUFFIX}`), "utf8")) as StoredItem[];
    for (const item of items) {
      const canonical = item.metadata.canonical_url;
      map.set(urlKey(canonical), urlKey(withoutPort(canonical)));
      map.set(item.item_id, itemId(item.source_key, withoutPort(canonical)));
    }
  }
  return map;
}

function normalise(value: unknown, hashes: Map<string, string>, key = ""): unknown {
  if (Array.isArray(value)) return value.map((v) => normalise(v, hashes));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [hashes.get(k) ?? k, normalise(v, hashes, k)]),
    );
  }
  if (typeof value !== "string") return value;
  if (STAMPS.has(key) || (ISO.test(value) && /^[0-9a-f]{16}$/.test(key))) return "<time>";
  return hashes.get(value) ?? withoutPort(value);
}

async function stored(root: string, key: string, hashes: Map<string, string>): Promise<string> {
  const text = await readFile(join(root, `${key}${OBJECT_SUFFIX}`), "utf8");
  return JSON.stringify(normalise(JSON.parse(text), hashes), null, 1);
}

const [a, b] = process.argv.slice(2);
if (!a || !b) throw new Error("usage: compare-stored.ts DATA_A DATA_B");
const bucketA = join(a, "s3", "vectora-data");
const bucketB = join(b, "s3", "vectora-data");
const [keysA, keysB] = [await files(bucketA), await files(bucketB)];
const keys = [...new Set([...keysA, ...keysB])].sort();
const [hashesA, hashesB] = [await hashMap(bucketA, keysA), await hashMap(bucketB, keysB)];
let differing = 0;
for (const key of keys) {
  const [left, right] = await Promise.all([
    stored(bucketA, key, hashesA).catch(() => "<missing>"),
    stored(bucketB, key, hashesB).catch(() => "<missing>"),
  ]);
  if (left === "<missing>" && right === "<missing>") throw new Error(`${key}: unreadable on both sides`);
  const same = left === right;
  if (!same) differing++;
  process.stdout.write(`${same ? "same     " : "DIFFERENT"} ${key}\n`);
}
process.stdout.write(`${keys.length} objects compared, ${differing} different\n`);
process.exitCode = differing > 0 ? 1 : 0;
