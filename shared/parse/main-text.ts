/**
 * The main text of an article page, for items whose listing gives no usable teaser.
 *
 * Extraction is Mozilla's Readability (the Firefox Reader View engine) over a linkedom document.
 * Measured on the 38 pages of test/fixtures/articles/body (4-token shingles, see its README), as
 * F1 on tuning / holdout pages, median ms per page over both folders on this 2-core machine under
 * load, minified bundle with its DOM:
 *
 * | extractor                                 | tuning | holdout | ms/page | bundle |
 * | ----------------------------------------- | ------ | ------- | ------- | ------ |
 * | this module (Readability + clean-up)      | 0.985  | 0.982   | 5.3     | 476 KB |
 * | Readability 0.6.0 + linkedom alone        | 0.960  | 0.957   | 3.2     | 476 KB |
 * | defuddle 0.19.4 + linkedom                | 0.959  | 0.943   | 58.6    | 780 KB |
 * | @extractus/article-extractor 9.0.1        | 0.845  | 0.891   | 57–131  | 493 KB |
 *
 * Readability scored best of the libraries, is maintained by Mozilla, runs synchronously and is
 * already a dependency; defuddle (actively developed) was as good on tuning pages, worse on the
 * holdout and ten times slower; article-extractor wraps the same Readability and linkedom and
 * returned nothing for 4 of the 38 pages; @postlight/parser does not install from the registry
 * alone (git dependencies) and was last released in December 2024.
 *
 * Our clean-up on top, each step measured against the same pages (F1 tuning / holdout without it):
 * removing elements named or built as page furniture before Readability runs (0.966 / 0.967), and
 * dropping short link-dominated blocks such as "Read more: <link>" lines from its result
 * (0.980 / 0.976). The article check adds nothing to the scores; it only turns pages with no article
 * (error pages, app shells, link listings, consent walls) into null.
 *
 * Text format: blocks (paragraphs, headings, quotes) separated by a blank line, list items and table
 * rows by a single newline, whitespace collapsed within a block, no markup.
 */
import { isProbablyReaderable, Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";
import { collapseWhitespace } from "./whitespace.ts";

export interface MainTextOptions {
  /** Longest text returned, in UTF-16 code units; the text is cut at the last word boundary before it. */
  maxLength?: number;
}

const DEFAULT_MAX_LENGTH = 2000;

/**
 * The parts of the DOM used here. linkedom's and Readability's typings name the DOM library's types,
 * which this Node-only project does not load, so the shapes are spelled out.
 */
interface DomNode {
  readonly nodeType: number;
  readonly nodeValue: string | null;
  readonly firstChild: DomNode | null;
  readonly nextSibling: DomNode | null;
  readonly textContent: string | null;
}

interface DomElement extends DomNode {
  readonly tagName: string;
  readonly childNodes: Iterable<DomNode>;
  readonly firstElementChild: DomElement | null;
  readonly nextElementSibling: DomElement | null;
  getAttribute(name: string): string | null;
  querySelector(selectors: string): DomElement | null;
  querySelectorAll(selectors: string): Iterable<DomElement>;
  remove(): void;
  replaceWith(...nodes: Array<DomNode | string>): void;
}

interface DomDocument {
  readonly body: DomElement | null;
  querySelector(selectors: string): DomElement | null;
  querySelectorAll(selectors: string): Iterable<DomElement>;
}

export function mainText(html: string, url: string, opts: MainTextOptions = {}): string | null {
  const maxLength = opts.maxLength ?? DEFAULT_MAX_LENGTH;
  if (!(maxLength >= 1)) throw new RangeError(`maxLength must be at least 1, got ${maxLength}`);
  const text = cleanedText(html, url) ?? libraryFallback(html, url);
  return text === null ? null : cutAtWordBoundary(text, maxLength);
}

/** Readability after our clean-up; null when the clean-up leaves no article. */
function cleanedText(html: string, url: string): string | null {
  const document = parseDocument(html, url);
  if (document.body) flattenDeepNesting(document.body);
  removeBoilerplate(document);
  return articleTextOf(document);
}

/**
 * The clean-up can take too much on a template it was not measured on (a page built of elements whose
 * names read as furniture): when it leaves nothing but the untouched page reads as an article, the
 * library's own result serves, so the clean-up never does worse than the library alone.
 */
function libraryFallback(html: string, url: string): string | null {
  return articleTextOf(parseDocument(html, url));
}

/** Readability's article as text, its non-article blocks left out; null when the page is no article. */
function articleTextOf(document: DomDocument): string | null {
  if (!isProbablyReaderable(document, { minScore: READERABLE_MIN_SCORE })) return null;
  const content = readArticle(document);
  if (!content) return null;
  const blocks = new BlockCollector().collect(content).filter(isArticleBlock);
  return hasArticleBody(blocks) ? joinBlocks(blocks) : null;
}

/** The extractor's result as text with no clean-up of ours: the evaluation compares mainText against it. */
export function libraryText(html: string, url: string): string | null {
  const content = readArticle(parseDocument(html, url));
  return content ? joinBlocks(new BlockCollector().collect(content)) || null : null;
}

/**
 * Readability's default (20) turns down a short release of three 200-character paragraphs; at 10 a
 * page still needs one paragraph of about 240 characters, or several shorter ones.
 */
const READERABLE_MIN_SCORE = 10;

function readArticle(document: DomDocument): DomElement | null {
  const reader = new Readability<DomElement>(document, { serializer: (node) => node as DomElement });
  return reader.parse()?.content ?? null;
}

/**
 * linkedom builds an empty body unless the markup has explicit <html> and <body> tags, which HTML lets
 * a page leave out: the leading head elements go into a <head> and the rest into a <body>.
 */
function parseDocument(html: string, url: string): DomDocument {
  const { document } = parseHTML(/<body[\s>]/i.test(html) ? withHtmlTag(html) : withBody(html));
  withDocumentUrl(document as unknown as DomDocument, url);
  return document as unknown as DomDocument;
}

const HEAD_PART =
  /^(?:\s+|<!doctype[^>]*>|<!--[\s\S]*?-->|<\/?(?:html|head)\b[^>]*>|<(?:meta|link|base)\b[^>]*>|<(title|style|script|noscript)\b[^>]*>[\s\S]*?<\/\1\s*>)*/i;

function withBody(html: string): string {
  const head = HEAD_PART.exec(html)?.[0] ?? "";
  const headElements = head.replace(/<!doctype[^>]*>|<\/?(?:html|head)\b[^>]*>/gi, "");
  const body = html.slice(head.length).replace(/<\/html\s*>\s*$/i, "");
  return `<!DOCTYPE html><html><head>${headElements}</head><body>${body}</body></html>`;
}

function withHtmlTag(html: string): string {
  return /<html[\s>]/i.test(html) ? html : `<html>${html}</html>`;
}

/**
 * linkedom leaves documentURI undefined and baseURI unset without a <base>; Readability resolves links
 * against them, so they are given the page URL.
 */
function withDocumentUrl(document: DomDocument, url: string): void {
  const base = document.querySelector("base[href]")?.getAttribute("href");
  let baseUri = url;
  try {
    if (base) baseUri = new URL(base, url).href;
  } catch {
    baseUri = url;
  }
  Object.defineProperty(document, "documentURI", { value: url, configurable: true });
  Object.defineProperty(document, "baseURI", { value: baseUri, configurable: true });
}

/**
 * Readability's time grows faster than quadratically with nesting depth (800 nested divs took 10 s),
 * and unclosed tags in old pages nest every following element one level deeper. Elements deeper than
 * this are unwrapped into their ancestor at this depth; real article pages stay well within it.
 */
const MAX_DEPTH = 60;

function flattenDeepNesting(root: DomElement): void {
  const pending: Array<[DomElement, number]> = [[root, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [element, depth] = next;
    if (depth >= MAX_DEPTH) {
      unwrapDescendants(element);
      continue;
    }
    for (let child = element.firstElementChild; child; child = child.nextElementSibling) {
      pending.push([child, depth + 1]);
    }
  }
}

/**
 * Keeps the text, paragraphs (the parser never nests them, so they add no depth) and line breaks; a
 * space stands for each other boundary so words do not run together.
 */
function unwrapDescendants(element: DomElement): void {
  for (const descendant of [...element.querySelectorAll("*")]) {
    if (descendant.tagName === "BR" || descendant.tagName === "P") continue;
    descendant.replaceWith(" ", ...descendant.childNodes, " ");
  }
}

/**
 * Words of class names and ids that publisher templates give to page furniture (share and related
 * plugins, ad slots, newsletter boxes, bylines, captions, contacts). Matched against whole words of
 * a name, so "article-body" or "shared" are not taken for "ad" or "share".
 */
const BOILERPLATE_TOKEN =
  /^(ads?|adslot|advert\w*|sponsor\w*|promo\w*|newsletter\w*|subscri\w*|signup|paywall|regwall|share|sharebar|sharedaddy|sharing|social|related\w*|recommend\w*|readmore|caption|figcaption|legend|byline|author|bio|kicker|eyebrow|breadcrumbs?|crumbs|tags|topics|skip|dateline|timestamp|pubdate|date|meta|standfirst|dek|deck|subtitle|contacts?|comments?)$/;
/** A consent wall can be the whole page, so these go whatever share of the text they hold. */
const CONSENT_TOKEN = /^(cookie\w*|consent\w*|gdpr|cmp)$/;
const BOILERPLATE_CLASS = /^(screen-reader-text|sr-only|visually-hidden|visuallyhidden|skip-link)$/;
const SEMANTIC_BOILERPLATE = new Set(["NAV", "ASIDE", "FOOTER"]);
const ARTICLE_CONTAINER = "article, main, [itemprop=articleBody]";

/**
 * Some themes put such a name on the wrapper of the whole post: an element that holds the article
 * element or more than half of the page's text is kept.
 */
function removeBoilerplate(document: DomDocument): void {
  for (const element of document.querySelectorAll("script, style, noscript, template, figcaption"))
    element.remove();
  const body = document.body;
  if (!body) return;
  const pageLength = body.textContent?.length ?? 0;
  for (const element of [...body.querySelectorAll("[class], [id], nav, aside, footer")]) {
    const naming = boilerplateNaming(element);
    if (naming === "none" || element.querySelector(ARTICLE_CONTAINER)) continue;
    if (naming === "boilerplate" && (element.textContent?.length ?? 0) > pageLength / 2) continue;
    element.remove();
  }
}

function boilerplateNaming(element: DomElement): "consent" | "boilerplate" | "none" {
  const names = `${element.getAttribute("class") ?? ""} ${element.getAttribute("id") ?? ""}`.toLowerCase();
  let naming: "boilerplate" | "none" = SEMANTIC_BOILERPLATE.has(element.tagName.toUpperCase())
    ? "boilerplate"
    : "none";
  for (const name of names.split(/\s+/)) {
    if (BOILERPLATE_CLASS.test(name)) naming = "boilerplate";
    for (const token of name.split(/[^a-z0-9]+/)) {
      if (CONSENT_TOKEN.test(token)) return "consent";
      if (BOILERPLATE_TOKEN.test(token)) naming = "boilerplate";
    }
  }
  return naming;
}

/**
 * What is left of a page without an article is a heading or a footer line; the threshold is the one
 * Readability's own article check uses for a paragraph that counts.
 */
const MIN_BODY_LENGTH = 140;

function hasArticleBody(blocks: Block[]): boolean {
  let length = 0;
  for (const block of blocks) if (!block.heading) length += block.text.length;
  return length >= MIN_BODY_LENGTH;
}

/**
 * Readability keeps "Read more: <link>" lines and short link lists that sit inside the body; a
 * paragraph that merely contains links is kept.
 */
function isArticleBlock(block: Block): boolean {
  if (block.heading) return true;
  const words = block.text.split(" ").length;
  return !(words <= 30 && block.linkLength / block.text.length >= 0.5);
}

interface Block {
  text: string;
  /** List items and table rows: joined to their neighbours of the same kind by a single newline. */
  line: boolean;
  heading: boolean;
  /** Characters of the text that sit inside links. */
  linkLength: number;
}

const BLOCK_TAGS = new Set([
  "ADDRESS",
  "ARTICLE",
  "ASIDE",
  "BLOCKQUOTE",
  "DETAILS",
  "DIV",
  "DL",
  "FIGCAPTION",
  "FIGURE",
  "FOOTER",
  "FORM",
  "H1",
  "H2",
  "H3",
  "H4",
  "H5",
  "H6",
  "HEADER",
  "HR",
  "MAIN",
  "NAV",
  "OL",
  "P",
  "PRE",
  "SECTION",
  "SUMMARY",
  "TABLE",
  "TBODY",
  "TFOOT",
  "THEAD",
  "UL",
]);
const LINE_TAGS = new Set(["LI", "TR", "DT", "DD"]);
const CELL_TAGS = new Set(["TD", "TH"]);
const SKIPPED_TAGS = new Set([
  "SCRIPT",
  "STYLE",
  "NOSCRIPT",
  "TEMPLATE",
  "SVG",
  "BUTTON",
  "SELECT",
  "TEXTAREA",
]);

const TEXT_NODE = 3;
const ELEMENT_NODE = 1;

/** Walks the article element, starting a new block at every block-level boundary. */
class BlockCollector {
  readonly blocks: Block[] = [];
  private text = "";
  private linkText = "";
  private lineDepth = 0;
  private headingDepth = 0;
  private linkDepth = 0;

  collect(root: DomElement): Block[] {
    this.walk(root);
    this.flush();
    return this.blocks;
  }

  private walk(node: DomNode): void {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === TEXT_NODE) this.addText(child.nodeValue ?? "");
      else if (child.nodeType === ELEMENT_NODE) this.visit(child as DomElement);
    }
  }

  private visit(element: DomElement): void {
    const tag = element.tagName.toUpperCase();
    if (SKIPPED_TAGS.has(tag)) return;
    if (tag === "BR" || CELL_TAGS.has(tag)) {
      this.text += " ";
      this.walk(element);
      this.text += " ";
    } else if (LINE_TAGS.has(tag)) {
      this.flush();
      this.lineDepth++;
      this.walk(element);
      this.flush();
      this.lineDepth--;
    } else if (BLOCK_TAGS.has(tag)) {
      this.visitBlock(element, /^H[1-6]$/.test(tag));
    } else if (tag === "A") {
      this.linkDepth++;
      this.walk(element);
      this.linkDepth--;
    } else {
      this.walk(element);
    }
  }

  /** A paragraph inside a list item or a layout table cell is a paragraph, not a line. */
  private visitBlock(element: DomElement, heading: boolean): void {
    const outerLineDepth = this.lineDepth;
    this.flush();
    this.lineDepth = 0;
    if (heading) this.headingDepth++;
    this.walk(element);
    this.flush();
    if (heading) this.headingDepth--;
    this.lineDepth = outerLineDepth;
  }

  private addText(text: string): void {
    this.text += text;
    if (this.linkDepth > 0) this.linkText += text;
  }

  private flush(): void {
    const text = collapseWhitespace(this.text);
    if (text) {
      this.blocks.push({
        text,
        line: this.lineDepth > 0,
        heading: this.headingDepth > 0,
        linkLength: collapseWhitespace(this.linkText).length,
      });
    }
    this.text = "";
    this.linkText = "";
  }
}

function joinBlocks(blocks: Block[]): string {
  let text = "";
  let previous: Block | undefined;
  for (const block of blocks) {
    if (previous) text += previous.line && block.line ? "\n" : "\n\n";
    text += block.text;
    previous = block;
  }
  return text;
}

/**
 * Cuts at the last whitespace at or before maxLength, so no word is left half; the text is stored as
 * is, without an ellipsis, and never exceeds maxLength. A first word longer than maxLength is cut
 * inside, since nothing shorter can be returned.
 */
function cutAtWordBoundary(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  const head = text.slice(0, maxLength + 1);
  const boundary = head.search(/\s\S*$/);
  if (boundary > 0) return head.slice(0, boundary).trimEnd();
  return dropHalfSurrogate(text.slice(0, maxLength));
}

function dropHalfSurrogate(text: string): string {
  const last = text.charCodeAt(text.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? text.slice(0, -1) : text;
}
