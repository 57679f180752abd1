import type { Source } from "../config/source-catalog.ts";
import type { Fetcher } from "../fetch/fetcher.ts";
import { articleDate } from "../parse/article-date.ts";
import { decodeBody } from "../parse/charset.ts";
import { toIsoUtc } from "../parse/dates.ts";
import { mainText } from "../parse/main-text.ts";
import { urlKey } from "../store/item-id.ts";
import type { ArticleMemo } from "../store/source-state.ts";
import { wordCount } from "./item-filters.ts";
import type { Candidate } from "./source-candidates.ts";

/** Article pages fetched per source per run unless the source sets max_items: politeness and time. */
export const DEFAULT_MAX_ARTICLES = 20;
export const DEFAULT_MAX_CONTENT_LENGTH = 2000;

export interface EnrichmentOptions {
  fetcher: Fetcher;
  now: () => Date;
  /** Candidates worth a request: not delivered before, and undated or inside the window. */
  isWanted: (c: Candidate) => boolean;
  /** The client's min_word_count: a shorter teaser is replaced by the article's main text. */
  minWordCount?: number;
  /** What article pages gave the last time they were read for a date (the source's state). */
  memos?: Record<string, ArticleMemo>;
}

export interface EnrichmentReport {
  /** Article pages requested (failed requests included). */
  fetched: number;
  /** Candidates that got a date from their article page. */
  dated: number;
  /** Candidates whose content is now the article's main text. */
  withArticleText: number;
  /** Article pages read for a date this run, for the source's state. */
  memos: Record<string, ArticleMemo>;
}

function needsText(c: Candidate, source: Source, minWordCount: number | undefined): boolean {
  if (source.content_enrichment === "full_article") return true;
  return minWordCount !== undefined && wordCount(`${c.title} ${c.content}`) < minWordCount;
}

/** What a candidate still lacks that its article page can give. */
function wants(c: Candidate, source: Source, opts: EnrichmentOptions): { date: boolean; text: boolean } {
  return { date: c.date_source === "none", text: needsText(c, source, opts.minWordCount) };
}

function applyDate(c: Candidate, publishedAt: string | null, source: ArticleMemo["date_source"]): boolean {
  if (publishedAt === null || source === "none") return false;
  c.published_at = publishedAt;
  c.date_source = source;
  return true;
}

/** Dates first (a wrong date is worse than none, so only the page's own evidence), then the main text. */
function applyArticle(
  c: Candidate,
  html: string,
  need: { date: boolean; text: boolean },
  source: Source,
  now: Date,
) {
  let dated = false;
  let withText = false;
  if (need.date) {
    const found = articleDate(html, c.url, { now });
    if (found) dated = applyDate(c, toIsoUtc(found.date), found.source);
  }
  if (need.text) {
    const text = mainText(html, c.url, {
      maxLength: source.max_content_length ?? DEFAULT_MAX_CONTENT_LENGTH,
    });
    if (text && text.length > c.content.length) {
      c.content = text;
      c.metadata.content_source = "article";
      withText = true;
    }
  }
  return { dated, withText };
}

/**
 * Fetches the article pages of the candidates that need one (undated, or a teaser too short for the client,
 * or a source that asks for full articles), with the same fetcher: SSRF guard, per-host limit, deadline.
 * A failed article leaves its candidate as the listing gave it: it never fails the source. PDFs are
 * documents, not pages, and keep the listing's data.
 */
export async function enrichFromArticles(
  candidates: readonly Candidate[],
  source: Source,
  opts: EnrichmentOptions,
): Promise<EnrichmentReport> {
  const report: EnrichmentReport = { fetched: 0, dated: 0, withArticleText: 0, memos: {} };
  const chosen = candidates
    .filter((c) => c.metadata.is_pdf !== true && opts.isWanted(c))
    .map((c) => ({ c, need: wants(c, source, opts) }))
    .filter(({ need }) => need.date || need.text)
    .slice(0, source.max_items ?? DEFAULT_MAX_ARTICLES);
  await Promise.all(chosen.map(({ c, need }) => readArticle(c, need, source, opts, report)));
  return report;
}

/**
 * One article page. Read only for its date, it is asked for conditionally when an earlier run read it, and
 * a 304 reuses the date found then; read for its text, the body is needed whatever.
 */
async function readArticle(
  c: Candidate,
  need: { date: boolean; text: boolean },
  source: Source,
  opts: EnrichmentOptions,
  report: EnrichmentReport,
): Promise<void> {
  report.fetched++;
  const key = urlKey(c.canonical);
  const memo = need.text ? undefined : opts.memos?.[key];
  try {
    const validators = memo ? { etag: memo.etag, lastModified: memo.last_modified } : undefined;
    const res = await opts.fetcher.fetch({
      url: c.url,
      kind: "page",
      userAgent: source.user_agent,
      validators,
    });
    if (res.status === "not_modified") {
      if (memo && applyDate(c, memo.published_at, memo.date_source)) report.dated++;
      if (memo) report.memos[key] = memo;
      return;
    }
    const html = decodeBody(res.body, { contentType: res.contentType, kind: "html" });
    const applied = applyArticle(c, html, need, source, opts.now());
    if (applied.dated) report.dated++;
    if (applied.withText) report.withArticleText++;
    if (need.date) report.memos[key] = memoOf(c, res.etag, res.lastModified, applied.dated);
  } catch {
    // The article is optional evidence; the list entry stands without it.
  }
}

function memoOf(c: Candidate, etag: string | null, lastModified: string | null, dated: boolean): ArticleMemo {
  const date_source =
    dated && c.date_source !== "feed" && c.date_source !== "page_selector" ? c.date_source : "none";
  return { etag, last_modified: lastModified, published_at: dated ? c.published_at : null, date_source };
}
