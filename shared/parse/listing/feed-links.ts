import * as cheerio from "cheerio/slim";
import { canonicalUrl } from "../canonical-url.ts";

const FEED_TYPES = new Set([
  "application/rss+xml",
  "application/atom+xml",
  "application/rdf+xml",
  "application/feed+json",
]);

interface DeclaredFeed {
  url: string;
  isCommentFeed: boolean;
}

/** "application/rss+xml; charset=utf-8" -> "application/rss+xml". */
function mediaType(type: string | undefined): string {
  return (type ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

/**
 * JSON Feed 1.0 was announced as plain application/json, a type WordPress also uses for its REST API
 * links on every page: only a title or a path that says "feed" makes such a link a feed.
 */
function isFeedType(type: string, title: string, href: string): boolean {
  if (FEED_TYPES.has(type)) return true;
  return type === "application/json" && (/\bfeed\b/i.test(title) || /feed\.json$/i.test(href));
}

function isCommentFeed(url: string, title: string): boolean {
  return /\/comments\/feed\b/i.test(url) || /\bcomments?\b/i.test(title);
}

function resolveHttp(href: string, base: string): string | null {
  try {
    const url = new URL(href.trim(), base);
    return url.protocol === "http:" || url.protocol === "https:" ? url.toString() : null;
  } catch {
    return null;
  }
}

function documentBase($: cheerio.CheerioAPI, pageUrl: string): string {
  const href = $("base[href]").first().attr("href");
  return (href && resolveHttp(href, pageUrl)) || pageUrl;
}

function declaredFeeds($: cheerio.CheerioAPI, base: string): DeclaredFeed[] {
  const feeds: DeclaredFeed[] = [];
  const seen = new Set<string>();
  for (const element of $("link[href]").toArray()) {
    const link = $(element);
    const rel = (link.attr("rel") ?? "").toLowerCase().split(/\s+/);
    if (!rel.includes("alternate")) continue;
    const href = link.attr("href") ?? "";
    const title = link.attr("title") ?? "";
    if (!isFeedType(mediaType(link.attr("type")), title, href)) continue;
    const url = resolveHttp(href, base);
    const key = url ? canonicalUrl(url) : null;
    if (!url || !key || seen.has(key)) continue;
    seen.add(key);
    feeds.push({ url, isCommentFeed: isCommentFeed(url, title) });
  }
  return feeds;
}

/**
 * The feeds a page declares with `<link rel="alternate">`, as absolute http(s) URLs in document order.
 * A blog's comment feed is a feed of reader comments, not of news: it is only returned when the page
 * declares nothing else.
 */
export function discoverFeeds(html: string, pageUrl: string): string[] {
  const $ = cheerio.load(html);
  const feeds = declaredFeeds($, documentBase($, pageUrl));
  const news = feeds.filter((feed) => !feed.isCommentFeed);
  return (news.length > 0 ? news : feeds).map((feed) => feed.url);
}
