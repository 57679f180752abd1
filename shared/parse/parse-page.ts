import * as cheerio from "cheerio";
import type { AnyNode } from "domhandler";
import type { HtmlSelectors } from "../config/source-catalog.ts";
import { ParseError, SelectorBrokenError } from "../errors/source-errors.ts";
import { type DateSource, dateFromTextOrUrl, parseDate, toIsoUtc } from "./dates.ts";
import { htmlToText } from "./html-text.ts";

export interface PageEntry {
  title: string | null;
  /** Absolute URL, resolved against `<base href>` and the page URL. */
  link: string;
  published: string | null;
  dateSource: DateSource;
  summary: string | null;
  /** The link points at a PDF: the item is the document itself, titled from its link text. */
  isPdf: boolean;
}

function select(
  scope: cheerio.Cheerio<AnyNode>,
  selector: string,
  pageUrl: string,
): cheerio.Cheerio<AnyNode> {
  try {
    const found = scope.find(selector);
    return found.length > 0 || !scope.is(selector) ? found : scope;
  } catch (err) {
    throw new ParseError(pageUrl, `selector "${selector}" is not valid CSS: ${(err as Error).message}`);
  }
}

function clean(text: string | undefined): string | null {
  const normalised = (text ?? "").replace(/\s+/g, " ").trim();
  return normalised.length > 0 ? normalised : null;
}

function resolveLink(href: string | undefined, base: string): string | null {
  if (!href || /^(javascript|mailto|tel):/i.test(href.trim())) return null;
  try {
    const url = new URL(href.trim(), base);
    return url.protocol === "http:" || url.protocol === "https:" ? url.toString() : null;
  } catch {
    return null;
  }
}

function pageBase($: cheerio.CheerioAPI, pageUrl: string): string {
  const href = $("base[href]").first().attr("href");
  if (!href) return pageUrl;
  try {
    return new URL(href, pageUrl).toString();
  } catch {
    return pageUrl;
  }
}

/**
 * The date chain for an item of a list page: the declared selector (with its format/locale), then a
 * `<time datetime>` inside the item, then a date written in the item's text, then a date in the link.
 * Nothing found -> null: a date is never invented.
 */
function itemDate(
  item: cheerio.Cheerio<AnyNode>,
  selectors: HtmlSelectors,
  link: string,
  pageUrl: string,
): { published: string | null; dateSource: DateSource } {
  const spec = selectors.date;
  if (spec) {
    const el = select(item, spec.selector, pageUrl).first();
    const raw = spec.attr ? el.attr(spec.attr) : el.text();
    const date = raw ? parseDate(raw, { format: spec.format, locale: spec.locale }) : null;
    if (date) return { published: toIsoUtc(date), dateSource: "page_selector" };
  }
  const datetime = item.find("time[datetime]").first().attr("datetime");
  const fromTime = datetime ? parseDate(datetime) : null;
  if (fromTime) return { published: toIsoUtc(fromTime), dateSource: "page_selector" };
  return dateFromTextOrUrl(item.text().replace(/\s+/g, " "), link);
}

/**
 * Items of a press-release list page by the source's declared selectors. Zero item matches (or items but
 * no link in any of them) on a page that answered 200 is `selector_broken` (the site changed), never an
 * empty news week.
 */
export function parsePage(html: string, pageUrl: string, selectors: HtmlSelectors): PageEntry[] {
  const $ = cheerio.load(html);
  $("script, style, noscript, template").remove();
  const base = pageBase($, pageUrl);
  let items: cheerio.Cheerio<AnyNode>;
  try {
    items = $(selectors.item);
  } catch (err) {
    throw new ParseError(pageUrl, `selector "${selectors.item}" is not valid CSS: ${(err as Error).message}`);
  }
  if (items.length === 0) throw new SelectorBrokenError(pageUrl, selectors.item);

  const entries: PageEntry[] = [];
  const seen = new Set<string>();
  for (const node of items.toArray()) {
    const item = $(node);
    const anchor = select(item, selectors.link, pageUrl).first();
    const link = resolveLink(anchor.attr("href"), base);
    if (!link || seen.has(link)) continue;
    seen.add(link);
    const isPdf = /\.pdf$/i.test(new URL(link).pathname);
    const title = selectors.title ? clean(select(item, selectors.title, pageUrl).first().text()) : null;
    const summaryHtml = selectors.summary ? select(item, selectors.summary, pageUrl).first().html() : null;
    entries.push({
      title: title ?? clean(anchor.text()),
      link,
      ...itemDate(item, selectors, link, pageUrl),
      summary: summaryHtml ? clean(htmlToText(summaryHtml)) : null,
      isPdf,
    });
  }
  // Items matched but not one link resolved: the link selector broke, which is not "no news" either.
  if (entries.length === 0) throw new SelectorBrokenError(pageUrl, selectors.link);
  return entries;
}
