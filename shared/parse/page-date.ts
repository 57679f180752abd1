import * as cheerio from "cheerio";
import { parseDate } from "./dates.ts";

/** Meta tags publishers use for the publication instant, most specific first. */
const META_SELECTORS = [
  'meta[property="article:published_time"]',
  'meta[property="og:article:published_time"]',
  'meta[name="article:published_time"]',
  'meta[itemprop="datePublished"]',
  'meta[name="citation_publication_date"]',
  'meta[name="dc.date"]',
  'meta[name="DC.date"]',
  'meta[name="dcterms.created"]',
  'meta[name="pubdate"]',
  'meta[name="publishdate"]',
  'meta[name="date"]',
];

/** JSON-LD `datePublished`, searched through `@graph` and nested objects (schema.org NewsArticle and kin). */
function jsonLdDate(value: unknown, depth = 0): string | null {
  if (depth > 6 || value === null || typeof value !== "object") return null;
  if (Array.isArray(value)) {
    for (const v of value) {
      const found = jsonLdDate(v, depth + 1);
      if (found) return found;
    }
    return null;
  }
  const record = value as Record<string, unknown>;
  if (typeof record.datePublished === "string") return record.datePublished;
  for (const v of Object.values(record)) {
    const found = jsonLdDate(v, depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * The publication date an article page declares about itself: meta tags, then JSON-LD, then the first
 * `<time datetime>` of the article body. Null when the page declares none — never the fetch time.
 */
export function pageMetaDate(html: string): Date | null {
  const $ = cheerio.load(html);
  for (const selector of META_SELECTORS) {
    const content = $(selector).first().attr("content");
    const date = content ? parseDate(content) : null;
    if (date) return date;
  }
  for (const script of $('script[type="application/ld+json"]').toArray()) {
    try {
      const raw = jsonLdDate(JSON.parse($(script).text()));
      const date = raw ? parseDate(raw) : null;
      if (date) return date;
    } catch {
      // Malformed JSON-LD is common; the other signals still apply.
    }
  }
  const datetime = $("article time[datetime], main time[datetime], time[datetime]").first().attr("datetime");
  return datetime ? parseDate(datetime) : null;
}
