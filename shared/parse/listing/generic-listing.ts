import * as cheerio from "cheerio/slim";
import type { Document, Element } from "domhandler";
import { NoListingFoundError, ParseError } from "../../errors/source-errors.ts";
import { canonicalUrl } from "../canonical-url.ts";
import type { PageEntry } from "../parse-page.ts";
import { type BlockReading, readBlock } from "./block-reading.ts";
import { type Block, MIN_BLOCKS, type PageScan, scanPage } from "./candidates.ts";
import { childElements, isHeading } from "./dom.ts";
import { leadStories } from "./lead-story.ts";
import { isListing, MIN_MEAN_QUALITY, type ScoredGroup, scoreGroup } from "./scoring.ts";
import { itemLinkReader, type PageSite, resolveHttpUrl } from "./site.ts";

function pageSite($: cheerio.CheerioAPI, pageUrl: string): PageSite {
  const page = /^\s*https?:\/\//i.test(pageUrl) ? resolveHttpUrl(pageUrl, pageUrl) : null;
  const pageKey = page ? canonicalUrl(page.toString()) : null;
  if (!page || !pageKey) throw new ParseError(pageUrl, "the page URL is not an absolute http(s) URL");
  const baseHref = $("base[href]").first().attr("href");
  const base = resolveHttpUrl(baseHref, page.toString())?.toString() ?? page.toString();
  return { pageUrl: page, base, pageKey };
}

/** More links than a card with its tags and share buttons ever has: a section, not an item. */
const MAX_ITEM_LINKS = 25;

function ownsText(element: Element): boolean {
  return element.children.some((child) => child.type === "text" && child.data.trim().length > 0);
}

/** The only child of a wrapper that adds nothing but markup ("div.col" around "div.card"). */
function wrappedChild(element: Element): Element | null {
  const kids = childElements(element);
  const only = kids[0];
  if (kids.length !== 1 || !only || ownsText(element)) return null;
  return isHeading(element) || isHeading(only) || only.name === "a" ? null : only;
}

/**
 * A wrapper reads like its only child, so grids read at the row, cell and card level share one
 * reading; the descent stops above links and headings, whose place in the block matters.
 */
function innermost(element: Element): Element {
  let current = element;
  for (let inner = wrappedChild(current); inner; inner = wrappedChild(current)) current = inner;
  return current;
}

/** Blocks are read once even when several candidate groups (or wrapper levels) share them. */
function cachedReader(site: PageSite, scan: PageScan): (block: Block) => BlockReading {
  const readLink = itemLinkReader(site);
  const cache = new Map<Element, BlockReading>();
  return (block) => {
    if (block.nodes.length !== 1) return readBlock(block.nodes, readLink);
    if (scan.linkCount(block.lead) > MAX_ITEM_LINKS) return { kind: "container" };
    const element = innermost(block.lead);
    const cached = cache.get(element);
    if (cached) return cached;
    const reading = readBlock([element], readLink);
    cache.set(element, reading);
    return reading;
  };
}

function describe(element: Element): string {
  const id = element.attribs.id ? `#${element.attribs.id}` : "";
  const cls = (element.attribs.class ?? "").trim().split(/\s+/)[0];
  return `${element.name}${id}${cls ? `.${cls}` : ""}`;
}

/** What was looked at, for the operator reading a no_listing_found outcome. */
function noListingDetail(scored: readonly ScoredGroup[]): string {
  const closest = scored
    .filter((s) => s.items.length > 0)
    .sort((a, b) => b.items.length * b.meanQuality - a.items.length * a.meanQuality)[0];
  const base = `no group of ${MIN_BLOCKS}+ sibling blocks with article links and news-like titles, dates or teasers`;
  if (!closest) return `${base}; no repeated blocks link to this site`;
  const where = describe(closest.group.container);
  return `${base}; closest: ${closest.items.length} blocks under ${where}, quality ${closest.meanQuality.toFixed(2)} < ${MIN_MEAN_QUALITY}`;
}

function bestListing(scored: readonly ScoredGroup[]): ScoredGroup | null {
  let best: ScoredGroup | null = null;
  for (const candidate of scored) {
    if (isListing(candidate) && (!best || candidate.score > best.score)) best = candidate;
  }
  return best;
}

/**
 * The items of a news or press-release listing found without selectors: groups of repeated sibling
 * blocks (cards, list items, table rows, grid cells, heading-date-teaser runs) are read and scored on
 * how much each block looks like a news item and where it sits (site chrome excluded, sidebars
 * discounted); the best group wins, preceded by any featured story boxed above it.
 * Throws NoListingFoundError when no group qualifies.
 */
export function extractListing(html: string, pageUrl: string): PageEntry[] {
  const $ = cheerio.load(html);
  const site = pageSite($, pageUrl);
  const scan = scanPage($.root()[0] as Document);
  const read = cachedReader(site, scan);
  const scored = scan.groups.map((group) => scoreGroup(group, read, scan.region));
  const best = bestListing(scored);
  if (!best) throw new NoListingFoundError(pageUrl, noListingDetail(scored));
  const leads = leadStories(best.group.container, best.items, scan, read);
  return [...leads, ...best.items].map((item) => item.entry);
}
