import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import RssParser from "rss-parser";
import { decodeBody } from "../../shared/parse/charset.ts";
import { type ParsedFeed, parseFeed } from "../../shared/parse/parse-feed.ts";
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
  for (const f of feeds) await parseCorpusFeed(f);

  const perFile = new Map<string, FileTotals>();
  let bytes = 0;
  let documents = 0;
  let entries = 0;
  const started = performance.now();
  while (bytes < targetBytes) {
    for (const f of feeds) {
      entries += await timeCorpusFeed(f, perFile);
      bytes += f.bytes.length;
      documents++;
      if (bytes >= targetBytes) break;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    documents,
    distinctDocuments: feeds.length,
    entries,
    bytes,
    seconds,
    mbPerSecond: bytes / 1e6 / seconds,
    slowest: slowestFiles(perFile, 5),
  };
}

interface FileTotals {
  bytes: number;
  ms: number;
}

function parseCorpusFeed(feed: CorpusFeed): Promise<ParsedFeed> {
  return parseFeed(feed.bytes, { contentType: null, url: corpusUrl(feed.file) });
}

/** Parses one feed, adds its size and time to its file's totals and returns how many entries it has. */
async function timeCorpusFeed(feed: CorpusFeed, perFile: Map<string, FileTotals>): Promise<number> {
  const t0 = performance.now();
  const parsed = await parseCorpusFeed(feed);
  const totals = perFile.get(feed.file) ?? { bytes: 0, ms: 0 };
  totals.bytes += feed.bytes.length;
  totals.ms += performance.now() - t0;
  perFile.set(feed.file, totals);
  return parsed.entries.length;
}

function slowestFiles(perFile: Map<string, FileTotals>, count: number): ParseThroughput["slowest"] {
  return [...perFile.entries()]
    .map(([file, s]) => ({ file, bytes: s.bytes, mbPerSecond: s.bytes / 1e6 / (s.ms / 1000) }))
    .sort((x, y) => x.mbPerSecond - y.mbPerSecond)
    .slice(0, count);
}

export interface ParseRatios {
  /** Decimal megabytes (10^6 bytes of the documents as served) per second, in the median repetition. */
  parseFeedMBps: number;
  rssParserMBps: number;
  tokenizerMBps: number;
  /** parseFeed's throughput over rss-parser's: the median of the repetitions' ratios. */
  parse_vs_rss_parser: number;
  /** parseFeed's throughput over the bare tokenizer's (the upper limit): the median of the repetitions' ratios. */
  parse_vs_tokenizer: number;
  /** The corpus documents measured: well-formed ones that rss-parser reads without throwing. */
  documents: number;
  /** Their total size; every repetition of every reader goes through all of them once. */
  bytes: number;
}

export interface RatioOptions {
  /** Timed passes per reader; the median one is reported. */
  repetitions?: number;
  /** Untimed passes per reader first: the first ones mostly measure the JIT compiling the readers. */
  warmUpPasses?: number;
  /**
   * Runs the tokenizer peer on the htmlparser2 modules parseFeed uses instead of its own copy (see
   * ownHtmlparser2), to see how far sharing the code moves the limit.
   */
  sharedTokenizer?: boolean;
}

type ReaderName = "parseFeed" | "rssParser" | "tokenizer";
type Reader = (feed: CorpusFeed) => unknown;

/**
 * parseFeed against two peers, measured side by side in this process. Every reader starts from the
 * same bytes and decoding is part of the work of all three: parseFeed decodes them itself, and the
 * peers get `decodeBody` (the decoder parseFeed uses) inside their timed pass, so no reader is handed
 * work another one did. The peers:
 * - rss-parser, the project's reference feed reader (`parseString`, as in the agreement test);
 * - htmlparser2's Parser in xmlMode with no callbacks: reading the markup and nothing else, the
 *   upper limit of any reader built on a tokenizer.
 */
export async function measureParseRatios(
  corpusDir: string,
  options: RatioOptions = {},
): Promise<ParseRatios> {
  const feeds = await loadRssParserReadableFeeds(corpusDir);
  const seconds = await timeInterleaved(
    await comparedReaders(options.sharedTokenizer ?? false),
    feeds,
    options,
  );
  const bytes = feeds.reduce((sum, feed) => sum + feed.bytes.length, 0);
  const mbps = (name: ReaderName) => bytes / 1e6 / median(seconds[name]);
  return {
    parseFeedMBps: mbps("parseFeed"),
    rssParserMBps: mbps("rssParser"),
    tokenizerMBps: mbps("tokenizer"),
    parse_vs_rss_parser: medianRatio(seconds.rssParser, seconds.parseFeed),
    parse_vs_tokenizer: medianRatio(seconds.tokenizer, seconds.parseFeed),
    documents: feeds.length,
    bytes,
  };
}

async function comparedReaders(sharedTokenizer: boolean): Promise<Record<ReaderName, Reader>> {
  const rssParser = new RssParser();
  const { Parser, Tokenizer } = sharedTokenizer ? await import("htmlparser2") : await ownHtmlparser2();
  const decode = (feed: CorpusFeed) => decodeBody(feed.bytes, { contentType: null, kind: "xml" });
  return {
    parseFeed: parseCorpusFeed,
    rssParser: (feed) => rssParser.parseString(decode(feed)),
    tokenizer: (feed) => new Parser({}, { xmlMode: true, Tokenizer }).end(decode(feed)),
  };
}

/**
 * A copy of htmlparser2's Parser and Tokenizer for the tokenizer peer alone, loaded under URLs of
 * its own. parseFeed runs the same tokenizer in HTML mode over item bodies, and the JIT specialises
 * shared code for every way it is called: sharing it made the peer up to three times slower than
 * when it ran alone, by an amount that depended on how parseFeed used the tokenizer, so the upper
 * limit moved with the code it is meant to bound.
 */
async function ownHtmlparser2(): Promise<{
  Parser: typeof import("htmlparser2").Parser;
  Tokenizer: typeof import("htmlparser2").Tokenizer;
}> {
  const entry = import.meta.resolve("htmlparser2");
  const parser = (await import(new URL("./Parser.js?peer", entry).href)) as typeof import("htmlparser2");
  const tokenizer = (await import(new URL("./Tokenizer.js?peer", entry).href)) as {
    default: typeof import("htmlparser2").Tokenizer;
  };
  return { Parser: parser.Parser, Tokenizer: tokenizer.default };
}

/**
 * After warm-up passes, each repetition times one pass over the feeds per reader, in an order that
 * rotates every repetition, so that garbage one reader leaves behind is not always collected during
 * the same next one.
 */
async function timeInterleaved(
  readers: Record<ReaderName, Reader>,
  feeds: CorpusFeed[],
  { repetitions = 9, warmUpPasses = 5 }: RatioOptions,
): Promise<Record<ReaderName, number[]>> {
  const names = Object.keys(readers) as ReaderName[];
  for (let pass = 0; pass < warmUpPasses; pass++) {
    for (const name of names) await timePass(readers[name], feeds);
  }
  const seconds: Record<ReaderName, number[]> = { parseFeed: [], rssParser: [], tokenizer: [] };
  for (let repetition = 0; repetition < repetitions; repetition++) {
    for (const name of rotated(names, repetition)) seconds[name].push(await timePass(readers[name], feeds));
  }
  return seconds;
}

/** The well-formed feeds rss-parser reads without throwing: the documents all three readers can take. */
async function loadRssParserReadableFeeds(corpusDir: string): Promise<CorpusFeed[]> {
  const rssParser = new RssParser();
  const readable: CorpusFeed[] = [];
  for (const feed of await loadWellFormedFeeds(corpusDir)) {
    const text = decodeBody(feed.bytes, { contentType: null, kind: "xml" });
    if (await readsWithoutThrowing(rssParser, text)) readable.push(feed);
  }
  if (readable.length === 0) throw new Error("no corpus feed that rss-parser reads");
  return readable;
}

function readsWithoutThrowing(rssParser: RssParser, text: string): Promise<boolean> {
  return rssParser.parseString(text).then(
    () => true,
    () => false,
  );
}

/** Seconds one reader takes over every feed once. */
async function timePass(read: Reader, feeds: CorpusFeed[]): Promise<number> {
  const started = performance.now();
  for (const feed of feeds) await read(feed);
  return (performance.now() - started) / 1000;
}

function rotated<T>(items: T[], by: number): T[] {
  const start = by % items.length;
  return [...items.slice(start), ...items.slice(0, start)];
}

/**
 * The median over repetitions of one reader's time over another's: both passes of a repetition run
 * within a few hundred milliseconds, so a change in the machine's load between repetitions cancels out.
 */
function medianRatio(numerators: number[], denominators: number[]): number {
  return median(numerators.map((value, k) => value / (denominators[k] as number)));
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function corpusUrl(file: string): string {
  return `https://corpus.example/${file}`;
}

// `VECTORA_CORPUS_DIR=<corpus> node --import tsx test/bench/parse-throughput.ts` prints the ratios alone.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (CORPUS_DIR === null) throw new Error("set VECTORA_CORPUS_DIR to the feed corpus");
  measureParseRatios(CORPUS_DIR).then((ratios) => console.log(JSON.stringify(ratios, null, 2)));
}
