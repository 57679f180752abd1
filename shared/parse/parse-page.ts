import * as cheerio from "cheerio/slim";
import type { AnyNode } from "domhandler";
import type { HtmlSelectors } from "../config/source-entry.ts";
import { ParseError, SelectorBrokenError } from "../errors/source-errors.ts";
import { dateFromPatterns } from "./date-patterns.ts";
import { type DateSource, dateFromTextOrUrl, parseDate, toIsoUtc } from "./dates.ts";
import { htmlToText } from "./html-text.ts";
import { selectorAlternatives } from "./selector-list.ts";
import { collapseWhitespace } from "./whitespace.ts";

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

type Nodes = cheerio.Cheerio<AnyNode>;

interface PageOptions {
  pageUrl: string;
  /** The source's date_extraction_patterns, tried on an item's text before the generic date finder. */
  datePatterns?: readonly RegExp[];
}

/** Applies a selector within a scope; a selector that matches the scope itself selects the scope. */
function selectOne(scope: Nodes, selector: string, pageUrl: string): Nodes {
  try {
    const found = scope.find(selector);
    return found.length > 0 || !scope.is(selector) ? found : scope;
  } catch (err) {
    throw new ParseError(pageUrl, `selector "${selector}" is not valid CSS: ${(err as Error).message}`);
  }
}

/** With alternatives, the first selector of the list that matches wins; otherwise the list is one selector. */
function select(scope: Nodes, selector: string, selectors: HtmlSelectors, pageUrl: string): Nodes {
  if (!selectors.alternatives) return selectOne(scope, selector, pageUrl);
  let found: Nodes | null = null;
  for (const alternative of selectorAlternatives(selector)) {
    found = selectOne(scope, alternative, pageUrl);
    if (found.length > 0) return found;
  }
  return found ?? selectOne(scope, selector, pageUrl);
}

function clean(text: string | undefined): string | null {
  const normalised = collapseWhitespace(text ?? "");
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

/** Links resolve as a browser resolves them: against `<base href>`, else the page's own URL. */
function pageBase($: cheerio.CheerioAPI, pageUrl: string): string {
  const href = $("base[href]").first().attr("href");
  if (!href) return pageUrl;
  try {
    return new URL(href, pageUrl).toString();
  } catch {
    return pageUrl;
  }
}

/** The declared formats first (the seed's date_format, then its defaults), then the generic reader. */
function declaredDate(raw: string, selectors: HtmlSelectors): Date | null {
  const spec = selectors.date;
  const formats = [...(spec?.format ? [spec.format] : []), ...(selectors.date_formats ?? [])];
  for (const format of formats) {
    const date = parseDate(raw, { format, locale: spec?.locale });
    if (date) return date;
  }
  return parseDate(raw, { locale: spec?.locale });
}

/**
 * The date chain for an item of a list page: the declared selector (with its formats), then a
 * `<time datetime>` inside the item, then the source's date patterns on the item's text, then a date
 * written in that text, then a date in the link.
 * Nothing found -> null: a date is never invented.
 */
function itemDate(
  item: Nodes,
  selectors: HtmlSelectors,
  link: string,
  opts: PageOptions,
): { published: string | null; dateSource: DateSource } {
  const pageUrl = opts.pageUrl;
  const spec = selectors.date;
  if (spec) {
    const el = select(item, spec.selector, selectors, pageUrl).first();
    const raw = clean(spec.attr ? el.attr(spec.attr) : el.text());
    const date = raw ? declaredDate(raw, selectors) : null;
    if (date) return { published: toIsoUtc(date), dateSource: "page_selector" };
  }
  const datetime = item.find("time[datetime]").first().attr("datetime");
  const fromTime = datetime ? parseDate(datetime) : null;
  if (fromTime) return { published: toIsoUtc(fromTime), dateSource: "page_selector" };
  const text = item.text().replace(/\s+/g, " ");
  const fromPattern = dateFromPatterns(text, opts.datePatterns ?? []);
  if (fromPattern) return { published: toIsoUtc(fromPattern), dateSource: "content_text" };
  return dateFromTextOrUrl(text, link);
}

/** The items, within the container when one is declared (its first match). */
function itemNodes($: cheerio.CheerioAPI, selectors: HtmlSelectors, pageUrl: string): Nodes {
  const root = $.root();
  const container = selectors.container
    ? select(root, selectors.container, selectors, pageUrl).first()
    : root;
  const scope = container.length > 0 ? container : root;
  return select(scope, selectors.item, selectors, pageUrl);
}

function readEntry(item: Nodes, selectors: HtmlSelectors, base: string, opts: PageOptions): PageEntry | null {
  const pageUrl = opts.pageUrl;
  const anchor = select(item, selectors.link, selectors, pageUrl).first();
  const link = resolveLink(anchor.attr("href"), base);
  if (!link) return null;
  const title = selectors.title
    ? clean(select(item, selectors.title, selectors, pageUrl).first().text())
    : null;
  const summaryHtml = selectors.summary
    ? select(item, selectors.summary, selectors, pageUrl).first().html()
    : null;
  return {
    title: title ?? clean(anchor.text()),
    link,
    ...itemDate(item, selectors, link, opts),
    summary: summaryHtml ? clean(htmlToText(summaryHtml)) : null,
    isPdf: /\.pdf$/i.test(new URL(link).pathname),
  };
}

/**
 * Items of a press-release list page by the source's declared selectors. Zero item matches (or items but
 * no link in any of them) on a page that answered 200 is `selector_broken` (the site changed), never an
 * empty news week.
 */
export function parsePage(
  html: string,
  pageUrl: string,
  selectors: HtmlSelectors,
  options: { datePatterns?: readonly RegExp[] } = {},
): PageEntry[] {
  const opts: PageOptions = { pageUrl, ...options };
  const $ = cheerio.load(html);
  $("script, style, noscript, template").remove();
  const base = pageBase($, pageUrl);
  const items = itemNodes($, selectors, pageUrl);
  if (items.length === 0) throw new SelectorBrokenError(pageUrl, selectors.item);
  const entries: PageEntry[] = [];
  const seen = new Set<string>();
  for (const node of items.toArray()) {
    const entry = readEntry($(node), selectors, base, opts);
    if (!entry || seen.has(entry.link)) continue;
    seen.add(entry.link);
    entries.push(entry);
  }
  // Items matched but not one link resolved: the link selector broke, which is not "no news" either.
  if (entries.length === 0) throw new SelectorBrokenError(pageUrl, selectors.link);
  return entries;
}
