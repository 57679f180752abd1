import type { Source } from "../config/source-catalog.ts";
import { classifyError, SelectorBrokenError } from "../errors/source-errors.ts";
import { decodeBody } from "../parse/charset.ts";
import { discoverFeeds } from "../parse/listing/feed-links.ts";
import { extractListing } from "../parse/listing/generic-listing.ts";
import { parseFeed } from "../parse/parse-feed.ts";
import { parsePage } from "../parse/parse-page.ts";
import { feedCandidates, pageCandidates } from "./source-candidates.ts";
import { type DocumentFetch, type Fetched, fetchDocument, type SourceDocument } from "./source-document.ts";

/** Declared feeds tried per page: the first usually serves; a second covers a dead first one. */
const MAX_DISCOVERED_FEEDS = 2;

export async function readFeedDocument(
  fetched: Extract<Fetched, { status: "ok" }>,
  source: Source,
  patterns: readonly RegExp[],
): Promise<SourceDocument> {
  const { res } = fetched;
  const feed = await parseFeed(res.body, { contentType: res.contentType, url: res.url });
  return { ...feedCandidates(feed, res.url, source, patterns), validators: fetched.validators, notes: [] };
}

/** Step 1: the source's selectors, declared inline or in html_extractors.yaml. */
function bySelectors(html: string, pageUrl: string, source: Source, patterns: readonly RegExp[]) {
  if (!source.html) return null;
  const entries = parsePage(html, pageUrl, source.html, { datePatterns: patterns });
  return pageCandidates(entries, pageUrl, source, patterns);
}

/** Step 2: a feed the page declares, read as the source's feed. */
async function byDeclaredFeed(
  html: string,
  pageUrl: string,
  source: Source,
  f: DocumentFetch,
  patterns: readonly RegExp[],
  notes: string[],
): Promise<SourceDocument | null> {
  for (const feedUrl of discoverFeeds(html, pageUrl).slice(0, MAX_DISCOVERED_FEEDS)) {
    try {
      const fetched = await fetchDocument(feedUrl, "feed", f, false);
      if (fetched.status !== "ok") continue;
      const doc = await readFeedDocument(fetched, source, patterns);
      if (doc.entries > 0)
        return { ...doc, extraction: "feed_discovered", discoveredFeedUrl: feedUrl, notes };
      notes.push(`declared feed ${feedUrl} has no entries`);
    } catch (err) {
      notes.push(`declared feed failed: ${classifyError(err, feedUrl).message}`);
    }
  }
  return null;
}

/**
 * An HTML source's page, through three steps in order: selectors, the page's declared feed, generic
 * listing extraction (which fails with `no_listing_found`, never "no news"). Selectors from
 * html_extractors.yaml that match nothing fall through to the next steps with a note, as the seed's
 * fallback selectors did; inline selectors that match nothing are `selector_broken`.
 */
export async function readPageDocument(
  fetched: Extract<Fetched, { status: "ok" }>,
  source: Source,
  f: DocumentFetch,
  patterns: readonly RegExp[],
): Promise<SourceDocument> {
  const { res } = fetched;
  const html = decodeBody(res.body, { contentType: res.contentType, kind: "html" });
  const notes: string[] = [];
  try {
    const selected = bySelectors(html, res.url, source, patterns);
    if (selected) return { ...selected, validators: fetched.validators, extraction: "selectors", notes };
  } catch (err) {
    if (!(err instanceof SelectorBrokenError && source.html?.alternatives)) throw err;
    notes.push(`${err.message}: the next steps served`);
  }
  const declared = await byDeclaredFeed(html, res.url, source, f, patterns, notes);
  if (declared) return declared;
  const generic = pageCandidates(extractListing(html, res.url), res.url, source, patterns);
  return {
    ...generic,
    validators: fetched.validators,
    extraction: "generic",
    discoveredFeedUrl: null,
    notes,
  };
}
