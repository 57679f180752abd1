import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Parser } from "htmlparser2";
import { describe, expect, it } from "vitest";
import { decodeBody } from "../../shared/parse/charset.ts";
import { readFeedXml, type XmlElement } from "../../shared/parse/feed-xml.ts";
import { htmlToText } from "../../shared/parse/html-text.ts";
import { type MarkupHandler, scanMarkup } from "../../shared/parse/markup-scanner.ts";
import { externalDir, titled } from "../support/external-material.ts";

const corpus = externalDir("VECTORA_CORPUS_DIR");

/** Events as one string each; adjacent text joined, since where text is split says nothing about it. */
class Recorder implements MarkupHandler {
  readonly events: string[] = [];

  ontext(data: string): void {
    const last = this.events.at(-1);
    if (last?.startsWith("text:")) this.events[this.events.length - 1] = last + data;
    else this.events.push(`text:${data}`);
  }

  onopentag(name: string): void {
    this.events.push(`open:${name}`);
  }

  onclosetag(name: string): void {
    this.events.push(`close:${name}`);
  }
}

/** What htmlparser2's Parser reports, configured as htmlToText configures it, and what it adds on ending. */
function parserEvents(html: string): { events: string[]; onEnd: string[] } {
  const recorder = new Recorder();
  const parser = new Parser(recorder, { decodeEntities: false, lowerCaseAttributeNames: false });
  parser.write(html);
  const written = recorder.events.length;
  parser.end();
  return { events: recorder.events.slice(0, written), onEnd: recorder.events.slice(written) };
}

function scannerEvents(html: string): string[] | null {
  const recorder = new Recorder();
  return scanMarkup(html, recorder) ? recorder.events : null;
}

/** The scanner reports what the Parser reports, elements left open at the end aside. */
function expectSameAsParser(html: string): void {
  const scanned = scannerEvents(html);
  expect(scanned, html).not.toBeNull();
  const parsed = parserEvents(html);
  expect(scanned, html).toEqual(parsed.events);
  expect(
    parsed.onEnd.every((event) => event.startsWith("close:")),
    html,
  ).toBe(true);
}

/** A small seeded generator (mulberry32), so a failure names a case that can be run again. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = [
  ..."p div span a b i em strong br hr img wbr li ul ol dl dd dt table tr td th tbody thead tfoot".split(" "),
  ..."h1 h2 h3 blockquote pre figure figcaption section article header footer nav fieldset form".split(" "),
  ..."input select option optgroup button rt rp ruby body head link meta iframe noscript object".split(" "),
  ..."template font center P DIV Br LI Td scripts styles tx x-y my-element".split(" "),
];
const TEXTS = [
  ..."word|\n\t|a < b|x > y|&amp;|&nbsp;|&#8217;|&copy|é|5<6|<3|< /p>|<p<x>|<a\nhref=x>|<br/ >|</p\n>".split(
    "|",
  ),
  " ",
];

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)] as T;
}

function attributes(next: () => number): string {
  const options = [
    ' class="x"',
    " href='/a>b'",
    " data-x=1",
    " hidden",
    ' title = "q > r"',
    ' a="1"b="2"',
    " /",
    "/",
    " =odd",
    ' x="it\'s"',
  ];
  let out = "";
  while (next() < 0.4) out += pick(next, options);
  return out;
}

function fragment(next: () => number): string {
  const name = pick(next, NAMES);
  const roll = next();
  if (roll < 0.35) return `<${name}${attributes(next)}>`;
  if (roll < 0.6) return pick(next, [`</${name}>`, `</ ${name}>`, `</${name} x>`]);
  if (roll < 0.65)
    return pick(next, ["<!-- note -->", "<!---->", "<!-->", "<!--->", "<!-- a -- b -->", "</>"]);
  return pick(next, TEXTS);
}

function generated(seed: number): string {
  const next = random(seed);
  let html = "";
  const length = 1 + Math.floor(next() * 14);
  for (let k = 0; k < length; k++) html += fragment(next);
  return html;
}

describe("scanMarkup", () => {
  it("reports what htmlparser2's Parser reports on markup feed bodies are made of", () => {
    for (const html of [
      "<p>It ended.</p><p>Next one</p>",
      "line<br>next<br/>last</br>",
      "<ul><li>one<li>two</ul>three",
      "<p>a<div>b</p>c</div>d",
      "<p>a<fieldset>b</fieldset>",
      "<table><tr><td>1<td>2<tr><th>3</table>",
      "<dl><dt>a<dd>b<dt>c</dl>",
      "<a href=\"/x?a=1&amp;b=2\" title='>'>link</a> &amp; more",
      "before<!-- wp:paragraph -->after<!-- /wp:paragraph -->",
      "<div/>inside<img src=x/>",
      "x < y and y > z",
      "</p>stray</div>end",
      "<P CLASS=Lead>Shout</P>",
    ]) {
      expectSameAsParser(html);
    }
  });

  it("agrees with the Parser on 5,000 generated pieces of markup it does not give up on", () => {
    let compared = 0;
    for (let seed = 1; seed <= 5000; seed++) {
      const html = generated(seed);
      if (scannerEvents(html) === null) continue;
      expectSameAsParser(html);
      compared++;
    }
    // The generator mostly produces markup the scanner reads (what gives it up is rare in it).
    expect(compared).toBeGreaterThan(4000);
  });

  it("gives up on markup the Parser reads by rules of its own", () => {
    for (const html of [
      "<script>var a = '<p>';</script>",
      "<STYLE>p {}</STYLE>",
      "<title>T</title>",
      "<textarea>a&amp;b</textarea>",
      "<xmp><b></xmp>",
      "<tmp>x</tmp>",
      "<xitle>x</xitle>",
      "<svg><path/></svg>",
      "<math><mi>x</mi></math>",
      "a<script>var x = 1",
      "<Title>open only",
      "<tmp>open only",
      "<math><mi>x",
      "a<![CDATA[x]]>b",
      "<!DOCTYPE html><p>x",
      "<?xml version='1.0'?><p>x",
      "a</ 1>b",
      "a<p class='unclosed>b",
      "text <",
      "a<!-- never closed",
    ]) {
      expect(scannerEvents(html), html).toBeNull();
    }
  });
});

describe("htmlToText through the scanner", () => {
  it("separates words where the Parser's rules close an element", () => {
    expect(htmlToText("<p>a<fieldset>b</fieldset>")).toBe("a b");
    expect(htmlToText("<p>a<div>b</p>c</div>d")).toBe("a b c d");
    expect(htmlToText("a</div>b")).toBe("ab");
    expect(htmlToText("a</p>b")).toBe("a b");
  });
});

/** Every text element's content in a corpus document: titles and bodies, escaped HTML included. */
function textElements(element: XmlElement | undefined, into: string[] = []): string[] {
  if (element === undefined) return into;
  if (/^(title|description|summary|content|content:encoded)$/.test(element.name)) into.push(element.text);
  for (const child of element.children ?? []) textElements(child, into);
  return into;
}

describe.skipIf(!corpus.dir)(titled("scanMarkup over the feed corpus", corpus), () => {
  it("reports the Parser's events for every title and body of the corpus it reads, and reads most", () => {
    const dir = corpus.dir ?? "";
    const files = (JSON.parse(readFileSync(join(dir, "expected.json"), "utf8")) as { file: string }[]).map(
      (entry) => entry.file,
    );
    const markup = files
      .flatMap((file) =>
        textElements(
          readFeedXml(decodeBody(readFileSync(join(dir, file)), { contentType: null, kind: "xml" })),
        ),
      )
      .filter((text) => text.includes("<"));
    let read = 0;
    for (const html of markup) {
      if (scannerEvents(html) === null) continue;
      expectSameAsParser(html);
      read++;
    }
    expect(markup.length).toBeGreaterThan(500);
    expect(read / markup.length).toBeGreaterThan(0.9);
  });
});
