import type { Source } from "../config/source-catalog.ts";
import { canonicalUrl } from "../parse/canonical-url.ts";
import { dateFromPatterns } from "../parse/date-patterns.ts";
import { type DateSource, dateFromTextOrUrl, toIsoUtc } from "../parse/dates.ts";
import type { ParsedFeed } from "../parse/parse-feed.ts";
import type { PageEntry } from "../parse/parse-page.ts";

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

/** Which step of the HTML chain served a page source. */
export type Extraction = "selectors" | "feed_discovered" | "generic" | "discovered_from_homepage";

export interface SourceCandidates {
  candidates: Candidate[];
  /** Entries the document held, linked or not. */
  entries: number;
  /** Entries dropped because they had no usable http(s) link. */
  withoutLink: number;
}

function untitled(content: string, url: string): string {
  const words = content.split(/\s+/).filter(Boolean).slice(0, 12).join(" ");
  return words || url;
}

/** The source's own date patterns, then a date written in the text, then one in the URL; never now. */
function textDate(text: string, url: string, patterns: readonly RegExp[]) {
  const fromPattern = dateFromPatterns(text, patterns);
  if (fromPattern) return { published_at: toIsoUtc(fromPattern), date_source: "content_text" as const };
  const found = dateFromTextOrUrl(text, url);
  return { published_at: found.published, date_source: found.dateSource };
}

/** A cap on entries per run (max_items): listings are newest first, so the cap keeps the newest. */
function capped<T>(entries: readonly T[], source: Source): readonly T[] {
  return source.max_items ? entries.slice(0, source.max_items) : entries;
}

export function feedCandidates(
  feed: ParsedFeed,
  feedUrl: string,
  source: Source,
  patterns: readonly RegExp[],
): SourceCandidates {
  const candidates: Candidate[] = [];
  let withoutLink = 0;
  for (const entry of capped(feed.entries, source)) {
    const link = entry.link ?? (entry.id && /^https?:\/\//i.test(entry.id) ? entry.id : null);
    const canonical = link ? canonicalUrl(link, feedUrl) : null;
    if (!link || !canonical) {
      withoutLink++;
      continue;
    }
    const content = entry.content || entry.summary || "";
    const dated = entry.published
      ? { published_at: entry.published, date_source: "feed" as const }
      : textDate(content.slice(0, 2000), canonical, patterns);
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

/** PDFs keep the listing's data: the item is the document, marked so downstream knows. */
function pageMetadata(entry: PageEntry, listPage: string, source: Source): Record<string, unknown> {
  return {
    list_page: listPage,
    is_pdf: entry.isPdf,
    ...(entry.isPdf ? { content_type: "pdf" } : {}),
    tags: source.tags,
  };
}

export function pageCandidates(
  entries: readonly PageEntry[],
  listPage: string,
  source: Source,
  patterns: readonly RegExp[],
): SourceCandidates {
  const candidates: Candidate[] = [];
  let withoutLink = 0;
  for (const entry of capped(entries, source)) {
    const canonical = canonicalUrl(entry.link);
    if (!canonical) {
      withoutLink++;
      continue;
    }
    const content = entry.summary ?? "";
    const dated =
      entry.dateSource === "none" && patterns.length > 0
        ? textDate(`${entry.title ?? ""} ${content}`, canonical, patterns)
        : { published_at: entry.published, date_source: entry.dateSource };
    candidates.push({
      canonical,
      url: entry.link,
      title: entry.title ?? untitled(content, canonical),
      content,
      ...dated,
      metadata: pageMetadata(entry, listPage, source),
    });
  }
  return { candidates, entries: entries.length, withoutLink };
}
