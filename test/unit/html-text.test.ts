import { describe, expect, it } from "vitest";
import { htmlToText } from "../../shared/parse/html-text.ts";

describe("htmlToText", () => {
  it("separates words at paragraph boundaries instead of gluing them", () => {
    expect(htmlToText("<p>It ended.</p><p>Next one</p>")).toBe("It ended. Next one");
  });

  it("separates words at br, list items, headings and table cells", () => {
    expect(htmlToText("line<br>next<br/>last")).toBe("line next last");
    expect(htmlToText("<ul><li>alpha</li><li>beta</li></ul>")).toBe("alpha beta");
    expect(htmlToText("<h2>Title</h2><div>Body</div>")).toBe("Title Body");
    expect(htmlToText("<table><tr><td>1</td><td>2</td></tr><tr><td>3</td></tr></table>")).toBe("1 2 3");
  });

  it("keeps inline markup inside a word", () => {
    expect(htmlToText("<b>bold</b>face and <a href='/x'>a link</a>.")).toBe("boldface and a link.");
  });

  it("removes script, style, noscript and template content", () => {
    const html =
      "<p>Kept</p><script>var x = 'dropped';</script><style>p { color: red }</style>" +
      "<noscript>enable js</noscript><template><p>tpl</p></template><p>too</p>";
    expect(htmlToText(html)).toBe("Kept too");
  });

  it("drops comments", () => {
    expect(htmlToText("before<!-- hidden -->after")).toBe("beforeafter");
  });

  it("decodes entities once", () => {
    expect(htmlToText("<p>Fish &amp; Chips &eacute;t&eacute; &#8230; &amp;quot;</p>")).toBe(
      "Fish & Chips été … &quot;",
    );
  });

  it("collapses whitespace including non-breaking spaces and trims", () => {
    expect(htmlToText("\n  <p>  a \t b&nbsp;&nbsp;c </p>\n")).toBe("a b c");
  });

  it("passes plain text through, entity-decoded and whitespace-normalised", () => {
    expect(htmlToText("  plain   text\n with &amp; entity  ")).toBe("plain text with & entity");
    expect(htmlToText("no markup at all")).toBe("no markup at all");
    expect(htmlToText("")).toBe("");
  });

  it("keeps a lone less-than sign that is not a tag", () => {
    expect(htmlToText("x < y and y > z")).toBe("x < y and y > z");
  });

  it("drops iframe, object and svg content too", () => {
    const html =
      "<p>a</p><iframe>frame</iframe><object><param>obj</object><svg><text>icon</text></svg><p>b</p>";
    expect(htmlToText(html)).toBe("a b");
  });

  it("separates words where a paragraph or list item ends implicitly", () => {
    expect(htmlToText("<p>one<div>two</div>")).toBe("one two");
    expect(htmlToText("<ul><li>one<li>two</ul>three")).toBe("one two three");
  });

  it("keeps the text of a whole HTML document pasted into an item body", () => {
    const html = "<html><head><title>T</title><style>p {}</style></head><body><p>Body</p></body></html>";
    expect(htmlToText(html)).toBe("T Body");
  });

  it("reads on where an HTML element ends an unclosed svg", () => {
    expect(htmlToText("<svg><text>icon</text><p>out</p>tail")).toBe("out tail");
  });

  it("decodes references inside a textarea", () => {
    expect(htmlToText("<textarea>a&amp;b &lt;c&gt;</textarea>")).toBe("a&b <c>");
  });
});
