import * as cheerio from "cheerio/slim";
import { pageLocale, readLayout } from "./article-layout.ts";
import { declaredPublicationDate } from "./article-meta-date.ts";
import { visiblePublicationDate } from "./article-text-date.ts";
import { dateFromUrl } from "./dates.ts";

export type ArticleDateSource = "page_meta" | "content_text" | "url";

export interface ArticleDate {
  /** The publication instant in UTC; a date without a time is midnight UTC of that day. */
  date: Date;
  source: ArticleDateSource;
}

export interface ArticleDateOptions {
  /** The fetch time: later dates are refused (templates, events). Without it no date is refused as future. */
  now?: Date;
}

const DAY_MS = 86_400_000;

/**
 * The publication date of an article page, for list entries that came without one. A wrong date is worse
 * than none, so each step only answers when it is sure: what the page declares for machines (meta tags,
 * the article's JSON-LD and microdata) -> `page_meta`; the date shown with the headline or opening the text
 * -> `content_text`; a date in the URL -> `url`; otherwise null. Published wins over updated everywhere.
 */
export function articleDate(html: string, url: string, opts: ArticleDateOptions = {}): ArticleDate | null {
  const $ = cheerio.load(html);
  const layout = readLayout($);
  const context = { url, now: opts.now, locale: pageLocale($) };
  const declared = declaredPublicationDate($, layout, context);
  if (declared.date) return { date: declared.date, source: "page_meta" };
  const visible = visiblePublicationDate(layout, { ...context, eventPage: declared.eventPage });
  if (visible) return { date: visible, source: "content_text" };
  const fromUrl = dateFromUrl(url, { now: opts.now });
  if (fromUrl && (!opts.now || fromUrl.getTime() <= opts.now.getTime() + DAY_MS)) {
    return { date: fromUrl, source: "url" };
  }
  return null;
}
