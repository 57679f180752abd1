import type { CheerioAPI } from "cheerio/slim";
import type { AnyNode, Element, Text } from "domhandler";
import { collapseWhitespace } from "./whitespace.ts";

/**
 * The reading layout of an article page: its headline, the zones that are not the article (navigation,
 * sidebars, related stories, comments, cookie banners, the site footer) and the text blocks in reading
 * order. Dates are only believed where this layout says the article speaks about itself.
 */

/** A `<time datetime>` inside a block, at the text offsets its visible text occupies. */
export interface TimeMark {
  start: number;
  end: number;
  datetime: string;
  /** class and itemprop, which often say "published" or "updated". */
  hint: string;
}

export interface Block {
  owner: Element;
  /** Whitespace collapsed to single spaces. */
  text: string;
  times: TimeMark[];
}

export interface ArticleLayout {
  headline: Element | undefined;
  /** The element that holds the article the headline belongs to (article, main, or close ancestors). */
  root: Element | undefined;
  blocks: Block[];
  isNoise: (el: Element) => boolean;
}

const BLOCK_TAGS = new Set([
  "address",
  "article",
  "aside",
  "blockquote",
  "body",
  "dd",
  "details",
  "div",
  "dl",
  "dt",
  "fieldset",
  "footer",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "header",
  "hgroup",
  "li",
  "main",
  "nav",
  "ol",
  "p",
  "pre",
  "section",
  "summary",
  "table",
  "tbody",
  "td",
  "tfoot",
  "th",
  "thead",
  "tr",
  "ul",
]);

/** Never read: not visible text, or visible text about something else (captions, form controls). */
const SKIPPED_TAGS = new Set([
  "script",
  "style",
  "noscript",
  "template",
  "svg",
  "iframe",
  "figure",
  "figcaption",
  "select",
  "button",
  "form",
  "head",
  "video",
  "audio",
  "canvas",
  "object",
  "dialog",
]);

/** Inline tags that never separate words: "<b>Mar</b>ch" is one word, "<span>A</span><span>B</span>" two. */
const GLUED_TAGS = new Set([
  "a",
  "b",
  "strong",
  "i",
  "em",
  "u",
  "small",
  "sup",
  "sub",
  "abbr",
  "mark",
  "font",
  "s",
]);

const NOISE_TAGS = new Set(["nav", "aside", "menu"]);
const NOISE_ROLES = new Set([
  "navigation",
  "complementary",
  "contentinfo",
  "search",
  "dialog",
  "alertdialog",
]);

/**
 * Class or id words of page furniture: related and most-read lists, sidebars, comments, consent banners,
 * sharing bars, breadcrumbs, tickers, in English and the page languages. Stems match any word they
 * begin ("comment" in "commentaires"); short words only match whole ("ad" is not "address").
 */
const NOISE_STEMS =
  "related|relacionad|recommend|popular|trending|meistgelesen|sidebar|comment|coment|kommentar|cookie|" +
  "consent|onetrust|usercentrics|didomi|newsletter|advert|breadcrumb|ranking|colophon|pagination|" +
  "replies|responses|reviews|ticker|lire-aussi|voir-aussi";
const NOISE_WORDS =
  "also|most|mest|meist|mehr|lo-mas|plus-lus|autres|weitere|fler|senaste|ultimas|latest|recent|side|" +
  "side-box|rail|ads?|promo|share|sharing|social|menu|nav|masthead|top-bar|site-header|" +
  "site-footer|prev|previous|next|gdpr|cmp|read-next|more-news|more-stories|fil-ariane";
const NOISE_NAMES = new RegExp(`(?:^|[\\s_-])(?:(?:${NOISE_STEMS})|(?:${NOISE_WORDS})(?=$|[\\s_-]))`, "i");

export function isElement(node: AnyNode): node is Element {
  return "attribs" in node && "name" in node;
}

function isText(node: AnyNode): node is Text {
  return String(node.type) === "text";
}

export function tagOf(el: Element): string {
  return el.name.toLowerCase();
}

function ancestors(el: Element): Element[] {
  const list: Element[] = [];
  for (let node = el.parent; node && isElement(node); node = node.parent) list.push(node);
  return list;
}

export function contains(container: Element, el: Element): boolean {
  return el === container || ancestors(el).includes(container);
}

/** The page language ("fr", "en-US"), from `<html lang>`, `og:locale` or Content-Language. */
export function pageLocale($: CheerioAPI): string | undefined {
  const raw =
    $("html").attr("lang") ??
    $('meta[property="og:locale"]').attr("content") ??
    $('meta[http-equiv="content-language" i]').attr("content");
  const locale = raw?.trim().replace("_", "-");
  return locale ? locale : undefined;
}

function words(text: string): string[] {
  return (
    collapseWhitespace(text)
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/**
 * The page titles, and the part before a separator ("Headline | Site" -> "Headline"): the other parts
 * are usually the site's name, which the logo h1 would match perfectly.
 */
function titleVariants(titles: string[]): string[][] {
  const parts = titles.flatMap((title) => [title, title.split(/\s+[|–—:-]\s+/)[0] ?? title]);
  return parts.map(words).filter((w) => w.length > 0);
}

/** Words shared with the closest title variant, over the longer of the two: 1 for the article's headline. */
function titleSimilarity(heading: string, variants: string[][]): number {
  const headingWords = words(heading);
  let best = 0;
  for (const variant of variants) {
    const titleWords = new Set(variant);
    const shared = headingWords.filter((w) => titleWords.has(w)).length;
    best = Math.max(best, shared / Math.max(headingWords.length, titleWords.size));
  }
  return best;
}

function isStructuralNoise(el: Element): boolean {
  const tag = tagOf(el);
  return NOISE_TAGS.has(tag) || tag === "footer" || NOISE_ROLES.has(el.attribs.role ?? "");
}

/**
 * The article's headline: the h1 that best matches the page title (og:title, twitter:title, <title>),
 * outside navigation, sidebars and footers. An h2 wins only when it is the title and no h1 comes close
 * (sites whose h1 is the logo or the section name).
 */
function findHeadline($: CheerioAPI): Element | undefined {
  const variants = titleVariants(
    [
      $('meta[property="og:title"]').attr("content"),
      $('meta[name="twitter:title"]').attr("content"),
      $("title").first().text(),
    ].filter((t): t is string => Boolean(t?.trim())),
  );
  const ranked = (tag: string) =>
    $(tag)
      .toArray()
      .filter(isElement)
      .filter((el) => collapseWhitespace($(el).text()) && !ancestors(el).some(isStructuralNoise))
      .map((el, order) => ({ el, order, score: titleSimilarity($(el).text(), variants) }))
      .sort((a, b) => b.score - a.score || a.order - b.order);
  const h1 = ranked("h1")[0];
  const h2 = ranked("h2")[0];
  if (h2 && h2.score >= 0.8 && h2.score > (h1?.score ?? 0) + 0.2) return h2.el;
  return h1?.el ?? $("[itemprop~=headline]").toArray().filter(isElement)[0];
}

/**
 * The closest ancestor that holds the whole article: article, an Article itemscope or main. Without one,
 * the third ancestor up: enough to hold the byline and the text next to a headline, short of the page.
 */
function findArticleRoot($: CheerioAPI, headline: Element | undefined): Element | undefined {
  if (!headline) return $("article, [itemtype*=Article], main, [role=main]").toArray().find(isElement);
  const chain = ancestors(headline).filter((el) => !["html", "body"].includes(tagOf(el)));
  const marked = chain.find((el) => {
    const tag = tagOf(el);
    return (
      tag === "article" ||
      tag === "main" ||
      el.attribs.role === "main" ||
      /Article|BlogPosting|PressRelease/i.test(el.attribs.itemtype ?? "")
    );
  });
  return marked ?? chain[2] ?? chain.at(-1);
}

function noiseTest(headline: Element | undefined): (el: Element) => boolean {
  const keep = new Set(headline ? [headline, ...ancestors(headline)] : []);
  return (el) => {
    if (keep.has(el)) return false;
    const tag = tagOf(el);
    if (NOISE_TAGS.has(tag) || NOISE_ROLES.has(el.attribs.role ?? "")) return true;
    if (el.attribs.hidden !== undefined || el.attribs["aria-hidden"] === "true") return true;
    const insideArticle = ancestors(el).some((a) => tagOf(a) === "article");
    // Site header and footer; an article's own header and footer ("Posted on ...") are kept.
    if ((tag === "header" || tag === "footer" || el.attribs.role === "banner") && !insideArticle) return true;
    const names = `${el.attribs.class ?? ""} ${el.attribs.id ?? ""}`;
    return NOISE_NAMES.test(names);
  };
}

/** Builds blocks: text owned by the nearest block element, split where a nested block begins. */
class BlockWriter {
  readonly blocks: Block[] = [];
  private text = "";
  private times: TimeMark[] = [];
  private owners: Element[] = [];

  open(owner: Element): void {
    this.flush();
    this.owners.push(owner);
  }

  close(): void {
    this.flush();
    this.owners.pop();
  }

  write(raw: string): void {
    const piece = raw.replace(/\s+/g, " ");
    if (!piece) return;
    if (this.text === "" || this.text.endsWith(" ")) this.text += piece.replace(/^ /, "");
    else this.text += piece;
  }

  space(): void {
    if (this.text && !this.text.endsWith(" ")) this.text += " ";
  }

  get offset(): number {
    return this.text.length;
  }

  mark(start: number, datetime: string, hint: string): void {
    this.times.push({ start: Math.min(start, this.text.length), end: this.text.length, datetime, hint });
  }

  private flush(): void {
    const owner = this.owners.at(-1);
    const text = this.text.trimEnd();
    if (owner && (text || this.times.length > 0)) {
      const times = this.times.map((t) => ({ ...t, end: Math.min(t.end, text.length) }));
      this.blocks.push({ owner, text, times });
    }
    this.text = "";
    this.times = [];
  }
}

function walk(node: AnyNode, writer: BlockWriter, isNoise: (el: Element) => boolean): void {
  if (isText(node)) {
    writer.write(node.data);
    return;
  }
  if (!isElement(node)) return;
  const tag = tagOf(node);
  if (SKIPPED_TAGS.has(tag) || isNoise(node)) return;
  if (tag === "br") {
    writer.space();
    return;
  }
  const isBlock = BLOCK_TAGS.has(tag);
  if (isBlock) writer.open(node);
  else if (!GLUED_TAGS.has(tag)) writer.space();
  const start = writer.offset;
  for (const child of node.children) walk(child, writer, isNoise);
  const datetime = tag === "time" ? node.attribs.datetime?.trim() : undefined;
  if (datetime) writer.mark(start, datetime, `${node.attribs.class ?? ""} ${node.attribs.itemprop ?? ""}`);
  if (isBlock) writer.close();
  else if (!GLUED_TAGS.has(tag)) writer.space();
}

export function readLayout($: CheerioAPI): ArticleLayout {
  const headline = findHeadline($);
  const isNoise = noiseTest(headline);
  const writer = new BlockWriter();
  const body = $("body").toArray().find(isElement);
  // A fragment without <body> is read from its top-level nodes.
  for (const node of body ? [body] : $.root().contents().toArray()) walk(node, writer, isNoise);
  return { headline, root: findArticleRoot($, headline), blocks: writer.blocks, isNoise };
}

/** Whether `el` or one of its ancestors is page furniture. */
export function inNoise(el: Element, isNoise: (el: Element) => boolean): boolean {
  return isNoise(el) || ancestors(el).some(isNoise);
}
