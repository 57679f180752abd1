import type { Source } from "../config/source-catalog.ts";
import type { Fetcher } from "../fetch/fetcher.ts";
import { articleDate } from "../parse/article-date.ts";
import { decodeBody } from "../parse/charset.ts";
import { toIsoUtc } from "../parse/dates.ts";
import { mainText } from "../parse/main-text.ts";
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
}

export interface EnrichmentReport {
  /** Article pages requested (failed requests included). */
  fetched: number;
  /** Candidates that got a date from their article page. */
  dated: number;
  /** Candidates whose content is now the article's main text. */
  withArticleText: number;
}

function needsText(c: Candidate, source: Source, minWordCount: number | undefined): boolean {
  if (source.content_enrichment === "full_article") return true;
  return minWordCount !== undefined && wordCount(`${c.title} ${c.content}`) < minWordCount;
}

/** What a candidate still lacks that its article page can give. */
function wants(c: Candidate, source: Source, opts: EnrichmentOptions): { date: boolean; text: boolean } {
  return { date: c.date_source === "none", text: needsText(c, source, opts.minWordCount) };
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
    if (found) {
      c.published_at = toIsoUtc(found.date);
      c.date_source = found.source;
      dated = true;
    }
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
  const report: EnrichmentReport = { fetched: 0, dated: 0, withArticleText: 0 };
  const chosen = candidates
    .filter((c) => c.metadata.is_pdf !== true && opts.isWanted(c))
    .map((c) => ({ c, need: wants(c, source, opts) }))
    .filter(({ need }) => need.date || need.text)
    .slice(0, source.max_items ?? DEFAULT_MAX_ARTICLES);
  await Promise.all(
    chosen.map(async ({ c, need }) => {
      report.fetched++;
      try {
        const res = await opts.fetcher.fetch({ url: c.url, kind: "page", userAgent: source.user_agent });
        if (res.status !== "ok") return;
        const html = decodeBody(res.body, { contentType: res.contentType, kind: "html" });
        const applied = applyArticle(c, html, need, source, opts.now());
        if (applied.dated) report.dated++;
        if (applied.withText) report.withArticleText++;
      } catch {
        // The article is optional evidence; the list entry stands without it.
      }
    }),
  );
  return report;
}
