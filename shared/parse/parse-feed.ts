import { ParseError } from "../errors/source-errors.ts";
/**
 * Feed parsing in one streaming pass (shared/parse/feed-xml.ts), not through rss-parser, the project's chosen
 * feed library: rss-parser needs well-formed XML (so a repair pass first) and then reads it twice more
 * (sax, xml2js). On the benchmark's corpus workload (`npm run bench`) that measured 5.3 MB/s, and xml2js
 * alone caps near 14 MB/s, short of the 20 MB/s target; this pass measures 33 MB/s
 * (`measureParseRatios` in test/bench/parse-throughput.ts compares the two, and the bare tokenizer,
 * side by side on the machine at hand). Entries are chosen as rss-parser chooses them (Atom <entry>
 * of <feed>, RSS 2.0/0.9x <item> of the first <channel>, RSS 1.0/0.90 <item> of <rdf:RDF>), and
 * rss-parser stays the reference: test/unit/rss-parser-agreement checks that both read the same
 * entries from the corpus. One Atom date that `new Date` can't read does not make the whole feed
 * unreadable here, as it does in rss-parser.
 */
import { decodeBody } from "./charset.ts";
import { parseDate, toIsoUtc } from "./dates.ts";
import {
  attribute as attr,
  firstChild as first,
  childElements as nodes,
  readFeedXml,
  elementText as text,
  type XmlElement,
} from "./feed-xml.ts";
import { htmlToText } from "./html-text.ts";
import { collapseWhitespace } from "./whitespace.ts";

export interface FeedEntry {
  title: string | null;
  link: string | null;
  id: string | null;
  published: string | null;
  dateSource: "feed" | "none";
  content: string;
  summary: string | null;
  author: string | null;
  categories: string[];
}

export interface ParsedFeed {
  title: string | null;
  format: "rss2" | "rss1" | "rss090" | "atom" | "unknown";
  entries: FeedEntry[];
}

export interface ParseFeedOptions {
  contentType?: string | null;
  /** The URL the feed was served from: names it in errors and resolves relative links. */
  url?: string;
}

/**
 * Bytes -> text (decodeBody: the declared charset is only a hint) -> element tree -> entries.
 * Attributes are honoured (xml:base, rel, type, isPermaLink, rdf:about), dates are read by
 * parseDate (no local-time guesses, dc:date fallback) and Atom links are picked by rel.
 */
export async function parseFeed(body: Uint8Array | string, opts: ParseFeedOptions = {}): Promise<ParsedFeed> {
  const text =
    typeof body === "string"
      ? body.replace(/^\uFEFF/, "")
      : decodeBody(body, { contentType: opts.contentType, kind: "xml" });
  if (!text.trim()) throw new ParseError(opts.url, "empty feed document");

  const root = readFeedXml(text);
  if (!root) throw new ParseError(opts.url, "no XML root element in the feed document");
  const format = detectFormat(root);
  if (format === "unknown") throw new ParseError(opts.url, `not a feed: root element <${root.name}>`);

  const isAtom = format === "atom";
  const channel = isAtom ? root : first(root, "channel");
  const items = isAtom ? nodes(root, "entry") : nodes(format === "rss2" ? channel : root, "item");
  const feedBase = resolveBase(
    resolveBase(opts.url ?? selfOrAlternate(channel), attr(root, "xml:base")),
    attr(channel, "xml:base"),
  );
  return {
    title: feedTitle(channel, isAtom),
    format,
    entries: items.map((item) => readEntry(item, isAtom, feedBase)),
  };
}

/* ------------------------------------------------------------------ fields */

type Node = XmlElement | undefined;

/** Trimmed but otherwise verbatim: channel titles are shown as the publisher wrote them. */
function feedTitle(raw: Node, isAtom: boolean): string | null {
  const node = first(raw, "title") ?? first(raw, "dc:title");
  const value = isAtom && isMarkupType(node) ? htmlToText(text(node)) : text(node).trim();
  return value || null;
}

function isMarkupType(node: Node): boolean {
  const type = attr(node, "type")?.toLowerCase();
  return type === "html" || type === "xhtml" || type === "text/html";
}

function readEntry(raw: Node, isAtom: boolean, feedBase: string | undefined): FeedEntry {
  const base = resolveBase(feedBase, attr(raw, "xml:base"));
  const date = entryDate(raw, isAtom);
  const bodies = (isAtom ? ["content", "summary"] : ["content:encoded", "description", "summary"])
    .map((name) => ({ name, value: bodyText(first(raw, name), isAtom) }))
    .concat({ name: "media:description", value: mediaDescription(raw) })
    .filter((body) => body.value.length > 0);
  const richest = bodies.reduce<(typeof bodies)[number] | undefined>(
    (best, body) => (best === undefined || body.value.length > best.value.length ? body : best),
    undefined,
  );
  const summaryName = isAtom ? "summary" : "description";
  const summary = bodies.find((body) => body.name === summaryName)?.value ?? null;
  return {
    title: entryTitle(raw, isAtom),
    link: entryLink(raw, isAtom, base),
    id: entryId(raw, isAtom),
    published: date ? toIsoUtc(date) : null,
    dateSource: date ? "feed" : "none",
    content: richest?.value ?? "",
    summary: summary !== null && summary !== richest?.value ? summary : null,
    author: entryAuthor(raw, isAtom),
    categories: entryCategories(raw, isAtom),
  };
}

function entryTitle(raw: Node, isAtom: boolean): string | null {
  const node = first(raw, "title") ?? first(raw, "dc:title");
  if (isAtom) return textConstruct(node) || null;
  const value = text(node);
  const plain = /<[A-Za-z/!]/.test(value) ? htmlToText(value) : collapseWhitespace(value);
  return plain || null;
}

/** Atom text constructs: type="html"/"xhtml" carry markup (xhtml arrives as a string, see readFeedXml). */
function textConstruct(node: Node): string {
  const value = text(node);
  return isMarkupType(node) ? htmlToText(value) : collapseWhitespace(value);
}

function bodyText(node: Node, isAtom: boolean): string {
  if (node === undefined) return "";
  if (isAtom) return textConstruct(node);
  return htmlToText(text(node));
}

/** Video and podcast feeds (YouTube) put the only description in Media RSS. */
function mediaDescription(raw: Node): string {
  const node = first(raw, "media:description") ?? first(first(raw, "media:group"), "media:description");
  return node === undefined
    ? ""
    : isMarkupType(node)
      ? htmlToText(text(node))
      : collapseWhitespace(text(node));
}

function entryLink(raw: Node, isAtom: boolean, base: string | undefined): string | null {
  const resolveIn = (node: Node, href: string | undefined) =>
    href?.trim() ? resolveUrl(href, resolveBase(base, attr(node, "xml:base"))) : null;

  if (isAtom) {
    const chosen = pickAtomLink(nodes(raw, "link"));
    return chosen ? resolveIn(chosen, attr(chosen, "href")) : null;
  }
  for (const node of nodes(raw, "link")) {
    const value = text(node).trim() || attr(node, "href");
    if (value) return resolveIn(node, value);
  }
  const atomLink = pickAtomLink([...nodes(raw, "a10:link"), ...nodes(raw, "atom:link")], true);
  if (atomLink) return resolveIn(atomLink, attr(atomLink, "href"));
  const guid = first(raw, "guid");
  const guidValue = text(guid).trim();
  const permalink = attr(guid, "isPermaLink")?.trim().toLowerCase() !== "false";
  if (permalink && /^(https?:\/\/|\/[^/])/i.test(guidValue)) return resolveIn(guid, guidValue);
  return null;
}

/** rel="alternate" (a missing rel means alternate), preferring an HTML one; else the first link. */
function pickAtomLink(links: XmlElement[], alternateOnly = false): Node {
  const withHref = links.filter((link) => attr(link, "href")?.trim());
  const alternates = withHref.filter((link) => (attr(link, "rel") ?? "alternate").trim() === "alternate");
  const html = alternates.find(
    (link) => (attr(link, "type") ?? "text/html").trim().toLowerCase() === "text/html",
  );
  return html ?? alternates[0] ?? (alternateOnly ? undefined : withHref[0]);
}

function entryId(raw: Node, isAtom: boolean): string | null {
  const value = isAtom
    ? text(first(raw, "id")).trim()
    : text(first(raw, "guid")).trim() || (attr(raw, "rdf:about")?.trim() ?? "");
  return value || null;
}

/** In order of preference; the first one that parses wins, so a bogus pubDate falls back to dc:date. */
const RSS_DATE_FIELDS = [
  "pubDate",
  "dc:date",
  "dcterms:issued",
  "dcterms:created",
  "dcterms:date",
  "published",
];
const ATOM_DATE_FIELDS = [
  "published",
  "issued",
  "created",
  "dc:date",
  "updated",
  "modified",
  "dcterms:modified",
];

function entryDate(raw: Node, isAtom: boolean): Date | null {
  for (const name of isAtom ? ATOM_DATE_FIELDS : RSS_DATE_FIELDS) {
    for (const node of nodes(raw, name)) {
      const date = parseDate(text(node));
      if (date) return date;
    }
  }
  return null;
}

const RSS_AUTHOR_FIELDS = ["dc:creator", "author", "itunes:author"];

function entryAuthor(raw: Node, isAtom: boolean): string | null {
  if (isAtom)
    return firstCollapsed(nodes(raw, "author").map((node) => text(first(node, "name")) || text(node)));
  for (const name of RSS_AUTHOR_FIELDS) {
    const value = firstCollapsed(nodes(raw, name).map(text));
    if (value) return value;
  }
  return firstCollapsed(nodes(raw, "a10:author").map((node) => text(first(node, "a10:name"))));
}

function firstCollapsed(candidates: string[]): string | null {
  for (const candidate of candidates) {
    const value = collapseWhitespace(candidate);
    if (value) return value;
  }
  return null;
}

function entryCategories(raw: Node, isAtom: boolean): string[] {
  const values = isAtom
    ? nodes(raw, "category").map((node) => attr(node, "term") ?? attr(node, "label") ?? text(node))
    : [...nodes(raw, "category"), ...nodes(raw, "dc:subject")].map(text);
  return [...new Set(values.map(collapseWhitespace).filter((value) => value.length > 0))];
}

/* ------------------------------------------------------------------ URLs */

function selfOrAlternate(raw: Node): string | undefined {
  const links = [...nodes(raw, "link"), ...nodes(raw, "atom:link")];
  const hrefs = (rel: string) =>
    links
      .filter((link) => (attr(link, "rel") ?? "alternate") === rel)
      .map((link) => attr(link, "href") ?? text(link))
      .map((href) => href.trim());
  return [...hrefs("self"), ...hrefs("alternate")].find((href) => /^https?:\/\//i.test(href));
}

function resolveBase(base: string | undefined, relative: string | undefined): string | undefined {
  if (!relative?.trim()) return base;
  return resolveUrl(relative, base) ?? base;
}

/** Absolute URLs are kept verbatim (no host lower-casing, no re-encoding); relative ones need a base. */
function resolveUrl(href: string, base: string | undefined): string | null {
  const trimmed = href.trim();
  if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed)) return trimmed;
  if (!base) return null;
  try {
    return new URL(trimmed, base).href;
  } catch {
    return null;
  }
}

/* ------------------------------------------------------------------ format */

const RSS090_NAMESPACE = "http://my.netscape.com/rdf/simple/0.9/";

function detectFormat(root: XmlElement): ParsedFeed["format"] {
  if (root.name === "feed") return "atom";
  if (root.name === "rss") return "rss2";
  if (root.name === "rdf:RDF") return attr(root, "xmlns") === RSS090_NAMESPACE ? "rss090" : "rss1";
  return "unknown";
}
