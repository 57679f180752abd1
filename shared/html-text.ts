import { load } from "cheerio";

const DROPPED = "script, style, noscript, template, iframe, object, svg, head";

/** Elements whose boundaries separate words; without a space there, "end.</p><p>Next" reads "end.Next". */
const BLOCKS = [
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
].join(", ");

export function htmlToText(html: string): string {
  if (!html) return "";
  if (!/[<&]/.test(html)) return normaliseWhitespace(html);
  const $ = load(html, null, false);
  $(DROPPED).remove();
  $(BLOCKS).before(" ").after(" ");
  return normaliseWhitespace($.root().text());
}

function normaliseWhitespace(text: string): string {
  return text.replace(/[\s\u00a0]+/g, " ").trim();
}
