import { type ArticleDateOptions, articleDate } from "./article-date.ts";

/**
 * The publication date an article page declares about itself: meta tags and the article's JSON-LD or
 * microdata, then the date it shows with its headline (`articleDate` without its URL step, since only the
 * page is given). Null when the page declares none — never the fetch time.
 */
export function pageMetaDate(html: string, opts: ArticleDateOptions = {}): Date | null {
  return articleDate(html, "", opts)?.date ?? null;
}
