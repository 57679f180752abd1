import type { CheerioAPI } from "cheerio/slim";
import type { Element } from "domhandler";
import { type ArticleLayout, contains, inNoise, isElement } from "./article-layout.ts";
import { parseDate } from "./dates.ts";
import { collapseWhitespace } from "./whitespace.ts";

/**
 * The publication date a page declares in markup meant for machines: meta tags (Open Graph, Dublin Core,
 * citation, Parse.ly, Sailthru...), the JSON-LD node of the article itself and its microdata. Modified
 * dates are never read, nor the dates of breadcrumbs, organisations, related items or comments.
 */

export interface DeclaredDateContext {
  url: string;
  now?: Date;
  locale?: string;
}

export interface DeclaredDate {
  date: Date | null;
  /** The structured data describes an event and no article: its visible dates are the event's. */
  eventPage: boolean;
}

/** Meta names/properties of the publication instant that publishers fill with it, most specific first. */
const PRIMARY_META = [
  "article:published_time",
  "og:article:published_time",
  "og:published_time",
  "article:published",
  "published_time",
  "article.published",
  "article_date_original",
  "original-publish-date",
];
/** Analytics, newsletter and library vocabularies: reliable, but second to Open Graph and JSON-LD. */
const SECONDARY_META = [
  "parsely-pub-date",
  "sailthru.date",
  "cxenseparse:recs:publishtime",
  "og:regdate",
  "dc.date.issued",
  "dcterms.issued",
  "dc.date.created",
  "dcterms.created",
  "dc.date",
  "dcterms.date",
  "citation_publication_date",
  "citation_date",
  "citation_online_date",
  "prism.publicationdate",
  "pubdate",
  "publishdate",
  "publish-date",
  "publish_date",
  "publication_date",
  "datepublished",
  "date",
];

const ARTICLE_TYPES = new Set([
  "article",
  "newsarticle",
  "blogposting",
  "pressrelease",
  "reportagenewsarticle",
  "analysisnewsarticle",
  "opinionnewsarticle",
  "backgroundnewsarticle",
  "reviewnewsarticle",
  "askpublicnewsarticle",
  "liveblogposting",
  "socialmediaposting",
  "techarticle",
  "scholarlyarticle",
  "medicalscholarlyarticle",
  "satiricalarticle",
  "advertisercontentarticle",
  "report",
]);
const PAGE_TYPES = new Set(["webpage", "itempage"]);
/** Microdata scopes whose dates are about something other than the page's article. */
const FOREIGN_SCOPE = /Comment|Review|Event|Product|Offer|Person|Organization|ListItem|ItemList/i;

type JsonNode = Record<string, unknown>;

const DAY_MS = 86_400_000;

function isRecord(value: unknown): value is JsonNode {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** "2025-03-12T15:00:00+09:00", "2024/06/21", and the compact "20250312" / "20250312153000". */
function readDeclared(raw: string, context: DeclaredDateContext): Date | null {
  const text = raw.trim();
  const compact = /^(?<y>\d{4})(?<mo>\d{2})(?<d>\d{2})(?:(?<h>\d{2})(?<mi>\d{2})(?<s>\d{2})?)?$/.exec(
    text,
  )?.groups;
  const time = compact?.h ? `T${compact.h}:${compact.mi}:${compact.s ?? "00"}` : "";
  const iso = compact ? `${compact.y}-${compact.mo}-${compact.d}${time}` : text;
  const date = parseDate(iso, { now: context.now, locale: context.locale });
  if (!date) return null;
  // A page cannot have been published after it was fetched; such a value is a template's placeholder.
  if (context.now && date.getTime() > context.now.getTime() + DAY_MS) return null;
  return date;
}

/** Meta values by lowercased name/property, first occurrence wins; microdata `itemprop` metas excluded. */
function metaValues($: CheerioAPI, layout: ArticleLayout): Map<string, string> {
  const values = new Map<string, string>();
  for (const el of $("meta").toArray()) {
    if (!isElement(el) || el.attribs.itemprop !== undefined || inNoise(el, layout.isNoise)) continue;
    const key = (el.attribs.property ?? el.attribs.name ?? "").trim().toLowerCase();
    const content = el.attribs.content;
    if (key && content && !values.has(key)) values.set(key, content);
  }
  return values;
}

function parselyPageDate(values: Map<string, string>): string | undefined {
  const raw = values.get("parsely-page");
  if (!raw) return undefined;
  try {
    const page: unknown = JSON.parse(raw);
    return isRecord(page) && typeof page.pub_date === "string" ? page.pub_date : undefined;
  } catch {
    return undefined;
  }
}

function fromMeta(names: string[], values: Map<string, string>, context: DeclaredDateContext): Date | null {
  for (const name of names) {
    const raw = values.get(name);
    const date = raw ? readDeclared(raw, context) : null;
    if (date) return date;
  }
  return null;
}

function typesOf(node: JsonNode): string[] {
  const raw = node["@type"];
  const list = Array.isArray(raw) ? raw : [raw];
  return list
    .filter((t): t is string => typeof t === "string")
    .map((t) => (t.split(/[/#:]/).at(-1) ?? t).toLowerCase());
}

/** The nodes a JSON-LD document states at its top: array items, @graph members and their mainEntity. */
function topLevelNodes(value: unknown): JsonNode[] {
  const roots = Array.isArray(value) ? value : [value];
  const nodes: JsonNode[] = [];
  for (const root of roots) {
    if (!isRecord(root)) continue;
    const graph = root["@graph"];
    if (Array.isArray(graph)) nodes.push(...graph.filter(isRecord));
    if (root["@type"] !== undefined) nodes.push(root);
  }
  const entities = nodes.flatMap((node) => {
    const main = node.mainEntity;
    return (Array.isArray(main) ? main : [main]).filter(isRecord);
  });
  return [...nodes, ...entities];
}

function jsonLdNodes($: CheerioAPI): JsonNode[] {
  return $('script[type="application/ld+json" i]')
    .toArray()
    .flatMap((script) => {
      try {
        return topLevelNodes(JSON.parse($(script).text()));
      } catch {
        // Malformed JSON-LD is common; the other signals still apply.
        return [];
      }
    });
}

function firstString(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(firstString).find(Boolean);
  if (isRecord(value)) return firstString(value["@value"] ?? value["@id"] ?? value.url);
  return undefined;
}

function sameUrl(a: string | undefined, b: string): boolean {
  if (!a || !b) return false;
  try {
    const left = new URL(a);
    const right = new URL(b);
    const path = (u: URL) => u.pathname.replace(/\/+$/, "");
    return left.hostname.toLowerCase() === right.hostname.toLowerCase() && path(left) === path(right);
  } catch {
    return false;
  }
}

function nodeUrls(node: JsonNode): Array<string | undefined> {
  return [firstString(node.url), firstString(node["@id"]), firstString(node.mainEntityOfPage)];
}

const sameText = (a: string, b: string) =>
  collapseWhitespace(a).toLowerCase() === collapseWhitespace(b).toLowerCase();

/**
 * The node among several that is this page's: its URL is the page's, else its headline is the page's
 * headline. Several article nodes that cannot be told apart are trusted only when they agree on the day.
 */
function pickNode(nodes: JsonNode[], context: DeclaredDateContext, headline: string): JsonNode | undefined {
  if (nodes.length <= 1) return nodes[0];
  const byUrl = nodes.filter((n) => nodeUrls(n).some((u) => sameUrl(u, context.url)));
  if (byUrl.length === 1) return byUrl[0];
  const byHeadline = nodes.filter((n) => {
    const name = firstString(n.headline) ?? firstString(n.name);
    return Boolean(name && headline && sameText(name, headline));
  });
  if (byHeadline.length === 1) return byHeadline[0];
  const days = new Set(nodes.map((n) => firstString(n.datePublished)?.slice(0, 10)));
  return days.size === 1 ? nodes[0] : undefined;
}

function jsonLdDate(
  nodes: JsonNode[],
  types: Set<string>,
  context: DeclaredDateContext,
  headline: string,
): Date | null {
  const dated = nodes.filter(
    (n) => typesOf(n).some((t) => types.has(t)) && firstString(n.datePublished) !== undefined,
  );
  const node = pickNode(dated, context, headline);
  const raw = node ? firstString(node.datePublished) : undefined;
  return raw ? readDeclared(raw, context) : null;
}

function microdataValue(el: Element): string {
  return el.attribs.content ?? el.attribs.datetime ?? "";
}

/**
 * `itemprop="datePublished"` of the scope that holds the headline (or of the page head). Scopes of
 * teasers, comments and reviews carry their own dates.
 */
function microdataDate($: CheerioAPI, layout: ArticleLayout, context: DeclaredDateContext): Date | null {
  for (const el of $("[itemprop]").toArray()) {
    if (!isElement(el) || !/(?:^|\s)datePublished(?:\s|$)/i.test(el.attribs.itemprop ?? "")) continue;
    if (inNoise(el, layout.isNoise)) continue;
    const scope = $(el).closest("[itemscope]").toArray().find(isElement);
    const inHead = $(el).closest("head").length > 0;
    const ownsHeadline = scope && layout.headline ? contains(scope, layout.headline) : false;
    if (!inHead && !ownsHeadline) continue;
    if (scope && FOREIGN_SCOPE.test(scope.attribs.itemtype ?? "")) continue;
    const raw = microdataValue(el) || collapseWhitespace($(el).text());
    const date = raw ? readDeclared(raw, context) : null;
    if (date) return date;
  }
  return null;
}

function isEventPage(nodes: JsonNode[]): boolean {
  const types = nodes.flatMap(typesOf);
  return types.some((t) => t.endsWith("event")) && !types.some((t) => ARTICLE_TYPES.has(t));
}

export function declaredPublicationDate(
  $: CheerioAPI,
  layout: ArticleLayout,
  context: DeclaredDateContext,
): DeclaredDate {
  const values = metaValues($, layout);
  const nodes = jsonLdNodes($);
  const headline = layout.headline
    ? $(layout.headline).text()
    : ($('meta[property="og:title"]').attr("content") ?? "");
  const parsely = parselyPageDate(values);
  const date =
    fromMeta(PRIMARY_META, values, context) ??
    jsonLdDate(nodes, ARTICLE_TYPES, context, headline) ??
    microdataDate($, layout, context) ??
    (parsely ? readDeclared(parsely, context) : null) ??
    fromMeta(SECONDARY_META, values, context) ??
    jsonLdDate(nodes, PAGE_TYPES, context, headline);
  return { date, eventPage: isEventPage(nodes) };
}
