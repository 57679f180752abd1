import type { MisconfiguredSource } from "../config/resolve-sources.ts";
import type { Source } from "../config/source-catalog.ts";
import { classifyError, ParseError, SourceConfigInvalidError, SourceError } from "../errors/source-errors.ts";
import type { Fetcher } from "../fetch/fetcher.ts";
import { compileDatePatterns } from "../parse/date-patterns.ts";
import type { DiscoveredListing, SourceAttempt, SourceOutcome, SourceState } from "../store/source-state.ts";
import { enrichFromArticles } from "./article-enrichment.ts";
import { discoverListing, discoversFromHomepage, mayRediscover } from "./discovered-listing.ts";
import { readFeedDocument, readPageDocument } from "./html-source.ts";
import type { SourceResult } from "./select-items.ts";
import type { Candidate, Extraction } from "./source-candidates.ts";
import {
  type DocumentFetch,
  fetchDocument,
  type SourceDocument,
  type Validators,
} from "./source-document.ts";

export type { Candidate } from "./source-candidates.ts";

/** One line of the per-source detail in `runs/{run_id}/clients/{client_id}.json`. */
export interface SourceReport {
  source_key: string;
  url: string;
  outcome: SourceOutcome;
  attempts: number;
  duration_ms: number;
  entries: number;
  /** Entries dropped because they had no usable http(s) link. */
  entries_without_link: number;
  /** HTML sources: which step served (selectors, the page's declared feed, generic listing extraction). */
  extraction?: Extraction;
  /** The feed this page source is read through, once discovered. */
  discovered_feed_url?: string;
  /** Article pages requested to date entries or take their main text (failed requests included). */
  article_fetches: number;
  articles_dated?: number;
  articles_with_text?: number;
  notes?: string[];
  /** Candidates that became items, and the others counted by the rule that dropped them. */
  kept?: number;
  dropped?: Record<string, number>;
  error: string | null;
  consecutive_failures: number;
  last_success_at: string | null;
  last_error_class: SourceOutcome | null;
}

export interface SourceRunResult {
  report: SourceReport;
  candidates: Candidate[];
  attempt: SourceAttempt;
}

export interface SourceRunOptions {
  fetcher: Fetcher;
  previous: SourceState | undefined;
  forceRefresh: boolean;
  now: () => Date;
  /**
   * Which candidates are worth an article request (not delivered before, and undated or inside the
   * window), once the client's ledger is read: the source fetches start before it is.
   */
  wanted: Promise<(c: Candidate) => boolean>;
  /** The client's min_word_count, which decides whether a teaser needs the article's text. */
  minWordCount?: number;
}

function emptyReport(sourceKey: string, url: string): SourceReport {
  return {
    source_key: sourceKey,
    url,
    outcome: "ok",
    attempts: 0,
    duration_ms: 0,
    entries: 0,
    entries_without_link: 0,
    article_fetches: 0,
    error: null,
    consecutive_failures: 0,
    last_success_at: null,
    last_error_class: null,
  };
}

function attemptOf(outcome: SourceOutcome, at: string, validators: Validators | null, error: string | null) {
  return {
    outcome,
    at,
    etag: validators?.etag ?? null,
    lastModified: validators?.lastModified ?? null,
    bodySha256: validators?.bodySha256 ?? null,
    error,
  } satisfies SourceAttempt;
}

/** A source whose catalog entry cannot run: it fails alone, without a request, naming file, entry and field. */
export function misconfiguredResult(m: MisconfiguredSource, at: string): SourceResult {
  const error = new SourceConfigInvalidError(m.message, "");
  const source: Source = {
    source_key: m.source_key,
    ingestion_mode: "none",
    enabled: false,
    source_type: "unknown",
    default_language: "en",
    tags: [],
  };
  const report: SourceReport = {
    ...emptyReport(m.source_key, ""),
    outcome: error.outcome,
    error: error.message,
  };
  return {
    source,
    run: { report, candidates: [], attempt: attemptOf(error.outcome, at, null, error.message) },
  };
}

/** The catalog guarantees the URL its ingestion mode needs when the source is enabled. */
function sourceUrl(source: Source): string {
  return (source.ingestion_mode === "html" ? (source.html_url ?? source.homepage_url) : source.rss_url) ?? "";
}

/** Whatever goes wrong after a 200 is the document's fault, not the network's. */
function asParseError(err: unknown, url: string): SourceError {
  if (err instanceof SourceError) return err;
  return new ParseError(url, err instanceof Error ? err.message : String(err), { cause: err });
}

type Read = { status: "not_modified"; validators: Validators } | { status: "read"; doc: SourceDocument };

async function readDocument(
  url: string,
  kind: "feed" | "page",
  source: Source,
  f: DocumentFetch,
  conditional: boolean,
  patterns: readonly RegExp[],
): Promise<Read> {
  const fetched = await fetchDocument(url, kind, f, conditional);
  if (fetched.status === "not_modified") return fetched;
  try {
    const doc =
      kind === "feed"
        ? await readFeedDocument(fetched, source, patterns)
        : await readPageDocument(fetched, source, f, patterns);
    return { status: "read", doc };
  } catch (err) {
    throw asParseError(err, fetched.res.url);
  }
}

/**
 * A page source whose declared feed served last time goes straight to that feed; if the feed has died,
 * the page is read again (unconditionally: the validators held are the feed's).
 */
async function readSource(
  source: Source,
  f: DocumentFetch,
  patterns: readonly RegExp[],
  now: Date,
): Promise<Read> {
  if (discoversFromHomepage(source)) return readDiscovered(source, f, patterns, now);
  const known =
    source.ingestion_mode === "html" && !source.html ? f.previous?.discovered_feed_url : undefined;
  if (!known)
    return readDocument(
      sourceUrl(source),
      source.ingestion_mode === "html" ? "page" : "feed",
      source,
      f,
      true,
      patterns,
    );
  try {
    const read = await readDocument(known, "feed", source, f, true, patterns);
    return read.status === "read"
      ? { status: "read", doc: { ...read.doc, extraction: "feed_discovered" } }
      : read;
  } catch (err) {
    const page = await readDocument(sourceUrl(source), "page", source, f, false, patterns);
    if (page.status === "read")
      page.doc.notes.unshift(`discovered feed failed (${classifyError(err, known).message})`);
    return page;
  }
}

/**
 * A homepage-only source: later runs read the listing discovery chose; the first run (and, at most once a
 * day, a run whose chosen listing stopped serving) discovers it from the homepage.
 */
async function readDiscovered(
  source: Source & { homepage_url: string },
  f: DocumentFetch,
  patterns: readonly RegExp[],
  now: Date,
): Promise<Read> {
  const known = f.previous?.discovered_listing;
  if (known) {
    try {
      return asDiscovered(await readDocument(known.url, known.kind, source, f, true, patterns), known, null);
    } catch (err) {
      if (!mayRediscover(known, now)) throw err;
    }
  }
  const found = await discoverListing(source.homepage_url, f, now);
  return asDiscovered(await readDocument(found.url, found.kind, source, f, false, patterns), found, found);
}

function asDiscovered(read: Read, listing: DiscoveredListing, fresh: DiscoveredListing | null): Read {
  if (read.status !== "read") return read;
  const step = read.doc.extraction ? ` (read by ${read.doc.extraction})` : "";
  return {
    status: "read",
    doc: {
      ...read.doc,
      extraction: "discovered_from_homepage",
      discoveredFeedUrl: undefined,
      ...(fresh ? { discoveredListing: fresh } : {}),
      notes: [`listing ${listing.url}${step}, discovered ${listing.at.slice(0, 10)}`, ...read.doc.notes],
    },
  };
}

function describe(report: SourceReport, doc: SourceDocument): void {
  report.entries = doc.entries;
  report.entries_without_link = doc.withoutLink;
  report.outcome = doc.entries === 0 ? "empty" : "ok";
  if (doc.extraction) report.extraction = doc.extraction;
  if (doc.discoveredFeedUrl) report.discovered_feed_url = doc.discoveredFeedUrl;
  if (doc.notes.length > 0) report.notes = doc.notes;
}

/**
 * Fetch and read one source, then its articles where entries need them. Never throws: every source ends
 * with one outcome, and a failing source only fails itself.
 */
export async function ingestSource(source: Source, opts: SourceRunOptions): Promise<SourceRunResult> {
  const started = opts.now().getTime();
  const at = opts.now().toISOString();
  const report = emptyReport(source.source_key, sourceUrl(source));
  const f: DocumentFetch = {
    fetcher: opts.fetcher,
    previous: opts.previous,
    forceRefresh: opts.forceRefresh,
    userAgent: source.user_agent,
    attempts: { count: 0 },
  };
  let candidates: Candidate[] = [];
  let attempt: SourceAttempt;
  try {
    const read = await readSource(
      source,
      f,
      compileDatePatterns(source.date_extraction_patterns),
      opts.now(),
    );
    if (read.status === "not_modified") {
      report.outcome = "not_modified";
      attempt = attemptOf("not_modified", at, read.validators, null);
    } else {
      describe(report, read.doc);
      candidates = read.doc.candidates;
      const articles = await enrichFromArticles(candidates, source, {
        ...opts,
        isWanted: await opts.wanted,
        memos: opts.previous?.articles,
      });
      report.article_fetches = articles.fetched;
      if (articles.dated > 0) report.articles_dated = articles.dated;
      if (articles.withArticleText > 0) report.articles_with_text = articles.withArticleText;
      attempt = {
        ...attemptOf(report.outcome, at, read.doc.validators, null),
        discoveredFeedUrl: read.doc.discoveredFeedUrl,
        ...(read.doc.discoveredListing ? { discoveredListing: read.doc.discoveredListing } : {}),
        ...(Object.keys(articles.memos).length > 0 ? { articles: articles.memos } : {}),
      };
    }
  } catch (err) {
    const failure = classifyError(err, report.url);
    report.outcome = failure.outcome;
    report.error = failure.message;
    attempt = attemptOf(failure.outcome, at, null, failure.message);
  }
  report.attempts = f.attempts.count;
  report.duration_ms = opts.now().getTime() - started;
  return { report, candidates, attempt };
}
