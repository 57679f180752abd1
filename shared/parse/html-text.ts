import { Parser } from "htmlparser2";

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
 * Streams the markup through htmlparser2's tokenizer and keeps only the text: item bodies are read
 * once per feed entry, and building a DOM for each (then querying it) cost more than the rest of
 * the feed parse together. The parser reports an end tag for every start tag it opened (void
 * elements, implied and end-of-input closes included), so a stack that mirrors its own knows
 * whether text sits inside a dropped element.
 */
class TextCollector {
  text = "";
  private readonly open: OpenElement[] = [];

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
    this.text += element?.name === "textarea" && data.includes("&") ? decodeReferences(data) : data;
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

export function htmlToText(html: string): string {
  if (!html) return "";
  if (!/[<&]/.test(html)) return normaliseWhitespace(html);
  const collector = new TextCollector();
  const parser = new Parser(collector, { decodeEntities: true });
  parser.end(html);
  return normaliseWhitespace(collector.text);
}

function decodeReferences(text: string): string {
  let decoded = "";
  new Parser({ ontext: (data: string) => (decoded += data) }, { decodeEntities: true }).end(
    text.replace(/</g, "&lt;"),
  );
  return decoded;
}

function normaliseWhitespace(text: string): string {
  return text.replace(/[\s\u00a0]+/g, " ").trim();
}
