import { createHash } from "node:crypto";
import type { MisconfiguredSource } from "../config/resolve-sources.ts";
import type { Source } from "../config/source-catalog.ts";
import { classifyError, ParseError, SourceConfigInvalidError, SourceError } from "../errors/source-errors.ts";
import type { Fetcher, FetchResult } from "../fetch/fetcher.ts";
import { canonicalUrl } from "../parse/canonical-url.ts";
import { decodeBody } from "../parse/charset.ts";
import { type DateSource, dateFromTextOrUrl, toIsoUtc } from "../parse/dates.ts";
import { pageMetaDate } from "../parse/page-date.ts";
import { parseFeed } from "../parse/parse-feed.ts";
import { type PageEntry, parsePage } from "../parse/parse-page.ts";
import type { SourceAttempt, SourceOutcome, SourceState } from "../store/source-state.ts";

/** An entry turned into the fields of an item, before window, filters and dedup. */
export interface Candidate {
  canonical: string;
  url: string;
  title: string;
  content: string;
  published_at: string | null;
  date_source: DateSource;
  metadata: Record<string, unknown>;
}

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
  /** Article pages requested to date undated entries (failed requests included). */
  article_fetches: number;
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
  /** Documents already delivered to the client: not worth an article fetch to date them. */
  isSeen: (canonical: string) => boolean;
}

/**
 * Undated entries of one source whose article page is fetched to read its declared date. Bounded so a
 * list of 200 undated links costs at most this many extra requests (politeness per host still applies).
 */
export const MAX_ARTICLE_FETCHES = 10;

/**
 * Dates undated candidates from their article page's meta tags / JSON-LD. A failed article fetch leaves
 * the candidate undated: it never fails the source.
 */
async function dateFromArticlePages(candidates: Candidate[], opts: SourceRunOptions): Promise<number> {
  const undated = candidates
    .filter((c) => c.date_source === "none" && c.metadata.is_pdf !== true && !opts.isSeen(c.canonical))
    .slice(0, MAX_ARTICLE_FETCHES);
  await Promise.all(
    undated.map(async (c) => {
      try {
        const res = await opts.fetcher.fetch({ url: c.url, kind: "page" });
        if (res.status !== "ok") return;
        const date = pageMetaDate(decodeBody(res.body, { contentType: res.contentType, kind: "html" }));
        if (date) {
          c.published_at = toIsoUtc(date);
          c.date_source = "page_meta";
        }
      } catch {
        // The article is optional evidence; the list entry stands without it.
      }
    }),
  );
  return undated.length;
}

/** SourceSchema guarantees the URL its ingestion mode needs; "" only for a mode that is never fetched. */
function sourceUrl(source: Source): string {
  return (source.ingestion_mode === "html" ? source.html_url : source.rss_url) ?? "";
}

/** Whatever goes wrong after a 200 is the document's fault, not the network's. */
function asParseError(err: unknown, url: string): SourceError {
  if (err instanceof SourceError) return err;
  return new ParseError(url, err instanceof Error ? err.message : String(err), { cause: err });
}

/** A feed date wins (caller); otherwise the text, then the URL, never the fetch time. */
function toCandidateDate(d: { published: string | null; dateSource: DateSource }) {
  return { published_at: d.published, date_source: d.dateSource };
}

function untitled(content: string, url: string): string {
  const words = content.split(/\s+/).filter(Boolean).slice(0, 12).join(" ");
  return words || url;
}

async function feedCandidates(
  res: Extract<FetchResult, { status: "ok" }>,
  source: Source,
): Promise<{ candidates: Candidate[]; entries: number; withoutLink: number }> {
  let feed: Awaited<ReturnType<typeof parseFeed>>;
  try {
    feed = await parseFeed(res.body, { contentType: res.contentType, url: res.url });
  } catch (err) {
    throw asParseError(err, res.url);
  }
  const candidates: Candidate[] = [];
  let withoutLink = 0;
  for (const entry of feed.entries) {
    const link = entry.link ?? (entry.id && /^https?:\/\//i.test(entry.id) ? entry.id : null);
    const canonical = link ? canonicalUrl(link, res.url) : null;
    if (!link || !canonical) {
      withoutLink++;
      continue;
    }
    const content = entry.content || entry.summary || "";
    const dated = entry.published
      ? { published_at: entry.published, date_source: "feed" as const }
      : toCandidateDate(dateFromTextOrUrl(content.slice(0, 2000), canonical));
    candidates.push({
      canonical,
      url: link,
      title: entry.title ?? untitled(content, canonical),
      content,
      ...dated,
      metadata: {
        feed_title: feed.title,
        entry_id: entry.id,
        author: entry.author,
        categories: entry.categories,
        tags: source.tags,
      },
    });
  }
  return { candidates, entries: feed.entries.length, withoutLink };
}

function pageCandidates(
  res: Extract<FetchResult, { status: "ok" }>,
  source: Source,
): { candidates: Candidate[]; entries: number; withoutLink: number } {
  if (!source.html) throw new ParseError(res.url, "html source has no selectors");
  let entries: PageEntry[];
  try {
    const html = decodeBody(res.body, { contentType: res.contentType, kind: "html" });
    entries = parsePage(html, res.url, source.html);
  } catch (err) {
    throw asParseError(err, res.url);
  }
  const candidates: Candidate[] = [];
  let withoutLink = 0;
  for (const entry of entries) {
    const canonical = canonicalUrl(entry.link);
    if (!canonical) {
      withoutLink++;
      continue;
    }
    const content = entry.summary ?? "";
    candidates.push({
      canonical,
      url: entry.link,
      title: entry.title ?? untitled(content, canonical),
      content,
      published_at: entry.published,
      date_source: entry.dateSource,
      metadata: { list_page: res.url, is_pdf: entry.isPdf, tags: source.tags },
    });
  }
  return { candidates, entries: entries.length, withoutLink };
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

/** A source whose catalog entry cannot run: it fails alone, without a request, naming file, entry and field. */
export function misconfiguredResult(
  m: MisconfiguredSource,
  at: string,
): { source: Source; run: SourceRunResult } {
  const error = new SourceConfigInvalidError(m.message, "");
  const source: Source = {
    source_key: m.source_key,
    ingestion_mode: "none",
    enabled: false,
    source_type: "unknown",
    default_language: "en",
    tags: [],
  };
  const report: SourceReport = { ...emptyReport(m.source_key, ""), outcome: error.outcome, error: error.message };
  const attempt: SourceAttempt = {
    outcome: error.outcome,
    at,
    etag: null,
    lastModified: null,
    bodySha256: null,
    error: error.message,
  };
  return { source, run: { report, candidates: [], attempt } };
}

/**
 * Fetch and parse one source. Never throws: every source ends with one outcome, and a failing source only
 * fails itself. Validators from the previous success make the request conditional unless forceRefresh.
 */
export async function ingestSource(source: Source, opts: SourceRunOptions): Promise<SourceRunResult> {
  const started = opts.now().getTime();
  const url = sourceUrl(source);
  const at = opts.now().toISOString();
  const report = emptyReport(source.source_key, url);
  const attempt: SourceAttempt = {
    outcome: "ok",
    at,
    etag: null,
    lastModified: null,
    bodySha256: null,
    error: null,
  };
  let candidates: Candidate[] = [];
  try {
    const validators =
      opts.forceRefresh || !opts.previous
        ? undefined
        : { etag: opts.previous.etag, lastModified: opts.previous.last_modified };
    const res = await opts.fetcher.fetch({
      url,
      kind: source.ingestion_mode === "html" ? "page" : "feed",
      validators,
      userAgent: source.user_agent,
    });
    report.attempts = res.attempts;
    attempt.etag = res.etag;
    attempt.lastModified = res.lastModified;
    if (res.status === "not_modified") {
      report.outcome = "not_modified";
    } else {
      const bodySha256 = createHash("sha256").update(res.body).digest("hex");
      attempt.bodySha256 = bodySha256;
      if (!opts.forceRefresh && opts.previous?.body_sha256 === bodySha256) {
        report.outcome = "not_modified";
      } else {
        const parsed =
          source.ingestion_mode === "html" ? pageCandidates(res, source) : await feedCandidates(res, source);
        candidates = parsed.candidates;
        report.article_fetches = await dateFromArticlePages(candidates, opts);
        report.entries = parsed.entries;
        report.entries_without_link = parsed.withoutLink;
        report.outcome = parsed.entries === 0 ? "empty" : "ok";
      }
    }
  } catch (err) {
    const failure = classifyError(err, url);
    report.outcome = failure.outcome;
    report.attempts = failure.attempts;
    report.error = failure.message;
    attempt.error = failure.message;
  }
  attempt.outcome = report.outcome;
  report.duration_ms = opts.now().getTime() - started;
  return { report, candidates, attempt };
}
