/**
 * The events htmlparser2's Parser reports for a piece of markup (HTML mode, entities left undecoded,
 * attributes not wanted), produced by a scan that jumps from one "<" to the next instead of reading
 * every character through a state machine. Item bodies are most of a feed's bytes, and reading them
 * through the Parser was the costliest step of parseFeed.
 *
 * It covers the markup feed bodies are made of: elements, attributes, comments, text. Markup that the
 * Parser reads by rules of their own makes `scanMarkup` give up (it returns false) so that the caller
 * reads it with the Parser: raw-text and escapable raw-text elements (script, style, title, textarea,
 * xmp), SVG and MathML, CDATA, declarations, processing instructions, bogus comments, and a tag or
 * comment the input cuts short. test/unit/markup-scanner.test.ts checks, on generated markup, that the
 * events are the Parser's whenever the scan does not give up.
 */

/** What htmlparser2's Parser calls, in the same order, with the same arguments (attributes aside). */
export interface MarkupHandler {
  ontext(data: string): void;
  onopentag(name: string): void;
  onclosetag(name: string): void;
}

/*
 * htmlparser2 10's tree rules (lib/Parser.ts, not exported): an element whose start tag closes the
 * open elements of the set while one of them is the current element, and the void elements.
 */
const FORM_TAGS = new Set(["input", "option", "optgroup", "select", "button", "datalist", "textarea"]);
const P_TAG = new Set(["p"]);
const TABLE_SECTION_TAGS = new Set(["thead", "tbody"]);
const DD_DT_TAGS = new Set(["dd", "dt"]);
const RT_RP_TAGS = new Set(["rt", "rp"]);
const P_CLOSERS = [
  ..."h1 h2 h3 h4 h5 h6 address article aside blockquote details div dl fieldset".split(" "),
  ..."figcaption figure footer form header hr main nav ol pre section table ul".split(" "),
];
const OPEN_IMPLIES_CLOSE = new Map<string, ReadonlySet<string>>([
  ["tr", new Set(["tr", "th", "td"])],
  ["th", new Set(["th"])],
  ["td", new Set(["thead", "th", "td"])],
  ["body", new Set(["head", "link", "script"])],
  ["li", new Set(["li"])],
  ["p", P_TAG],
  ...P_CLOSERS.map((name): [string, ReadonlySet<string>] => [name, P_TAG]),
  ...["select", "input", "output", "button", "datalist", "textarea"].map(
    (name): [string, ReadonlySet<string>] => [name, FORM_TAGS],
  ),
  ["option", new Set(["option"])],
  ["optgroup", new Set(["optgroup", "option"])],
  ["dd", DD_DT_TAGS],
  ["dt", DD_DT_TAGS],
  ["rt", RT_RP_TAGS],
  ["rp", RT_RP_TAGS],
  ["tbody", TABLE_SECTION_TAGS],
  ["tfoot", TABLE_SECTION_TAGS],
]);
const VOID_ELEMENTS = new Set(
  "area base basefont br col command embed frame hr img input isindex keygen link meta param source track wbr".split(
    " ",
  ),
);

/**
 * Elements the Parser reads apart, left to it: SVG and MathML, and the names its tokenizer takes for raw
 * text. It matches "title", "textarea" and "xmp" from their second letter on, after a "t" or an "x", so
 * "xitle", "xextarea" and "tmp" are raw text to it too.
 */
const LEFT_TO_PARSER = new Set([
  "svg",
  "math",
  "script",
  "style",
  ...["itle", "extarea", "mp"].flatMap((rest) => [`t${rest}`, `x${rest}`]),
]);

const GT = 0x3e;
/** What a reader of markup returns when what it looked at is text after all. */
const STAYS_TEXT = -2;
const SLASH = 0x2f;
const QUESTION = 0x3f;
const BANG = 0x21;
const EQUALS = 0x3d;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;

/** htmlparser2's whitespace: space, tab, line feed, form feed, carriage return. */
function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0c || c === 0x0d;
}

function isAsciiAlpha(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

function isEndOfTagName(c: number): boolean {
  return c === SLASH || c === GT || isWhitespace(c);
}

/**
 * Reports the markup's events to `handler`; false when the markup needs the Parser (see the top of this
 * file), after which the events reported so far are to be thrown away. The elements left open at the end
 * are not reported closed.
 */
export function scanMarkup(html: string, handler: MarkupHandler): boolean {
  return new MarkupScan(html, handler).run();
}

/** A start tag (`open`), an end tag (`close`) or a comment (neither), ending just before `end`. */
interface Tag {
  end: number;
  open?: string;
  close?: string;
}

class MarkupScan {
  /** Open elements, innermost last. */
  private readonly open: string[] = [];

  constructor(
    private readonly html: string,
    private readonly handler: MarkupHandler,
  ) {}

  run(): boolean {
    const { html } = this;
    let textStart = 0;
    let pos = 0;
    while (pos < html.length) {
      const lt = html.indexOf("<", pos);
      if (lt === -1) break;
      const tag = readTag(html, lt);
      if (tag === undefined) return false;
      if (tag === STAYS_TEXT) {
        pos = lt + 1;
        continue;
      }
      if (lt > textStart) this.handler.ontext(html.slice(textStart, lt));
      if (tag.open !== undefined) this.openElement(tag.open);
      else if (tag.close !== undefined) this.closeElement(tag.close);
      pos = tag.end;
      textStart = tag.end;
    }
    if (textStart < html.length) this.handler.ontext(html.slice(textStart));
    return true;
  }

  /** The Parser's emitOpenTag and endOpenTag: implied closes, the element, and a void element's close. */
  private openElement(name: string): void {
    const closes = OPEN_IMPLIES_CLOSE.get(name);
    if (closes !== undefined) {
      for (let top = this.open.at(-1); top !== undefined && closes.has(top); top = this.open.at(-1)) {
        this.open.pop();
        this.handler.onclosetag(top);
      }
    }
    const isVoid = VOID_ELEMENTS.has(name);
    if (!isVoid) this.open.push(name);
    this.handler.onopentag(name);
    if (isVoid) this.handler.onclosetag(name);
  }

  /** The Parser's onclosetag: closes up to the named element; "</p>" and "</br>" without one make one. */
  private closeElement(name: string): void {
    if (VOID_ELEMENTS.has(name)) {
      if (name === "br") {
        this.handler.onopentag("br");
        this.handler.onclosetag("br");
      }
      return;
    }
    const at = this.open.lastIndexOf(name);
    if (at !== -1) {
      while (this.open.length > at) this.handler.onclosetag(this.open.pop() as string);
    } else if (name === "p") {
      this.handler.onopentag("p");
      this.handler.onclosetag("p");
    }
  }
}

/**
 * What the "<" at `lt` starts: a tag or comment, text (STAYS_TEXT), or markup left to the Parser
 * (undefined).
 */
function readTag(html: string, lt: number): Tag | typeof STAYS_TEXT | undefined {
  const next = lt + 1 < html.length ? html.charCodeAt(lt + 1) : -1;
  if (isAsciiAlpha(next)) return readStartTag(html, lt + 1);
  if (next === SLASH) return readEndTag(html, lt + 2);
  if (next === BANG) return readComment(html, lt);
  // A "<" that starts nothing is text; at the very end the Parser keeps it undecoded, and "<?" starts a
  // processing instruction.
  return next === -1 || next === QUESTION ? undefined : STAYS_TEXT;
}

/** The start tag whose name begins at `from`. */
function readStartTag(html: string, from: number): Tag | undefined {
  let k = from + 1;
  while (k < html.length && !isEndOfTagName(html.charCodeAt(k))) k++;
  const name = html.slice(from, k).toLowerCase();
  if (LEFT_TO_PARSER.has(name)) return undefined;
  const end = startTagEnd(html, k);
  return end === -1 ? undefined : { end, open: name };
}

/** The end tag after "</" at `from`. */
function readEndTag(html: string, from: number): Tag | typeof STAYS_TEXT | undefined {
  let k = from;
  while (k < html.length && isWhitespace(html.charCodeAt(k))) k++;
  if (k >= html.length) return undefined;
  // The Parser leaves "</>" in the text; "</" followed by anything but a letter starts a bogus comment.
  if (html.charCodeAt(k) === GT) return STAYS_TEXT;
  if (!isAsciiAlpha(html.charCodeAt(k))) return undefined;
  const nameStart = k;
  while (k < html.length && html.charCodeAt(k) !== GT && !isWhitespace(html.charCodeAt(k))) k++;
  const name = html.slice(nameStart, k).toLowerCase();
  const gt = html.indexOf(">", k);
  return gt === -1 || LEFT_TO_PARSER.has(name) ? undefined : { end: gt + 1, close: name };
}

/** A comment: "<!--" up to the first "-->" ("<!-->" and "<!--->" included); any other "<!" is left. */
function readComment(html: string, lt: number): Tag | undefined {
  if (!html.startsWith("<!--", lt)) return undefined;
  const end = html.indexOf("-->", lt + 2);
  return end === -1 ? undefined : { end: end + 3 };
}

/**
 * Index past the ">" that ends a start tag whose name ends at `from`, with the Parser's attribute rules
 * (a quote opens a value only after "="); -1 when the input ends first.
 */
function startTagEnd(html: string, from: number): number {
  let k = from;
  while (k < html.length) {
    const c = html.charCodeAt(k);
    if (c === GT) return k + 1;
    if (c === SLASH || isWhitespace(c)) {
      k++;
      continue;
    }
    k = attributeEnd(html, k);
    if (k === -1) return -1;
  }
  return -1;
}

/** Index just past the attribute (name, then "=" and a value, if any) that starts at `from`; -1 at the end. */
function attributeEnd(html: string, from: number): number {
  let k = from + 1;
  while (k < html.length && html.charCodeAt(k) !== EQUALS && !isEndOfTagName(html.charCodeAt(k))) k++;
  let v = k;
  while (v < html.length && isWhitespace(html.charCodeAt(v))) v++;
  if (v >= html.length) return -1;
  if (html.charCodeAt(v) !== EQUALS) return k;
  v++;
  while (v < html.length && isWhitespace(html.charCodeAt(v))) v++;
  if (v >= html.length) return -1;
  const quote = html.charCodeAt(v);
  if (quote === DOUBLE_QUOTE || quote === SINGLE_QUOTE) {
    const close = html.indexOf(quote === DOUBLE_QUOTE ? '"' : "'", v + 1);
    return close === -1 ? -1 : close + 1;
  }
  while (v < html.length && html.charCodeAt(v) !== GT && !isWhitespace(html.charCodeAt(v))) v++;
  return v;
}
