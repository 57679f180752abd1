import { load } from "cheerio";
import Parser from "rss-parser";
import { decodeBody } from "./charset.ts";
import { parseDate, toIsoUtc } from "./dates.ts";
import { htmlToText } from "./html-text.ts";

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

export class FeedParseError extends Error {
  override readonly name = "FeedParseError";
}

export interface ParseFeedOptions {
  contentType?: string | null;
  /** The URL the feed was served from: names it in errors and resolves relative links. */
  url?: string;
}

/**
 * XML -> object is rss-parser's job; everything around it is ours:
 * - bytes are decoded here (decodeBody) because rss-parser only knows utf8/latin1;
 * - the text is pre-cleaned (see sanitizeXml) because its strict sax reader stops at the first
 *   stray "&", control character, HTML entity or missing end tag that real feeds contain;
 * - fields are read from the raw xml2js nodes (customFields with keepArray) because rss-parser
 *   drops attributes (xml:base, rel, type, isPermaLink, rdf:about), reads dates with `new Date`
 *   (local-time guesses, no dc:date fallback for Atom-style dates), and picks Atom links by
 *   position rather than by rel.
 */
export async function parseFeed(body: Uint8Array | string, opts: ParseFeedOptions = {}): Promise<ParsedFeed> {
  const where = opts.url ? ` (${opts.url})` : "";
  const text =
    typeof body === "string"
      ? body.replace(/^\uFEFF/, "")
      : decodeBody(body, { contentType: opts.contentType, kind: "xml" });
  if (!text.trim()) throw new FeedParseError(`Empty feed document${where}`);

  const sanitized = sanitizeXml(text);
  const root = sanitized.root;
  if (!root) throw new FeedParseError(`No XML root element in feed document${where}`);
  const format = detectFormat(root);
  if (format === "unknown") throw new FeedParseError(`Not a feed: root element <${root.name}>${where}`);

  let output: RawFields & Parser.Output<RawFields>;
  try {
    output = await new Parser<RawFields, RawFields>({
      defaultRSS: 2,
      customFields: {
        // The published typings allow only plain names for feed fields, but rss-parser reads the
        // same [from, to, options] tuples there as for items.
        feed: rawFieldSpecs(FEED_FIELDS) as unknown as Array<keyof RawFields>,
        item: rawFieldSpecs(ITEM_FIELDS),
      },
    }).parseString(sanitized.xml);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new FeedParseError(`Unreadable feed document${where}: ${reason}`, { cause: error });
  }

  const isAtom = format === "atom";
  const feedBase = resolveBase(
    resolveBase(opts.url ?? selfOrAlternate(output), root.attrs["xml:base"]),
    attr(first(output, "$"), "xml:base"),
  );
  return {
    title: feedTitle(output, isAtom),
    format,
    entries: output.items.map((item) => readEntry(item, isAtom, feedBase)),
  };
}

/* ------------------------------------------------------------------ raw nodes */

/** An xml2js node: a string, or an object with text in `_`, attributes in `$`, children as arrays. */
type XmlNode = string | { _?: string; $?: Record<string, string>; [child: string]: unknown };
type RawFields = Record<string, unknown>;

const FEED_FIELDS = ["title", "dc:title", "link", "atom:link", "$"];
const ITEM_FIELDS = [
  "title",
  "dc:title",
  "link",
  "a10:link",
  "atom:link",
  "guid",
  "id",
  "description",
  "content:encoded",
  "content",
  "summary",
  "pubDate",
  "published",
  "dc:date",
  "dcterms:issued",
  "dcterms:created",
  "dcterms:date",
  "issued",
  "created",
  "updated",
  "modified",
  "a10:updated",
  "dcterms:modified",
  "author",
  "dc:creator",
  "itunes:author",
  "a10:author",
  "media:group",
  "media:description",
  "category",
  "dc:subject",
  "$",
];

const RAW = "raw:";

/** keepArray hands over the xml2js node arrays untouched, with their attributes. */
function rawFieldSpecs(names: string[]): Array<[string, string, { keepArray: boolean }]> {
  return names.map((name) => [name, RAW + name, { keepArray: true }]);
}

function nodes(raw: RawFields, name: string): XmlNode[] {
  const value = raw[RAW + name];
  if (value === undefined) return [];
  if (name === "$") return [{ $: value as Record<string, string> }];
  return Array.isArray(value) ? (value as XmlNode[]) : [value as XmlNode];
}

function first(raw: RawFields, name: string): XmlNode | undefined {
  return nodes(raw, name)[0];
}

function text(node: XmlNode | undefined): string {
  if (node === undefined) return "";
  if (typeof node === "string") return node;
  return typeof node._ === "string" ? node._ : "";
}

function attr(node: XmlNode | undefined, name: string): string | undefined {
  if (node === undefined || typeof node === "string") return undefined;
  return node.$?.[name];
}

function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  if (node === undefined || typeof node === "string") return undefined;
  const value = node[name];
  return Array.isArray(value) ? (value[0] as XmlNode | undefined) : undefined;
}

function collapse(value: string): string {
  return value.replace(/\s+/g, " ").trim();
}

/* ------------------------------------------------------------------ fields */

/** Trimmed but otherwise verbatim: channel titles are shown as the publisher wrote them. */
function feedTitle(raw: RawFields, isAtom: boolean): string | null {
  const node = first(raw, "title") ?? first(raw, "dc:title");
  const value = isAtom && isMarkupType(node) ? htmlToText(text(node)) : text(node).trim();
  return value || null;
}

function isMarkupType(node: XmlNode | undefined): boolean {
  const type = attr(node, "type")?.toLowerCase();
  return type === "html" || type === "xhtml" || type === "text/html";
}

function readEntry(raw: RawFields, isAtom: boolean, feedBase: string | undefined): FeedEntry {
  const base = resolveBase(feedBase, attr(first(raw, "$"), "xml:base"));
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

function entryTitle(raw: RawFields, isAtom: boolean): string | null {
  const node = first(raw, "title") ?? first(raw, "dc:title");
  if (isAtom) return textConstruct(node) || null;
  const value = text(node);
  const plain = /<[A-Za-z/!]/.test(value) ? htmlToText(value) : collapse(value);
  return plain || null;
}

/** Atom text constructs: type="html"/"xhtml" carry markup (xhtml arrives as a string, see sanitizeXml). */
function textConstruct(node: XmlNode | undefined): string {
  const value = text(node);
  return isMarkupType(node) ? htmlToText(value) : collapse(value);
}

function bodyText(node: XmlNode | undefined, isAtom: boolean): string {
  if (node === undefined) return "";
  if (isAtom) return textConstruct(node);
  return htmlToText(text(node));
}

/** Video and podcast feeds (YouTube) put the only description in Media RSS. */
function mediaDescription(raw: RawFields): string {
  const node = first(raw, "media:description") ?? child(first(raw, "media:group"), "media:description");
  return node === undefined ? "" : isMarkupType(node) ? htmlToText(text(node)) : collapse(text(node));
}

function entryLink(raw: RawFields, isAtom: boolean, base: string | undefined): string | null {
  const resolveIn = (node: XmlNode | undefined, href: string | undefined) =>
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
function pickAtomLink(links: XmlNode[], alternateOnly = false): XmlNode | undefined {
  const withHref = links.filter((link) => attr(link, "href")?.trim());
  const alternates = withHref.filter((link) => (attr(link, "rel") ?? "alternate").trim() === "alternate");
  const html = alternates.find(
    (link) => (attr(link, "type") ?? "text/html").trim().toLowerCase() === "text/html",
  );
  return html ?? alternates[0] ?? (alternateOnly ? undefined : withHref[0]);
}

function entryId(raw: RawFields, isAtom: boolean): string | null {
  const value = isAtom
    ? text(first(raw, "id")).trim()
    : text(first(raw, "guid")).trim() || (attr(first(raw, "$"), "rdf:about")?.trim() ?? "");
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

function entryDate(raw: RawFields, isAtom: boolean): Date | null {
  for (const name of isAtom ? ATOM_DATE_FIELDS : RSS_DATE_FIELDS) {
    for (const node of nodes(raw, name)) {
      const date = parseDate(text(node));
      if (date) return date;
    }
  }
  return null;
}

function entryAuthor(raw: RawFields, isAtom: boolean): string | null {
  const candidates = isAtom
    ? nodes(raw, "author").map((node) => text(child(node, "name")) || text(node))
    : [
        ...["dc:creator", "author", "itunes:author"].flatMap((name) => nodes(raw, name).map(text)),
        ...nodes(raw, "a10:author").map((node) => text(child(node, "a10:name"))),
      ];
  for (const candidate of candidates) {
    const value = collapse(candidate);
    if (value) return value;
  }
  return null;
}

function entryCategories(raw: RawFields, isAtom: boolean): string[] {
  const values = isAtom
    ? nodes(raw, "category").map((node) => attr(node, "term") ?? attr(node, "label") ?? text(node))
    : [...nodes(raw, "category"), ...nodes(raw, "dc:subject")].map(text);
  return [...new Set(values.map(collapse).filter((value) => value.length > 0))];
}

/* ------------------------------------------------------------------ URLs */

function selfOrAlternate(raw: RawFields): string | undefined {
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

interface RootElement {
  name: string;
  attrs: Record<string, string>;
}

const RSS090_NAMESPACE = "http://my.netscape.com/rdf/simple/0.9/";

function detectFormat(root: RootElement): ParsedFeed["format"] {
  if (root.name === "feed") return "atom";
  if (root.name === "rss") return "rss2";
  if (root.name === "rdf:RDF") return root.attrs.xmlns === RSS090_NAMESPACE ? "rss090" : "rss1";
  return "unknown";
}

/* ------------------------------------------------------------------ sanitizing */

interface Sanitized {
  xml: string;
  root: RootElement | undefined;
}

interface OpenElement {
  name: string;
  /** Index in the output array of the start tag. */
  at: number;
  hasChildren: boolean;
  hasAttributes: boolean;
}

/** Elements whose content is text for us; markup written unescaped inside them is kept as an HTML string. */
const TEXT_ELEMENTS = new Set([
  "title",
  "subtitle",
  "summary",
  "content",
  "description",
  "content:encoded",
  "rights",
]);
const ENTRY_ELEMENTS = new Set(["item", "entry"]);
const XML_ENTITIES = new Set(["amp", "lt", "gt", "quot", "apos"]);
const NAME = /^[A-Za-z_\u00C0-\uFFFF][\w.:\-\u00B7\u00C0-\uFFFF]*$/;
const ATTRIBUTE = /([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing the characters XML 1.0 forbids is the point
const FORBIDDEN_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/**
 * Rewrites a possibly ill-formed document into well-formed XML that says the same thing, so the
 * strict reader underneath rss-parser can read it:
 * - the XML declaration, processing instructions, comments and anything outside the root go
 *   (a declaration after leading whitespace is a fatal error for strict readers);
 * - the DOCTYPE goes, so declared entities are never expanded (billion laughs, external entities);
 *   references to them stay as literal text;
 * - stray "&", control characters and HTML-only entities (&nbsp;) are escaped, removed or decoded;
 * - attributes are re-serialised quoted and de-duplicated;
 * - end tags close intervening unclosed elements, stray end tags are dropped, and a truncated
 *   document is closed after dropping its incomplete last item (nothing half-read becomes an item);
 * - an <rss> with no <channel> gets an empty one (rss-parser dereferences channel[0]), and an Atom
 *   <link> that holds its URL as text gets it as href (rss-parser reads the attributes of every link).
 */
function sanitizeXml(input: string): Sanitized {
  const out: string[] = [];
  const stack: OpenElement[] = [];
  let root: RootElement | undefined;
  let rootHasChannel = false;
  let i = 0;

  const closeTop = () => {
    const element = stack.pop();
    if (!element) return;
    if (element.name === "rss" && stack.length === 0 && !rootHasChannel) out.push("<channel/>");
    if (root?.name === "feed" && element.name === "link" && !element.hasAttributes && !element.hasChildren) {
      const href = markupAsHtml(out.splice(element.at + 1).join("")).trim();
      out[element.at] = `<link href="${href.replace(/"/g, "&quot;")}"/>`;
      return;
    }
    const insideText = stack.some((open) => TEXT_ELEMENTS.has(open.name));
    if (element.hasChildren && TEXT_ELEMENTS.has(element.name) && !insideText) {
      const inner = out.splice(element.at + 1).join("");
      out.push(toCdata(markupAsHtml(inner)));
    }
    out.push(`</${element.name}>`);
  };

  while (i < input.length) {
    if (root && stack.length === 0) break;
    const lt = input.indexOf("<", i);
    const textEnd = lt === -1 ? input.length : lt;
    if (textEnd > i) {
      if (stack.length > 0) out.push(escapeText(input.slice(i, textEnd)));
      i = textEnd;
      continue;
    }
    const skipTo = (terminator: string, from: number): boolean => {
      const end = input.indexOf(terminator, from);
      if (end === -1) return false;
      i = end + terminator.length;
      return true;
    };
    if (input.startsWith("<![CDATA[", i)) {
      const end = input.indexOf("]]>", i + 9);
      if (end === -1) break;
      if (stack.length > 0) out.push(input.slice(i, end + 3).replace(FORBIDDEN_CHARS, ""));
      i = end + 3;
      continue;
    }
    if (input.startsWith("<!--", i)) {
      if (!skipTo("-->", i + 4)) break;
      continue;
    }
    if (input.startsWith("<?", i)) {
      if (!skipTo("?>", i + 2)) break;
      continue;
    }
    if (/^<!doctype/i.test(input.slice(i, i + 9))) {
      const end = doctypeEnd(input, i + 9);
      if (end === -1) break;
      i = end;
      continue;
    }
    if (input.startsWith("<!", i)) {
      if (!skipTo(">", i + 2)) break;
      continue;
    }
    const end = tagEnd(input, i + 1);
    if (end === -1) {
      if (/^<\/?[A-Za-z_]/.test(input.slice(i, i + 2)) && !input.includes("<", i + 1)) {
        break;
      }
      if (stack.length > 0) out.push("&lt;");
      i += 1;
      continue;
    }
    const tag = input.slice(i + 1, end);
    i = end + 1;
    if (tag.startsWith("/")) {
      const name = tag.slice(1).trim();
      const depth = stack.findLastIndex((open) => open.name === name);
      if (depth === -1) continue;
      while (stack.length > depth) closeTop();
      continue;
    }
    const nameMatch = /^[^\s/>]+/.exec(tag);
    const name = nameMatch?.[0] ?? "";
    if (!NAME.test(name)) {
      if (stack.length > 0) out.push(escapeText(`<${tag}>`));
      continue;
    }
    const selfClosing = /\/\s*$/.test(tag);
    const attrs = readAttributes(tag.slice(name.length).replace(/\/\s*$/, ""));
    if (!root) root = { name, attrs: Object.fromEntries(attrs) };
    const parent = stack.at(-1);
    if (parent) parent.hasChildren = true;
    if (stack.length === 1 && name === "channel" && root.name === "rss") rootHasChannel = true;
    const serialised = attrs.map(([key, value]) => ` ${key}="${escapeAttribute(value)}"`).join("");
    out.push(`<${name}${serialised}${selfClosing ? "/" : ""}>`);
    if (!selfClosing)
      stack.push({ name, at: out.length - 1, hasChildren: false, hasAttributes: attrs.length > 0 });
  }

  if (stack.length > 0) {
    const entry = stack.findIndex((open) => ENTRY_ELEMENTS.has(open.name));
    if (entry > 0) {
      out.splice((stack[entry] as OpenElement).at);
      stack.length = entry;
    }
    while (stack.length > 0) closeTop();
  }
  return { xml: out.join(""), root };
}

/** Index just past the DOCTYPE's closing ">", skipping an internal subset in brackets; -1 if none. */
function doctypeEnd(input: string, from: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let j = from; j < input.length; j++) {
    const c = input[j];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "[") depth++;
    else if (c === "]") depth--;
    else if (c === ">" && depth <= 0) return j + 1;
  }
  return -1;
}

/** Index of the ">" that ends the tag starting before `from`, honouring quotes; -1 when a "<" comes first. */
function tagEnd(input: string, from: number): number {
  let quote: string | undefined;
  for (let j = from; j < input.length; j++) {
    const c = input[j];
    if (quote) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === ">") return j;
    if (c === "<") return -1;
    if ((c === '"' || c === "'") && /=\s*$/.test(input.slice(Math.max(from, j - 8), j))) quote = c;
  }
  return -1;
}

function readAttributes(source: string): Array<[string, string]> {
  const seen = new Map<string, string>();
  for (const m of source.matchAll(ATTRIBUTE)) {
    const name = m[1] ?? "";
    if (!NAME.test(name) || seen.has(name)) continue;
    seen.set(name, m[2] ?? m[3] ?? m[4] ?? name);
  }
  return [...seen];
}

function escapeText(value: string): string {
  return value
    .replace(FORBIDDEN_CHARS, "")
    .replace(
      /&(?:#(\d{1,8});|#[xX]([0-9a-fA-F]{1,8});|([A-Za-z][A-Za-z0-9]{0,31});)?/g,
      (match, dec?: string, hex?: string, name?: string) => {
        if (dec !== undefined || hex !== undefined) {
          const code = dec !== undefined ? Number(dec) : Number.parseInt(hex ?? "", 16);
          return isXmlChar(code) ? match : "";
        }
        if (name === undefined) return "&amp;";
        if (XML_ENTITIES.has(name)) return match;
        const decoded = decodeHtmlEntity(name);
        return decoded === undefined ? `&amp;${name};` : escapeMarkupChars(decoded);
      },
    )
    .replace(/</g, "&lt;");
}

function escapeAttribute(value: string): string {
  return escapeText(value).replace(/"/g, "&quot;");
}

function escapeMarkupChars(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

const htmlEntityCache = new Map<string, string | undefined>();

/** HTML named entities (&nbsp;, &eacute;...) that XML does not define; undefined when unknown. */
function decodeHtmlEntity(name: string): string | undefined {
  if (htmlEntityCache.has(name)) return htmlEntityCache.get(name);
  const reference = `&${name};`;
  const decoded = load(`<p>${reference}</p>`, null, false)("p").text();
  const result = decoded === reference || decoded.endsWith(";") ? undefined : decoded;
  htmlEntityCache.set(name, result);
  return result;
}

/** Serialised child markup to an HTML string: CDATA sections become escaped text. */
function markupAsHtml(xml: string): string {
  return xml.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_match, content: string) => escapeMarkupChars(content));
}

function toCdata(value: string): string {
  return `<![CDATA[${value.replace(/\]\]>/g, "]]]]><![CDATA[>")}]]>`;
}
