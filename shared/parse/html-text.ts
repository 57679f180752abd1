import { Parser } from "htmlparser2";
import { scanMarkup } from "./markup-scanner.ts";
import { collapseWhitespace } from "./whitespace.ts";

/**
 * Elements whose content is never article text. A <head> inside an item body is not one of them:
 * HTML fragment parsing ignores <head> and <body> tags there, so a pasted document keeps its text.
 */
const DROPPED = new Set(["script", "style", "noscript", "template", "iframe", "object", "svg"]);

/** SVG and MathML content ends, as HTML parsing has it, at the first of these HTML start tags. */
const FOREIGN_BREAKOUT = new Set([
  "b",
  "big",
  "blockquote",
  "body",
  "br",
  "center",
  "code",
  "dd",
  "div",
  "dl",
  "dt",
  "em",
  "embed",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "head",
  "hr",
  "i",
  "img",
  "li",
  "listing",
  "menu",
  "meta",
  "nobr",
  "ol",
  "p",
  "pre",
  "ruby",
  "s",
  "small",
  "span",
  "strong",
  "strike",
  "sub",
  "sup",
  "table",
  "tt",
  "u",
  "ul",
  "var",
]);

/** Elements whose boundaries separate words; without a space there, "end.</p><p>Next" reads "end.Next". */
const BLOCKS = new Set([
  "address",
  "article",
  "aside",
  "blockquote",
  "br",
  "caption",
  "dd",
  "details",
  "div",
  "dl",
  "dt",
  "figcaption",
  "figure",
  "footer",
  "form",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "header",
  "hr",
  "img",
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

interface OpenElement {
  name: string;
  dropped: boolean;
  foreign: boolean;
}

/**
 * Keeps only the text of the markup events htmlparser2's Parser reports, or scanMarkup for the markup it
 * reads the same: item bodies are read once per feed entry, and building a DOM for each (then querying
 * it) cost more than the rest of the feed parse together. The parser reports an end tag for every start
 * tag it opened (void elements and implied closes included), so a stack that mirrors its own knows
 * whether text sits inside a dropped element.
 */
class TextCollector {
  text = "";
  private readonly open: OpenElement[] = [];

  /** Set while the parser leaves the references in text undecoded (see htmlToText). */
  constructor(public decodesText: boolean) {}

  onopentag(name: string): void {
    const parent = this.open.at(-1);
    let dropped = parent?.dropped ?? false;
    let foreign = parent?.foreign ?? false;
    if (foreign && FOREIGN_BREAKOUT.has(name)) ({ dropped, foreign } = this.leaveForeignContent());
    if (name === "svg" || name === "math") foreign = true;
    if (DROPPED.has(name)) dropped = true;
    if (!dropped && BLOCKS.has(name)) this.text += " ";
    this.open.push({ name, dropped, foreign });
  }

  onclosetag(name: string): void {
    const element = this.open.pop();
    if (element && !element.dropped && BLOCKS.has(name)) this.text += " ";
  }

  ontext(data: string): void {
    const element = this.open.at(-1);
    if (element?.dropped) return;
    // htmlparser2 hands over <textarea> content with its references undecoded; HTML decodes them.
    const undecoded = this.decodesText || element?.name === "textarea";
    this.text += undecoded && data.includes("&") ? decodeReferences(data) : data;
  }

  /**
   * htmlparser2 keeps the SVG/MathML elements open where an HTML parser closes them; they are made
   * transparent instead, taking the state of the element that encloses them.
   */
  private leaveForeignContent(): { dropped: boolean; foreign: boolean } {
    const outermost = this.open.findIndex((element) => element.foreign);
    const outside = this.open[outermost - 1];
    const state = { dropped: outside?.dropped ?? false, foreign: false };
    for (const element of this.open.slice(outermost)) Object.assign(element, state);
    return state;
  }
}

/** Start tags whose content htmlparser2's tokenizer reads apart from other text (and <titles>, say). */
const SPECIAL_CONTENT = /<(?:title|textarea|xmp)/i;

/**
 * The text of an HTML fragment (an item body, a teaser), whitespace collapsed. Most bodies are read by
 * scanMarkup, which reports what the Parser would at a fraction of its cost; the rest by the Parser.
 */
export function htmlToText(html: string): string {
  if (!html) return "";
  if (!/[<&]/.test(html)) return collapseWhitespace(html);
  const scanned = new TextCollector(true);
  if (scanMarkup(html, scanned)) return collapseWhitespace(scanned.text);
  return collapseWhitespace(parsedText(html));
}

/** The text of markup that needs htmlparser2's Parser (see scanMarkup). */
function parsedText(html: string): string {
  // A tokenizer that decodes references reads every character of text and attribute values one at
  // a time; one that does not skips ahead to the next "<" or quote. Decoding each piece of text
  // afterwards, with the same decoder, reads the same, except inside the elements whose content the
  // tokenizer decodes by its own rules: bodies with one of those are read the slow way.
  const parserDecodes = SPECIAL_CONTENT.test(html);
  const collector = new TextCollector(!parserDecodes);
  // Attribute names are never looked at, so they need no lower-casing.
  const parser = new Parser(collector, { decodeEntities: parserDecodes, lowerCaseAttributeNames: false });
  parser.write(html);
  // Text reported on ending is markup the input cut short ("</&amp;"), which stays as written.
  collector.decodesText = false;
  parser.end();
  return collector.text;
}

/** htmlparser2's decoding of references in text, with one parser reused for every piece. */
class ReferenceDecoder {
  private decoded = "";
  private readonly parser = new Parser(
    {
      ontext: (data: string) => {
        this.decoded += data;
      },
    },
    { decodeEntities: true },
  );

  decode(text: string): string {
    this.decoded = "";
    this.parser.reset();
    this.parser.end(text.replace(/</g, "&lt;"));
    return this.decoded;
  }
}

const referenceDecoder = new ReferenceDecoder();

function decodeReferences(text: string): string {
  return decodeCommonReferences(text) ?? referenceDecoder.decode(text);
}

const COMMON_ENTITIES = new Map([
  ["amp", "&"],
  ["lt", "<"],
  ["gt", ">"],
  ["quot", '"'],
  ["apos", "'"],
  ["nbsp", "\u00a0"],
]);
const DECIMAL = /^[0-9]{1,7}$/;
const HEXADECIMAL = /^[0-9a-f]{1,6}$/i;

/**
 * Text whose references are all of the few kinds most text holds ("&amp;", "&nbsp;", "&#8217;"...,
 * each closed by ";"), decoded without running a parser; undefined for any other text. Those decode
 * the same everywhere in HTML; what needs the full rules (legacy names without ";", code points
 * HTML replaces) is left to the parser.
 */
function decodeCommonReferences(text: string): string | undefined {
  let decoded = "";
  let copied = 0;
  for (let at = text.indexOf("&"); at !== -1; at = text.indexOf("&", copied)) {
    const end = text.indexOf(";", at);
    const value = end === -1 || end - at > 9 ? undefined : commonReference(text.slice(at + 1, end));
    if (value === undefined) return undefined;
    decoded += text.slice(copied, at) + value;
    copied = end + 1;
  }
  return decoded + text.slice(copied);
}

function commonReference(name: string): string | undefined {
  if (!name.startsWith("#")) return COMMON_ENTITIES.get(name);
  const hex = name[1] === "x" || name[1] === "X";
  const digits = name.slice(hex ? 2 : 1);
  if (!(hex ? HEXADECIMAL : DECIMAL).test(digits)) return undefined;
  const code = Number.parseInt(digits, hex ? 16 : 10);
  return isUnreplacedCodePoint(code) ? String.fromCodePoint(code) : undefined;
}

/** Code points a numeric reference stands for as they are (HTML replaces NUL, C1 controls, surrogates...). */
function isUnreplacedCodePoint(code: number): boolean {
  return (
    (code >= 0x20 && code < 0x7f) || (code >= 0xa0 && code < 0xd800) || (code >= 0xe000 && code <= 0x10ffff)
  );
}
