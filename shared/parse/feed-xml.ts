import { Parser } from "htmlparser2";

/**
 * A lenient, single-pass XML reader for feeds. It reads real-world documents that a strict XML
 * parser stops at, and builds the element tree directly while it reads:
 * - the XML declaration, processing instructions, comments and anything outside the root are skipped;
 * - the DOCTYPE is skipped, so declared entities are never expanded (billion laughs, external
 *   entities); references to them stay as literal text;
 * - stray "&", control characters and HTML-only entities (&nbsp;) are kept as text, removed or decoded;
 * - attributes are read quoted or not, the first of duplicates wins;
 * - end tags close intervening unclosed elements, stray end tags are dropped, and a truncated
 *   document is closed after dropping its incomplete last item (nothing half-read becomes an item);
 * - markup written unescaped inside a text element (title, description, content...) is kept as an
 *   HTML string, and an Atom <link> that holds its URL as text gets it as href.
 */

export interface XmlElement {
  readonly name: string;
  /** Attributes by name; undefined when the element has none. */
  attrs: Record<string, string> | undefined;
  /** The element's own character data (text and CDATA, not its children's), entity-decoded. */
  text: string;
  hasCdata: boolean;
  /** Child elements by name, each list in document order; undefined when there are none. */
  children: Map<string, XmlElement[]> | undefined;
}

/** The element's text as an xml2js-style reader exposes it (the shape rss-parser hands over). */
export function elementText(element: XmlElement | undefined): string {
  if (element === undefined) return "";
  const { text } = element;
  if ((element.attrs !== undefined || element.children !== undefined) && !element.hasCdata && isBlank(text))
    return "";
  return text;
}

export function childElements(element: XmlElement | undefined, name: string): XmlElement[] {
  return element?.children?.get(name) ?? [];
}

export function firstChild(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children?.get(name)?.[0];
}

export function attribute(element: XmlElement | undefined, name: string): string | undefined {
  return element?.attrs?.[name];
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
const XML_ENTITIES = new Map([
  ["amp", "&"],
  ["lt", "<"],
  ["gt", ">"],
  ["quot", '"'],
  ["apos", "'"],
]);
const NAME = /^[A-Za-z_\u00C0-\uFFFF][\w.:\-\u00B7\u00C0-\uFFFF]*$/;
const TAG_NAME = /^[^\s/>]+/;
const SELF_CLOSING = /\/\s*$/;
const ATTRIBUTE = /([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing the characters XML 1.0 forbids is the point
const FORBIDDEN_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing the characters XML 1.0 forbids is the point
const FORBIDDEN_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const REFERENCE = /&(?:#(\d{1,8});|#[xX]([0-9a-fA-F]{1,8});|([A-Za-z][A-Za-z0-9]{0,31});)?/g;
const BLANK = /^\s*$/;
const LT = 0x3c;
const BANG = 0x21;
const QUESTION = 0x3f;

interface Frame {
  element: XmlElement;
  hasChildren: boolean;
  /**
   * Set on an element inside a text element: it is serialised into that text element's markup
   * instead of becoming a node, and `at` is the index of its start tag there.
   */
  markup: string[] | undefined;
  at: number;
  /** Set on a text element that is not inside another one. */
  textElement: boolean;
  /** A text element's own character data until its first child shows up (it is rarely needed). */
  pending: Piece[] | undefined;
  /** A text element's content serialised, from its first child on. */
  serialised: string[] | undefined;
}

interface Piece {
  text: string;
  cdata: boolean;
}

/** Reads the document's root element with its subtree; undefined when there is no element at all. */
export function readFeedXml(input: string): XmlElement | undefined {
  const stack: Frame[] = [];
  let root: XmlElement | undefined;
  /** The serialised content of the outermost open text element, once it has a child element. */
  let markup: string[] | undefined;
  let i = 0;
  const length = input.length;

  const addText = (raw: string) => {
    const top = stack[stack.length - 1];
    if (!top) return;
    if (markup !== undefined) markup.push(escapeText(raw));
    else if (top.textElement) keepPending(top, { text: raw, cdata: false });
    if (top.markup === undefined) top.element.text += decodeText(raw);
  };

  const addCdata = (content: string) => {
    const top = stack[stack.length - 1];
    if (!top) return;
    const clean = FORBIDDEN_CHAR.test(content) ? content.replace(FORBIDDEN_CHARS, "") : content;
    if (markup !== undefined) markup.push(`<![CDATA[${clean}]]>`);
    else if (top.textElement) keepPending(top, { text: clean, cdata: true });
    if (top.markup === undefined) {
      top.element.text += clean;
      top.element.hasCdata = true;
    }
  };

  const closeTop = () => {
    const frame = stack.pop();
    if (!frame) return;
    const { element } = frame;
    const bareAtomLink =
      root?.name === "feed" && element.name === "link" && element.attrs === undefined && !frame.hasChildren;
    if (frame.markup !== undefined) {
      const out = frame.markup;
      if (bareAtomLink) {
        const href = markupAsHtml(out.splice(frame.at + 1).join("")).trim();
        out[frame.at] = `<link href="${href.replace(/"/g, "&quot;")}"/>`;
        return;
      }
      out.push(`</${element.name}>`);
      return;
    }
    if (frame.serialised !== undefined) {
      markup = undefined;
      element.text = markupAsHtml(frame.serialised.join(""));
      element.hasCdata = true;
    } else if (bareAtomLink) {
      element.attrs = Object.assign(Object.create(null) as Record<string, string>, {
        href: element.text.trim(),
      });
      element.text = "";
      element.hasCdata = false;
    }
    const parent = stack[stack.length - 1];
    if (parent) appendChild(parent.element, element);
  };

  while (i < length) {
    if (root && stack.length === 0) break;
    const lt = input.indexOf("<", i);
    const textEnd = lt === -1 ? length : lt;
    if (textEnd > i) {
      if (stack.length > 0) addText(input.slice(i, textEnd));
      i = textEnd;
      continue;
    }
    const next = input.charCodeAt(i + 1);
    if (next === BANG && input.startsWith("<![CDATA[", i)) {
      const end = input.indexOf("]]>", i + 9);
      if (end === -1) break;
      addCdata(input.slice(i + 9, end));
      i = end + 3;
      continue;
    }
    if (next === BANG || next === QUESTION) {
      const end = declarationEnd(input, i);
      if (end === -1) break;
      i = end;
      continue;
    }
    const end = tagEnd(input, i + 1);
    if (end === -1) {
      if (isNameStart(next) && !input.includes("<", i + 1)) break;
      addText("<");
      i += 1;
      continue;
    }
    const tag = input.slice(i + 1, end);
    i = end + 1;
    if (next === 0x2f) {
      const name = tag.slice(1).trim();
      const depth = stack.findLastIndex((open) => open.element.name === name);
      if (depth === -1) continue;
      while (stack.length > depth) closeTop();
      continue;
    }
    const name = TAG_NAME.exec(tag)?.[0] ?? "";
    if (!NAME.test(name)) {
      addText(`<${tag}>`);
      continue;
    }
    const plain = name.length === tag.length;
    const selfClosing = !plain && SELF_CLOSING.test(tag);
    const rawAttrs = plain ? undefined : readAttributes(tag.slice(name.length).replace(SELF_CLOSING, ""));
    const parent = stack[stack.length - 1];
    if (parent) {
      parent.hasChildren = true;
      if (markup === undefined && parent.textElement) {
        parent.serialised = (parent.pending ?? []).map((piece) =>
          piece.cdata ? `<![CDATA[${piece.text}]]>` : escapeText(piece.text),
        );
        markup = parent.serialised;
      }
    }
    const element: XmlElement = {
      name,
      attrs: rawAttrs && decodeAttributes(rawAttrs),
      text: "",
      hasCdata: false,
      children: undefined,
    };
    if (!root) root = element;
    if (markup !== undefined) {
      const serialisedAttrs =
        rawAttrs?.map(([key, value]) => ` ${key}="${escapeAttribute(value)}"`).join("") ?? "";
      markup.push(`<${name}${serialisedAttrs}${selfClosing ? "/" : ""}>`);
      if (!selfClosing)
        stack.push({
          element,
          hasChildren: false,
          markup,
          at: markup.length - 1,
          textElement: false,
          pending: undefined,
          serialised: undefined,
        });
      continue;
    }
    if (selfClosing) {
      if (parent) appendChild(parent.element, element);
      continue;
    }
    stack.push({
      element,
      hasChildren: false,
      markup: undefined,
      at: 0,
      textElement: TEXT_ELEMENTS.has(name),
      pending: undefined,
      serialised: undefined,
    });
  }

  if (stack.length > 0) {
    const entry = stack.findIndex((open) => ENTRY_ELEMENTS.has(open.element.name));
    if (entry > 0) {
      const dropped = stack[entry] as Frame;
      if (dropped.markup !== undefined) dropped.markup.length = dropped.at;
      else markup = undefined;
      stack.length = entry;
    }
    while (stack.length > 0) closeTop();
  }
  return root;
}

function keepPending(frame: Frame, piece: Piece): void {
  frame.pending ??= [];
  frame.pending.push(piece);
}

function appendChild(parent: XmlElement, child: XmlElement): void {
  parent.children ??= new Map();
  const siblings = parent.children.get(child.name);
  if (siblings) siblings.push(child);
  else parent.children.set(child.name, [child]);
}

function isBlank(text: string): boolean {
  return text.length === 0 || BLANK.test(text);
}

function isNameStart(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f;
}

/** Index just past the comment, processing instruction or declaration at `start`; -1 if it never ends. */
function declarationEnd(input: string, start: number): number {
  const past = (terminator: string, from: number) => {
    const end = input.indexOf(terminator, from);
    return end === -1 ? -1 : end + terminator.length;
  };
  if (input.startsWith("<!--", start)) return past("-->", start + 4);
  if (input.startsWith("<?", start)) return past("?>", start + 2);
  if (/^<!doctype/i.test(input.slice(start, start + 9))) return doctypeEnd(input, start + 9);
  return past(">", start + 2);
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

/**
 * Index of the ">" that ends the tag starting before `from`, honouring quotes that open an
 * attribute value (an "=" at most 8 characters back, across whitespace); -1 when a "<" comes first.
 */
function tagEnd(input: string, from: number): number {
  let quote = 0;
  for (let j = from; j < input.length; j++) {
    const c = input.charCodeAt(j);
    if (quote !== 0) {
      if (c === quote) quote = 0;
      continue;
    }
    if (c === 0x3e) return j;
    if (c === LT) return -1;
    if ((c === 0x22 || c === 0x27) && opensValue(input, from, j)) quote = c;
  }
  return -1;
}

function opensValue(input: string, from: number, quoteAt: number): boolean {
  const limit = Math.max(from, quoteAt - 8);
  let k = quoteAt - 1;
  while (k >= limit && /\s/.test(input[k] as string)) k--;
  return k >= limit && input.charCodeAt(k) === 0x3d;
}

/** Attribute names and raw values as written, the first of duplicates kept; undefined when none. */
function readAttributes(source: string): Array<[string, string]> | undefined {
  let attrs: Array<[string, string]> | undefined;
  ATTRIBUTE.lastIndex = 0;
  for (let m = ATTRIBUTE.exec(source); m !== null; m = ATTRIBUTE.exec(source)) {
    const name = m[1] ?? "";
    if (!NAME.test(name) || attrs?.some(([seen]) => seen === name)) continue;
    attrs ??= [];
    attrs.push([name, m[2] ?? m[3] ?? m[4] ?? name]);
  }
  return attrs;
}

function decodeAttributes(raw: Array<[string, string]>): Record<string, string> {
  const attrs = Object.create(null) as Record<string, string>;
  for (const [name, value] of raw) attrs[name] = decodeText(value);
  return attrs;
}

function escapeAttribute(value: string): string {
  return escapeText(value).replace(/"/g, "&quot;");
}

/** Raw character data to its value: references decoded once, unknown ones kept literally. */
function decodeText(raw: string): string {
  const clean = FORBIDDEN_CHAR.test(raw) ? raw.replace(FORBIDDEN_CHARS, "") : raw;
  if (!clean.includes("&")) return clean;
  return clean.replace(REFERENCE, (match, dec?: string, hex?: string, name?: string) => {
    if (dec !== undefined || hex !== undefined) {
      const code = dec !== undefined ? Number(dec) : Number.parseInt(hex ?? "", 16);
      return isXmlChar(code) ? String.fromCodePoint(code) : "";
    }
    if (name === undefined) return "&";
    return XML_ENTITIES.get(name) ?? decodeHtmlEntity(name) ?? match;
  });
}

/** Raw character data to escaped markup: the HTML string a text element's content becomes. */
function escapeText(raw: string): string {
  const clean = FORBIDDEN_CHAR.test(raw) ? raw.replace(FORBIDDEN_CHARS, "") : raw;
  if (!clean.includes("&") && !clean.includes("<")) return clean;
  return clean
    .replace(REFERENCE, (match, dec?: string, hex?: string, name?: string) => {
      if (dec !== undefined || hex !== undefined) {
        const code = dec !== undefined ? Number(dec) : Number.parseInt(hex ?? "", 16);
        return isXmlChar(code) ? match : "";
      }
      if (name === undefined) return "&amp;";
      if (XML_ENTITIES.has(name)) return match;
      const decoded = decodeHtmlEntity(name);
      return decoded === undefined ? `&amp;${name};` : escapeMarkupChars(decoded);
    })
    .replace(/</g, "&lt;");
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
  let decoded = "";
  new Parser(
    {
      ontext: (text: string) => {
        decoded += text;
      },
    },
    { decodeEntities: true },
  ).end(reference);
  // A known name read as a shorter legacy one plus text ("&notit;" -> "¬it;") is not that entity.
  const result = decoded === reference || decoded.endsWith(";") ? undefined : decoded;
  // Names come from the document: a feed full of made-up ones must not grow the cache for good.
  if (htmlEntityCache.size >= 4096) htmlEntityCache.clear();
  htmlEntityCache.set(name, result);
  return result;
}

/** Serialised child markup to an HTML string: CDATA sections become escaped text. */
function markupAsHtml(xml: string): string {
  return xml.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_match, content: string) => escapeMarkupChars(content));
}
