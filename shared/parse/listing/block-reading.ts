import type { Element } from "domhandler";
import { type DateSource, dateFromTextOrUrl, findDateInText, parseDate, toIsoUtc } from "../dates.ts";
import type { PageEntry } from "../parse-page.ts";
import { childElements, classTokens, elementText, isHeading, isInside, textOf } from "./dom.ts";
import { type ItemLink, isPagerText, isPdfUrl } from "./site.ts";
import { effectiveWords, isDateLine, isGenericLinkText, withoutFileNote } from "./text-signals.ts";

/** Where an item's title came from; a heading is the strongest sign that a block is a news item. */
export type TitleOrigin = "heading" | "title_element" | "link" | "text";

export interface ItemReading {
  entry: PageEntry;
  /** Canonical form of the link, the item's identity. */
  key: string;
  url: URL;
  titleOrigin: TitleOrigin | null;
}

/** A block with one main link is an item; one with several documents of equal weight holds a listing. */
export type BlockReading = { kind: "item"; item: ItemReading } | { kind: "container" } | { kind: "none" };

export type LinkReader = (href: string | undefined) => ItemLink | null;

interface BlockLink extends ItemLink {
  anchor: Element;
  text: string;
  generic: boolean;
  /** The heading the link sits in, if any. */
  heading: Element | null;
  /** Headings and title elements inside the link (a whole card wrapped in one `<a>`). */
  inner: Element[];
  holdsBlocks: boolean;
}

/** Everything a block's reading needs, gathered in one walk. */
interface BlockIndex {
  elements: Element[];
  links: BlockLink[];
  headings: Element[];
  titled: Element[];
}

const TITLE_CLASS = /(?:^|[-_])(?:title|headline|heading|titel|titre|titulo|titolo|subject|tit)(?:$|[-_])/i;
const DATE_CLASS = /date|time|datum|fecha|data|published|posted|meta|day/i;
const SUMMARY_CLASS =
  /summary|teaser|excerpt|desc|intro|lead|abstract|chapo|entradilla|ingress|standfirst|snippet|blurb|text|body/i;
const BLOCK_TAGS = new Set(["p", "div", "ul", "ol", "li", "table", "section", "article", "dl", "figure"]);

function hasClass(element: Element, pattern: RegExp): boolean {
  return classTokens(element).some((token) => pattern.test(token));
}

function isTitleClassed(element: Element): boolean {
  return hasClass(element, TITLE_CLASS);
}

interface Frame {
  element: Element;
  heading: Element | null;
  anchor: BlockLink | null;
}

function indexBlock(nodes: readonly Element[], readLink: LinkReader): BlockIndex {
  const index: BlockIndex = { elements: [], links: [], headings: [], titled: [] };
  const stack: Frame[] = [...nodes].reverse().map((element) => ({ element, heading: null, anchor: null }));
  for (let frame = stack.pop(); frame; frame = stack.pop()) {
    const { element } = frame;
    let { heading, anchor } = frame;
    index.elements.push(element);
    const isHead = isHeading(element);
    if (isHead) index.headings.push(element);
    else if (isTitleClassed(element)) index.titled.push(element);
    if (anchor) {
      if (isHead || isTitleClassed(element)) anchor.inner.push(element);
      if (BLOCK_TAGS.has(element.name)) anchor.holdsBlocks = true;
    }
    if (isHead) heading ??= element;
    if (element.name === "a") {
      anchor = linkOf(element, heading, readLink);
      if (anchor) index.links.push(anchor);
    }
    const kids = childElements(element);
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ element: kids[i] as Element, heading, anchor });
  }
  return index;
}

function linkOf(anchor: Element, heading: Element | null, readLink: LinkReader): BlockLink | null {
  const target = readLink(anchor.attribs.href);
  if (!target) return null;
  const text = elementText(anchor);
  if (isPagerText(text)) return null;
  return {
    ...target,
    anchor,
    text,
    generic: isGenericLinkText(text),
    heading,
    inner: [],
    holdsBlocks: false,
  };
}

function byKey(links: readonly BlockLink[]): Map<string, BlockLink[]> {
  const grouped = new Map<string, BlockLink[]>();
  for (const link of links) {
    const same = grouped.get(link.key);
    if (same) same.push(link);
    else grouped.set(link.key, [link]);
  }
  return grouped;
}

function namingWords(links: readonly BlockLink[]): number {
  return Math.max(0, ...links.filter((link) => !link.generic).map((link) => effectiveWords(link.text)));
}

/** A link in or around a heading outweighs any other; then the link whose text names the most. */
function linkWeight(links: readonly BlockLink[]): number {
  const heading = links.some((link) => link.heading || link.inner.some(isHeading)) ? 3 : 0;
  const pdf = links[0] && isPdfUrl(links[0].url) ? 0 : 0.1;
  return heading + Math.min(namingWords(links), 12) / 6 + pdf;
}

function mainLinks(grouped: Map<string, BlockLink[]>): BlockLink[] | null {
  let best: BlockLink[] | null = null;
  let bestWeight = -1;
  for (const links of grouped.values()) {
    const weight = linkWeight(links);
    if (weight > bestWeight) {
      best = links;
      bestWeight = weight;
    }
  }
  return best;
}

/** More than two documents named at length: the block is a list of its own, not one item. */
function isContainer(grouped: Map<string, BlockLink[]>): boolean {
  let named = 0;
  for (const links of grouped.values()) if (namingWords(links) >= 3) named++;
  return named >= 3;
}

interface TitleChoice {
  element: Element;
  text: string;
  origin: TitleOrigin;
}

function choice(element: Element | null | undefined, origin: TitleOrigin): TitleChoice | null {
  if (!element) return null;
  const text = withoutFileNote(elementText(element));
  if (text.length === 0 || isGenericLinkText(text) || isDateLine(text)) return null;
  return { element, text, origin };
}

function firstChoice(elements: readonly Element[], origin: TitleOrigin): TitleChoice | null {
  for (const element of elements) {
    const found = choice(element, origin);
    if (found) return found;
  }
  return null;
}

function ownsText(element: Element): boolean {
  return element.children.some((child) => child.type === "text" && child.data.trim().length > 0);
}

/** The longest text of an element that carries text itself: the name of a document in a bare row. */
function longestText(elements: readonly Element[]): TitleChoice | null {
  let best: TitleChoice | null = null;
  for (const element of elements) {
    if (!ownsText(element)) continue;
    const found = choice(element, "text");
    if (found && (!best || found.text.length > best.text.length)) best = found;
  }
  return best;
}

function firstOf<T>(values: readonly T[], pick: (value: T) => TitleChoice | null): TitleChoice | null {
  for (const value of values) {
    const found = pick(value);
    if (found) return found;
  }
  return null;
}

/**
 * The item's title: the heading around (or inside) the main link, the main link's own text, another
 * heading or title element of the block, and last the block's longest text. Link texts such as
 * "Read more" or "Download PDF (1 MB)" never are titles.
 */
function readTitle(index: BlockIndex, main: readonly BlockLink[]): TitleChoice | null {
  const plain = main.find((link) => !link.generic && !link.holdsBlocks);
  return (
    firstOf(main, (link) => choice(link.heading, "heading")) ??
    firstOf(main, (link) => firstChoice(link.inner, "heading")) ??
    choice(plain?.anchor, "link") ??
    firstChoice(index.headings, "heading") ??
    firstChoice(index.titled, "title_element") ??
    choice(main.find((link) => !link.generic)?.anchor, "link") ??
    longestText(index.elements)
  );
}

function isDateElement(element: Element): boolean {
  return (
    element.name === "time" || hasClass(element, DATE_CLASS) || /date/i.test(element.attribs.itemprop ?? "")
  );
}

/**
 * `<time datetime>` first; then the text of date-like elements, then the rest of the block without
 * its title ("AGM of 6 June 2024" names an event, not the day of publication), then the URL; the
 * title's text only when nothing else has a date.
 */
function readDate(
  nodes: readonly Element[],
  index: BlockIndex,
  title: Element | null,
  link: string,
): { published: string | null; dateSource: DateSource } {
  for (const element of index.elements) {
    const datetime = element.name === "time" ? element.attribs.datetime : undefined;
    const date = datetime ? parseDate(datetime) : null;
    if (date) return { published: date.toISOString(), dateSource: "page_selector" };
  }
  const dated = index.elements
    .filter(isDateElement)
    .map((element) => elementText(element))
    .join(" ");
  // Most blocks say their date in a date element: reading that short text first spares the rest.
  const inDateElement = dated.length > 0 ? findDateInText(dated) : null;
  if (inDateElement) return { published: toIsoUtc(inDateElement), dateSource: "content_text" };
  const rest = textOf(nodes, (element) => element === title);
  const found = dateFromTextOrUrl(rest, link);
  if (found.dateSource !== "none" || !title || !/\d/.test(elementText(title))) return found;
  return dateFromTextOrUrl(textOf(nodes), link);
}

function isSummaryCandidate(element: Element, title: Element | null, paragraphs: boolean): boolean {
  if ((element.name === "p") !== paragraphs) return false;
  if (!paragraphs && !hasClass(element, SUMMARY_CLASS)) return false;
  if (hasClass(element, DATE_CLASS) || isTitleClassed(element)) return false;
  return !title || (!isInside(title, element) && !isInside(element, title));
}

function summaryText(element: Element, title: TitleChoice | null): string | null {
  const text = elementText(element);
  if (text.length < 20 || effectiveWords(text) < 4) return null;
  if (text === title?.text || isDateLine(text) || isGenericLinkText(text)) return null;
  return text;
}

/**
 * The teaser: the first paragraph that is neither the title nor a date line, else the first element
 * named as a summary. Paragraphs go first because a "teaser-text" wrapper also holds its "Read more".
 */
function readSummary(index: BlockIndex, title: TitleChoice | null): string | null {
  for (const paragraphs of [true, false]) {
    for (const element of index.elements) {
      if (!isSummaryCandidate(element, title?.element ?? null, paragraphs)) continue;
      const text = summaryText(element, title);
      if (text) return text;
    }
  }
  return null;
}

export function readBlock(nodes: readonly Element[], readLink: LinkReader): BlockReading {
  const index = indexBlock(nodes, readLink);
  const grouped = byKey(index.links);
  if (grouped.size === 0) return { kind: "none" };
  if (isContainer(grouped)) return { kind: "container" };
  const main = mainLinks(grouped);
  const first = main?.[0];
  if (!main || !first) return { kind: "none" };
  const title = readTitle(index, main);
  const link = first.url.toString();
  const entry: PageEntry = {
    title: title?.text ?? null,
    link,
    ...readDate(nodes, index, title?.element ?? null, link),
    summary: readSummary(index, title),
    isPdf: isPdfUrl(first.url),
  };
  return {
    kind: "item",
    item: { entry, key: first.key, url: first.url, titleOrigin: title?.origin ?? null },
  };
}
