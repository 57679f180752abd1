import { describe, expect, it } from "vitest";
import {
  attribute,
  childElements,
  elementText,
  firstChild,
  readFeedXml,
  type XmlElement,
} from "../../shared/parse/feed-xml.ts";

function read(xml: string): XmlElement {
  const root = readFeedXml(xml);
  if (root === undefined) throw new Error("no root element");
  return root;
}

/** The text of the first element at the end of a path of child names. */
function textAt(root: XmlElement, ...path: string[]): string {
  let element: XmlElement | undefined = root;
  for (const name of path) element = firstChild(element, name);
  return elementText(element);
}

describe("readFeedXml", () => {
  it("reads nested elements in document order, with their text and CDATA", () => {
    const root = read(
      `<?xml version="1.0"?><!-- a comment --><rss><channel><title>News</title>` +
        `<item><title>One</title></item><item><title><![CDATA[Two & <b>more</b>]]></title></item>` +
        `</channel></rss>`,
    );
    const items = childElements(firstChild(root, "channel"), "item");
    expect(items.map((item) => textAt(item, "title"))).toEqual(["One", "Two & <b>more</b>"]);
    expect(textAt(root, "channel", "title")).toBe("News");
  });

  it("decodes the predefined and numeric references once, and HTML-only named ones", () => {
    const root = read("<t>&lt;p&gt; &amp;amp; &quot;&apos; &#65;&#x42; &nbsp;&eacute; &bogus; a & b</t>");
    expect(elementText(root)).toBe("<p> &amp; \"' AB \u00a0é &bogus; a & b");
  });

  it("drops references to characters XML forbids and the forbidden characters themselves", () => {
    expect(elementText(read("<t>a&#0;b&#xFFFE;c\u0001d\uFFFFe</t>"))).toBe("abcde");
  });

  it("never expands entities declared in the DOCTYPE", () => {
    const root = read('<!DOCTYPE t [<!ENTITY e "expanded">]><t>&e;</t>');
    expect(elementText(root)).toBe("&e;");
  });

  it("reads quoted, unquoted and valueless attributes, keeping the first of duplicates", () => {
    const root = read(`<t a="1" b='2' c=3 d a="dup" e = "&amp;x" 1bad="no"/>`);
    expect(root.attrs).toEqual(["a", "1", "b", "2", "c", "3", "d", "d", "e", "&x"]);
    expect(attribute(root, "c")).toBe("3");
    expect(attribute(root, "1bad")).toBeUndefined();
  });

  it("finds the end of a tag past a quoted value holding > and <", () => {
    const root = read(`<t><a title="x > y < z" href='/p'>text</a></t>`);
    const a = firstChild(root, "a");
    expect(attribute(a, "title")).toBe("x > y < z");
    expect(elementText(a)).toBe("text");
  });

  it("keeps a lone < and a tag-like fragment that is not a tag as text", () => {
    expect(elementText(read("<t>1 < 2 and <3 hearts></t>"))).toBe("1 < 2 and <3 hearts>");
  });

  it("closes elements left open by an end tag further up, and drops stray end tags", () => {
    const root = read("<r><a><b>x</a></c><d>y</d></r>");
    expect(textAt(root, "a", "b")).toBe("x");
    expect(textAt(root, "d")).toBe("y");
  });

  it("keeps markup written unescaped inside a text element as an HTML string", () => {
    const root = read(
      `<item><description>Intro <b class="x">bold &amp; <![CDATA[<raw>]]></b></description></item>`,
    );
    const description = firstChild(root, "description");
    expect(elementText(description)).toBe('Intro <b class="x">bold &amp; &lt;raw&gt;</b>');
    expect(description?.children).toBeUndefined();
  });

  it("gives an Atom link that holds its URL as text an href", () => {
    const root = read("<feed><entry><link> https://example.com/a </link></entry></feed>");
    const link = firstChild(firstChild(root, "entry"), "link");
    expect(attribute(link, "href")).toBe("https://example.com/a");
    expect(elementText(link)).toBe("");
  });

  it("drops the incomplete last item of a truncated document", () => {
    const root = read("<rss><channel><item><title>Whole</title></item><item><title>Cut sh");
    const items = childElements(firstChild(root, "channel"), "item");
    expect(items.map((item) => textAt(item, "title"))).toEqual(["Whole"]);
  });

  it("exposes whitespace-only text of an element with children or attributes as empty", () => {
    const root = read('<r>\n  <a x="1">  </a>\n  <b>  </b>\n</r>');
    expect(elementText(root)).toBe("");
    expect(textAt(root, "a")).toBe("");
    expect(textAt(root, "b")).toBe("  ");
  });

  it("finds no root in a document without elements", () => {
    expect(readFeedXml("<?xml version='1.0'?><!-- nothing -->")).toBeUndefined();
    expect(readFeedXml("")).toBeUndefined();
  });
});
