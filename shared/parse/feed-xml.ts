import { Parser } from "htmlparser2";
import { isSpace } from "./whitespace.ts";

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
  /**
   * Attributes as name, value, name, value... in document order, each name once; undefined when the
   * element has none. Elements carry a few attributes at most, and a list is cheaper to build than
   * an object per element.
   */
  attrs: string[] | undefined;
  /** The element's own character data (text and CDATA, not its children's), entity-decoded. */
  text: string;
  hasCdata: boolean;
  /**
   * Child elements in document order; undefined when there are none. A flat list rather than a
   * map by name: most elements have a handful of children, and a map per element cost more to
   * build than the lookups it saved.
   */
  children: XmlElement[] | undefined;
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
  const found: XmlElement[] = [];
  const children = element?.children;
  if (children === undefined) return found;
  for (const child of children) if (child.name === name) found.push(child);
  return found;
}

export function firstChild(element: XmlElement | undefined, name: string): XmlElement | undefined {
  const children = element?.children;
  if (children === undefined) return undefined;
  for (const child of children) if (child.name === name) return child;
  return undefined;
}

export function attribute(element: XmlElement | undefined, name: string): string | undefined {
  const attrs = element?.attrs;
  if (attrs === undefined) return undefined;
  for (let k = 0; k < attrs.length; k += 2) if (attrs[k] === name) return attrs[k + 1];
  return undefined;
}

/** Reads the document's root element with its subtree; undefined when there is no element at all. */
export function readFeedXml(input: string): XmlElement | undefined {
  return new FeedTreeBuilder(input).read();
}

const ENTRY_ELEMENTS = new Set(["item", "entry"]);
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding the characters XML 1.0 forbids is the point
const FORBIDDEN_CONTROL_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing the characters XML 1.0 forbids is the point
const FORBIDDEN_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const BLANK = /^\s*$/;
const LT = 0x3c;
const GT = 0x3e;
const BANG = 0x21;
const QUESTION = 0x3f;
const SLASH = 0x2f;
const EQUALS = 0x3d;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;
const HASH = 0x23;
const SEMICOLON = 0x3b;
const CDATA_OPEN = "<![CDATA[";

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

/**
 * Builds the element tree while it scans the document once: one method per construct read (text,
 * CDATA, declaration, start tag, end tag) and one per way an open element is closed.
 */
class FeedTreeBuilder {
  private readonly stack: Frame[] = [];
  private root: XmlElement | undefined;
  /** The serialised content of the outermost open text element, once it has a child element. */
  private markup: string[] | undefined;
  private pos = 0;
  /** Few documents hold a character XML forbids; only those have every text searched for one. */
  private readonly hasForbiddenChars: boolean;

  constructor(private readonly input: string) {
    this.hasForbiddenChars = hasForbiddenChar(input);
  }

  read(): XmlElement | undefined {
    let reading = true;
    while (reading) reading = this.readNext();
    this.dropIncompleteEntry();
    while (this.stack.length > 0) this.closeTop();
    return this.root;
  }

  /** Reads the next run of text or markup; false once the document or its root element has ended. */
  private readNext(): boolean {
    const { input, pos } = this;
    if (pos >= input.length || (this.root !== undefined && this.stack.length === 0)) return false;
    const lt = input.indexOf("<", pos);
    if (lt !== pos) return this.readText(lt === -1 ? input.length : lt);
    const next = input.charCodeAt(pos + 1);
    if (next === BANG && input.startsWith(CDATA_OPEN, pos)) return this.readCdata();
    if (next === BANG || next === QUESTION) return this.skipDeclaration();
    return this.readTag(next);
  }

  private readText(end: number): boolean {
    if (this.stack.length > 0) this.addText(this.input.slice(this.pos, end));
    this.pos = end;
    return true;
  }

  private readCdata(): boolean {
    const start = this.pos + CDATA_OPEN.length;
    const end = this.input.indexOf("]]>", start);
    if (end === -1) return false;
    this.addCdata(this.input.slice(start, end));
    this.pos = end + 3;
    return true;
  }

  private skipDeclaration(): boolean {
    const end = declarationEnd(this.input, this.pos);
    if (end === -1) return false;
    this.pos = end;
    return true;
  }

  private readTag(next: number): boolean {
    const start = this.pos + 1;
    const end = tagEnd(this.input, start);
    if (end === -1) return this.readStrayLessThan(next);
    this.pos = end + 1;
    if (next === SLASH) this.readEndTag(start + 1, end);
    else this.readStartTag(start, end);
    return true;
  }

  /** A "<" that starts no tag is text, unless it starts a tag the document was cut off in. */
  private readStrayLessThan(next: number): boolean {
    if (isNameStart(next) && !this.input.includes("<", this.pos + 1)) return false;
    this.addText("<");
    this.pos += 1;
    return true;
  }

  private readEndTag(start: number, end: number): void {
    const depth = this.openIndexOf(start, end);
    if (depth === -1) return;
    while (this.stack.length > depth) this.closeTop();
  }

  /** Stack index of the innermost open element named by the end tag's name at start..end; -1 if none. */
  private openIndexOf(start: number, end: number): number {
    const { stack, input } = this;
    const top = stack[stack.length - 1];
    if (top === undefined) return -1;
    // Names hold no whitespace, so an exact match needs no trimmed copy of the name.
    const topName = top.element.name;
    if (end - start === topName.length && input.startsWith(topName, start)) return stack.length - 1;
    const name = input.slice(start, end).trim();
    for (let depth = stack.length - 1; depth >= 0; depth--) {
      if (stack[depth]?.element.name === name) return depth;
    }
    return -1;
  }

  private readStartTag(start: number, end: number): void {
    const { input } = this;
    const nameEnd = xmlNameEnd(input, start, end);
    if (nameEnd === -1) {
      this.addText(`<${input.slice(start, end)}>`);
      return;
    }
    const name = input.slice(start, nameEnd);
    const slash = nameEnd === end ? -1 : selfClosingSlash(input, nameEnd, end);
    const attrs = nameEnd === end ? undefined : readAttributes(input, nameEnd, slash === -1 ? end : slash);
    const parent = this.stack[this.stack.length - 1];
    if (parent !== undefined) this.noteChild(parent);
    if (this.markup !== undefined) this.openInMarkup(this.markup, name, attrs, slash !== -1);
    else this.openInTree(parent, name, attrs, slash !== -1);
  }

  private openInTree(
    parent: Frame | undefined,
    name: string,
    attrs: string[] | undefined,
    selfClosing: boolean,
  ): void {
    const element = newElement(name, attrs && this.decodeValues(attrs));
    this.root ??= element;
    if (selfClosing) appendChild(parent?.element, element);
    else this.stack.push(treeFrame(element));
  }

  /** A text element's first child turns its content into markup from there on. */
  private noteChild(parent: Frame): void {
    parent.hasChildren = true;
    if (this.markup !== undefined || !parent.textElement) return;
    parent.serialised = (parent.pending ?? []).map((piece) =>
      piece.cdata ? `<![CDATA[${piece.text}]]>` : this.escape(piece.text),
    );
    this.markup = parent.serialised;
  }

  /**
   * An element inside a text element is written into that element's markup instead of the tree;
   * its frame only needs to know whether it has attributes (see isBareAtomLink), so they stay raw.
   */
  private openInMarkup(
    markup: string[],
    name: string,
    attrs: string[] | undefined,
    selfClosing: boolean,
  ): void {
    markup.push(`<${name}${this.serialiseAttributes(attrs)}${selfClosing ? "/" : ""}>`);
    if (!selfClosing) this.stack.push(markupFrame(newElement(name, attrs), markup));
  }

  private addText(raw: string): void {
    const top = this.stack[this.stack.length - 1];
    if (top === undefined) return;
    if (this.markup !== undefined) this.markup.push(this.escape(raw));
    else if (top.textElement) keepPending(top, { text: raw, cdata: false });
    if (top.markup === undefined) top.element.text += this.decode(raw);
  }

  private addCdata(content: string): void {
    const top = this.stack[this.stack.length - 1];
    if (top === undefined) return;
    const clean = this.withoutForbiddenChars(content);
    if (this.markup !== undefined) this.markup.push(`<![CDATA[${clean}]]>`);
    else if (top.textElement) keepPending(top, { text: clean, cdata: true });
    if (top.markup === undefined) {
      top.element.text += clean;
      top.element.hasCdata = true;
    }
  }

  private closeTop(): void {
    const frame = this.stack.pop();
    if (frame === undefined) return;
    if (frame.markup !== undefined) this.closeInMarkup(frame, frame.markup);
    else this.closeInTree(frame);
  }

  private closeInMarkup(frame: Frame, markup: string[]): void {
    if (!this.isBareAtomLink(frame)) {
      markup.push(`</${frame.element.name}>`);
      return;
    }
    const href = markupAsHtml(markup.splice(frame.at + 1).join("")).trim();
    markup[frame.at] = `<link href="${escapeQuotes(href)}"/>`;
  }

  private closeInTree(frame: Frame): void {
    const { element } = frame;
    if (frame.serialised !== undefined) {
      this.markup = undefined;
      element.text = markupAsHtml(frame.serialised.join(""));
      element.hasCdata = true;
    } else if (this.isBareAtomLink(frame)) {
      element.attrs = ["href", element.text.trim()];
      element.text = "";
      element.hasCdata = false;
    }
    appendChild(this.stack[this.stack.length - 1]?.element, element);
  }

  private isBareAtomLink({ element, hasChildren }: Frame): boolean {
    return (
      this.root?.name === "feed" && element.name === "link" && element.attrs === undefined && !hasChildren
    );
  }

  /** A document cut short loses its last entry rather than keeping it half-read. */
  private dropIncompleteEntry(): void {
    const entry = this.stack.findIndex((open) => ENTRY_ELEMENTS.has(open.element.name));
    if (entry <= 0) return;
    const dropped = this.stack[entry] as Frame;
    if (dropped.markup !== undefined) dropped.markup.length = dropped.at;
    else this.markup = undefined;
    this.stack.length = entry;
  }

  /** Decodes the values of a fresh name/value list in place. */
  private decodeValues(attrs: string[]): string[] {
    for (let k = 1; k < attrs.length; k += 2) attrs[k] = this.decode(attrs[k] as string);
    return attrs;
  }

  private serialiseAttributes(pairs: string[] | undefined): string {
    let serialised = "";
    if (pairs === undefined) return serialised;
    for (let k = 0; k + 1 < pairs.length; k += 2)
      serialised += ` ${pairs[k]}="${escapeQuotes(this.escape(pairs[k + 1] as string))}"`;
    return serialised;
  }

  /** Raw character data to its value: references decoded once, unknown ones kept literally. */
  private decode(raw: string): string {
    return decodeReferences(this.withoutForbiddenChars(raw));
  }

  /** Raw character data to escaped markup: the HTML string a text element's content becomes. */
  private escape(raw: string): string {
    return escapeReferences(this.withoutForbiddenChars(raw));
  }

  private withoutForbiddenChars(raw: string): string {
    return this.hasForbiddenChars ? raw.replace(FORBIDDEN_CHARS, "") : raw;
  }
}

function newElement(name: string, attrs: string[] | undefined): XmlElement {
  return { name, attrs, text: "", hasCdata: false, children: undefined };
}

function treeFrame(element: XmlElement): Frame {
  return {
    element,
    hasChildren: false,
    markup: undefined,
    at: 0,
    textElement: isTextElement(element.name),
    pending: undefined,
    serialised: undefined,
  };
}

/** A frame for an element inside a text element: its start tag was just serialised into `markup`. */
function markupFrame(element: XmlElement, markup: string[]): Frame {
  return {
    element,
    hasChildren: false,
    markup,
    at: markup.length - 1,
    textElement: false,
    pending: undefined,
    serialised: undefined,
  };
}

/**
 * Elements whose content is text for us; markup written unescaped inside them is kept as an HTML
 * string. Compared by length first: a set lookup had to hash every element name of the document.
 */
function isTextElement(name: string): boolean {
  switch (name.length) {
    case 5:
      return name === "title";
    case 6:
      return name === "rights";
    case 7:
      return name === "summary" || name === "content";
    case 8:
      return name === "subtitle";
    case 11:
      return name === "description";
    case 15:
      return name === "content:encoded";
    default:
      return false;
  }
}

function hasForbiddenChar(text: string): boolean {
  return FORBIDDEN_CONTROL_CHAR.test(text) || text.includes("\uFFFE") || text.includes("\uFFFF");
}

function keepPending(frame: Frame, piece: Piece): void {
  frame.pending ??= [];
  frame.pending.push(piece);
}

function appendChild(parent: XmlElement | undefined, child: XmlElement): void {
  if (parent === undefined) return;
  if (parent.children === undefined) parent.children = [child];
  else parent.children.push(child);
}

function isBlank(text: string): boolean {
  return text.length === 0 || (isSpace(text.charCodeAt(0)) && BLANK.test(text));
}

function isNameStart(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f;
}

/** /^[A-Za-z_\u00C0-\uFFFF][\w.:\-\u00B7\u00C0-\uFFFF]*$/, checked without a regex. */
function isXmlName(name: string): boolean {
  if (!isNameStartChar(name.charCodeAt(0))) return false;
  for (let k = 1; k < name.length; k++) if (!isNameChar(name.charCodeAt(k))) return false;
  return true;
}

function isNameStartChar(code: number): boolean {
  return isNameStart(code) || code >= 0xc0;
}

function isNameChar(code: number): boolean {
  if (isNameStart(code) || code >= 0xc0) return true;
  return (code >= 0x30 && code <= 0x3a) || code === 0x2e || code === 0x2d || code === 0xb7;
}

/**
 * End of the tag name that starts at `start`: the first whitespace, "/" or ">" before `end`; -1 when
 * the name is not an XML name (see isXmlName), checked in the same pass.
 */
function xmlNameEnd(input: string, start: number, end: number): number {
  const first = input.charCodeAt(start);
  let valid = isNameStartChar(first) && !isSpace(first);
  let k = start + 1;
  for (; k < end; k++) {
    const code = input.charCodeAt(k);
    if (code === SLASH || code === GT || isSpace(code)) break;
    if (!isNameChar(code)) valid = false;
  }
  return valid ? k : -1;
}

/** Index of the "/" that ends the tag's content before `end` (only whitespace after it), or -1. */
function selfClosingSlash(input: string, from: number, end: number): number {
  let k = end - 1;
  while (k >= from && isSpace(input.charCodeAt(k))) k--;
  return k >= from && input.charCodeAt(k) === SLASH ? k : -1;
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
  for (let j = from; j < input.length; j++) {
    const c = input.charCodeAt(j);
    if (c === GT) return j;
    if (c === LT) return -1;
    if ((c === DOUBLE_QUOTE || c === SINGLE_QUOTE) && opensValue(input, from, j)) {
      // Only its closing quote ends a quoted value: jump to it rather than reading the value.
      j = input.indexOf(c === DOUBLE_QUOTE ? '"' : "'", j + 1);
      if (j === -1) return -1;
    }
  }
  return -1;
}

function opensValue(input: string, from: number, quoteAt: number): boolean {
  const limit = Math.max(from, quoteAt - 8);
  let k = quoteAt - 1;
  while (k >= limit && isSpace(input.charCodeAt(k))) k--;
  return k >= limit && input.charCodeAt(k) === EQUALS;
}

/**
 * Attribute names and raw values written between `from` and `to`, as name, value, name, value...,
 * the first of duplicates kept; undefined when none. A name comes with no value when no quoted or
 * bare value follows its "=", and then its value is its name.
 */
function readAttributes(input: string, from: number, to: number): string[] | undefined {
  let pairs: string[] | undefined;
  let k = skipToAttributeName(input, from, to);
  while (k < to) {
    const nameEnd = attributeNameEnd(input, k, to);
    const name = input.slice(k, nameEnd);
    const valueAt = valueStart(input, nameEnd, to);
    const valueEnd = valueAt === -1 ? -1 : attributeValueEnd(input, valueAt, to);
    const quoted = valueEnd !== -1 && isQuote(input.charCodeAt(valueAt));
    const value = valueEnd === -1 ? name : input.slice(quoted ? valueAt + 1 : valueAt, valueEnd);
    if (isXmlName(name)) pairs = withAttribute(pairs, name, value);
    k = skipToAttributeName(input, valueEnd === -1 ? nameEnd : quoted ? valueEnd + 1 : valueEnd, to);
  }
  return pairs;
}

function withAttribute(pairs: string[] | undefined, name: string, value: string): string[] {
  if (pairs === undefined) return [name, value];
  for (let k = 0; k < pairs.length; k += 2) if (pairs[k] === name) return pairs;
  pairs.push(name, value);
  return pairs;
}

/** Characters that end an attribute name or separate attributes: whitespace, "=", "/", ">" and quotes. */
function isAttributeDelimiter(code: number): boolean {
  return code === EQUALS || code === SLASH || code === GT || isQuote(code) || isSpace(code);
}

function isQuote(code: number): boolean {
  return code === DOUBLE_QUOTE || code === SINGLE_QUOTE;
}

function skipToAttributeName(input: string, from: number, to: number): number {
  let k = from;
  while (k < to && isAttributeDelimiter(input.charCodeAt(k))) k++;
  return k;
}

function attributeNameEnd(input: string, from: number, to: number): number {
  let k = from;
  while (k < to && !isAttributeDelimiter(input.charCodeAt(k))) k++;
  return k;
}

/** Index of the value after the "=" that follows the name ending at `nameEnd` (spaces allowed around it), or -1. */
function valueStart(input: string, nameEnd: number, to: number): number {
  let k = nameEnd;
  while (k < to && isSpace(input.charCodeAt(k))) k++;
  if (k >= to || input.charCodeAt(k) !== EQUALS) return -1;
  k++;
  while (k < to && isSpace(input.charCodeAt(k))) k++;
  return k < to ? k : -1;
}

/** Index of a quoted value's closing quote, or just past a bare value; -1 when there is no value. */
function attributeValueEnd(input: string, start: number, to: number): number {
  const first = input.charCodeAt(start);
  if (isQuote(first)) {
    const close = input.indexOf(first === DOUBLE_QUOTE ? '"' : "'", start + 1);
    return close !== -1 && close < to ? close : -1;
  }
  let k = start;
  while (k < to && !isBareValueEnd(input.charCodeAt(k))) k++;
  return k > start ? k : -1;
}

function isBareValueEnd(code: number): boolean {
  return code === GT || isQuote(code) || isSpace(code);
}

function escapeQuotes(value: string): string {
  return value.replace(/"/g, "&quot;");
}

/** Character data (forbidden characters already removed) with its references decoded once. */
function decodeReferences(clean: string): string {
  return replaceReferences(clean, decodedReference);
}

/** Character data (forbidden characters already removed) as escaped markup. */
function escapeReferences(clean: string): string {
  if (!clean.includes("<")) return replaceReferences(clean, escapedReference);
  return replaceReferences(clean, escapedReference).replace(/</g, "&lt;");
}

/**
 * Replaces each "&" with `replace(text, at, end)`, where `end` is just past the reference it starts
 * (see referenceEnd) or -1 when it starts none; scanned by hand because a regex replace with a
 * callback was the slowest step of reading a feed full of escaped HTML.
 */
function replaceReferences(text: string, replace: (text: string, at: number, end: number) => string): string {
  let at = text.indexOf("&");
  if (at === -1) return text;
  let replaced = "";
  let copied = 0;
  while (at !== -1) {
    const end = referenceEnd(text, at);
    replaced += text.slice(copied, at) + replace(text, at, end);
    copied = end === -1 ? at + 1 : end;
    at = text.indexOf("&", copied);
  }
  return replaced + text.slice(copied);
}

function decodedReference(text: string, at: number, end: number): string {
  if (end === -1) return "&";
  if (text.charCodeAt(at + 1) === HASH) {
    const code = referenceCode(text, at, end);
    return isXmlChar(code) ? String.fromCodePoint(code) : "";
  }
  return (
    xmlEntityValue(text, at, end) ?? decodeHtmlEntity(text.slice(at + 1, end - 1)) ?? text.slice(at, end)
  );
}

function escapedReference(text: string, at: number, end: number): string {
  if (end === -1) return "&amp;";
  if (text.charCodeAt(at + 1) === HASH)
    return isXmlChar(referenceCode(text, at, end)) ? text.slice(at, end) : "";
  if (xmlEntityValue(text, at, end) !== undefined) return text.slice(at, end);
  const name = text.slice(at + 1, end - 1);
  const decoded = decodeHtmlEntity(name);
  return decoded === undefined ? `&amp;${name};` : escapeMarkupChars(decoded);
}

/**
 * Just past the ";" of the reference that starts with the "&" at `at`, or -1 when it starts none:
 * "&#" 1-8 digits ";", "&#x" 1-8 hex digits ";", or "&" a letter, up to 31 letters or digits, ";".
 */
function referenceEnd(text: string, at: number): number {
  const next = text.charCodeAt(at + 1);
  if (next === HASH) return numericReferenceEnd(text, at + 2);
  if (!isAsciiLetter(next)) return -1;
  const limit = Math.min(text.length, at + 33);
  let k = at + 2;
  while (k < limit && (isAsciiLetter(text.charCodeAt(k)) || isDigit(text.charCodeAt(k)))) k++;
  return text.charCodeAt(k) === SEMICOLON ? k + 1 : -1;
}

function numericReferenceEnd(text: string, from: number): number {
  const hex = (text.charCodeAt(from) | 0x20) === 0x78;
  const start = hex ? from + 1 : from;
  const limit = Math.min(text.length, start + 8);
  let k = start;
  while (k < limit && (hex ? isHexDigit(text.charCodeAt(k)) : isDigit(text.charCodeAt(k)))) k++;
  return k > start && text.charCodeAt(k) === SEMICOLON ? k + 1 : -1;
}

/** The code point a numeric reference (from "&" at `at` to just past ";" at `end`) names. */
function referenceCode(text: string, at: number, end: number): number {
  const hex = (text.charCodeAt(at + 2) | 0x20) === 0x78;
  return hex ? Number.parseInt(text.slice(at + 3, end - 1), 16) : Number(text.slice(at + 2, end - 1));
}

function xmlEntityValue(text: string, at: number, end: number): string | undefined {
  const length = end - at;
  if (length === 4 && text.startsWith("lt", at + 1)) return "<";
  if (length === 4 && text.startsWith("gt", at + 1)) return ">";
  if (length === 5 && text.startsWith("amp", at + 1)) return "&";
  if (length === 6 && text.startsWith("quot", at + 1)) return '"';
  if (length === 6 && text.startsWith("apos", at + 1)) return "'";
  return undefined;
}

function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isHexDigit(code: number): boolean {
  return isDigit(code) || ((code | 0x20) >= 0x61 && (code | 0x20) <= 0x66);
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
