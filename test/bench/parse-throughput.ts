import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseFeed } from "../../shared/parse/parse-feed.ts";
import { externalDir } from "../support/external-material.ts";

/** The feed corpus lives outside the repository; the benchmark reads it from VECTORA_CORPUS_DIR. */
export const CORPUS_DIR = externalDir("VECTORA_CORPUS_DIR").dir;

interface CorpusEntry {
  file: string;
  wellformed: boolean;
  parse_outcome: string;
}

export interface CorpusFeed {
  file: string;
  bytes: Buffer;
}

/** The well-formed feeds that parse normally: the documents a healthy publisher serves. */
export async function loadWellFormedFeeds(corpusDir = CORPUS_DIR): Promise<CorpusFeed[]> {
  if (corpusDir === null) throw new Error("the parse benchmark needs VECTORA_CORPUS_DIR (the feed corpus)");
  const expected = JSON.parse(await readFile(join(corpusDir, "expected.json"), "utf8")) as CorpusEntry[];
  const kept = expected.filter((e) => e.wellformed && e.parse_outcome === "ok");
  return Promise.all(
    kept.map(async (e) => ({ file: e.file, bytes: await readFile(join(corpusDir, e.file)) })),
  );
}

export interface ParseThroughput {
  documents: number;
  distinctDocuments: number;
  entries: number;
  bytes: number;
  seconds: number;
  /** Decimal megabytes (10^6 bytes) per second. */
  mbPerSecond: number;
  /** The documents that took the most time per byte in the measured passes, slowest first. */
  slowest: { file: string; bytes: number; mbPerSecond: number }[];
}

/**
 * Parses the corpus over and over until `targetBytes` went through parseFeed, after one warm-up pass
 * that is not counted (the first pass mostly measures the JIT compiling the parser).
 */
export async function measureParseThroughput(
  feeds: CorpusFeed[],
  targetBytes: number,
): Promise<ParseThroughput> {
  if (feeds.length === 0) throw new Error("no well-formed feeds in the corpus");
  const url = (file: string) => `https://corpus.example/${file}`;
  for (const f of feeds) await parseFeed(f.bytes, { contentType: null, url: url(f.file) });

  const perFile = new Map<string, { bytes: number; ms: number }>();
  let bytes = 0;
  let documents = 0;
  let entries = 0;
  const started = performance.now();
  while (bytes < targetBytes) {
    for (const f of feeds) {
      const t0 = performance.now();
      const parsed = await parseFeed(f.bytes, { contentType: null, url: url(f.file) });
      const ms = performance.now() - t0;
      const stat = perFile.get(f.file) ?? { bytes: 0, ms: 0 };
      stat.bytes += f.bytes.length;
      stat.ms += ms;
      perFile.set(f.file, stat);
      entries += parsed.entries.length;
      bytes += f.bytes.length;
      documents++;
      if (bytes >= targetBytes) break;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const slowest = [...perFile.entries()]
    .map(([file, s]) => ({
      file,
      bytes: s.bytes,
      mbPerSecond: s.bytes / 1e6 / (s.ms / 1000),
    }))
    .sort((x, y) => x.mbPerSecond - y.mbPerSecond)
    .slice(0, 5);
  return {
    documents,
    distinctDocuments: feeds.length,
    entries,
    bytes,
    seconds,
    mbPerSecond: bytes / 1e6 / seconds,
    slowest,
  };
}
