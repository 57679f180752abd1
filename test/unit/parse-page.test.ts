import { describe, expect, it } from "vitest";
import { ParseError, SelectorBrokenError } from "../../shared/errors/source-errors.ts";
import { parsePage } from "../../shared/parse/parse-page.ts";

const PAGE = "https://www.acme-pharma.example/media/press-releases/";

const LIST = `<!doctype html><html><head><title>Press</title><script>var x = "<li class='release'>";</script></head>
<body><ul>
  <li class="release">
    <span class="date">19 November 2026</span>
    <h3><a href="/media/press-releases/2026/label-extension/">Acme wins <em>label</em> extension</a></h3>
    <p class="teaser">Lund — the <b>EC</b> approved it.<br>Full text follows.</p>
  </li>
  <li class="release">
    <h3><a href="2026/q3-report.pdf">Interim report Q3 2026</a></h3>
    <time datetime="2026-11-12T07:00:00+01:00">12 Nov</time>
  </li>
  <li class="release">
    <h3><a href="https://news.acme-pharma.example/2026/10/28/jefferies-conference">Acme at Jefferies</a></h3>
  </li>
  <li class="release">
    <h3><a href="/media/undated-story">Published on 3 October 2026 — a story</a></h3>
  </li>
  <li class="release"><h3><a href="javascript:void(0)">Subscribe</a></h3></li>
</ul></body></html>`;

const SELECTORS = {
  item: "li.release",
  link: "h3 a",
  title: "h3",
  date: { selector: ".date" },
  summary: "p.teaser",
};

describe("parsePage", () => {
  const entries = parsePage(LIST, PAGE, SELECTORS);

  it("reads each item by the declared selectors, resolving relative links against the page", () => {
    expect(entries.map((e) => e.link)).toEqual([
      "https://www.acme-pharma.example/media/press-releases/2026/label-extension/",
      "https://www.acme-pharma.example/media/press-releases/2026/q3-report.pdf",
      "https://news.acme-pharma.example/2026/10/28/jefferies-conference",
      "https://www.acme-pharma.example/media/undated-story",
    ]);
    expect(entries[0]).toMatchObject({
      title: "Acme wins label extension",
      summary: "Lund — the EC approved it. Full text follows.",
      published: "2026-11-19T00:00:00.000Z",
      dateSource: "page_selector",
      isPdf: false,
    });
  });

  it("keeps PDF links as items titled from the link, dated by a <time datetime>", () => {
    expect(entries[1]).toMatchObject({
      title: "Interim report Q3 2026",
      isPdf: true,
      published: "2026-11-12T06:00:00.000Z",
      dateSource: "page_selector",
    });
  });

  it("falls back to a date in the URL, then in the item text, and never invents one", () => {
    expect(entries[2]).toMatchObject({ published: "2026-10-28T00:00:00.000Z", dateSource: "url" });
    expect(entries[3]).toMatchObject({ published: "2026-10-03T00:00:00.000Z", dateSource: "content_text" });
    const undated = parsePage(`<div class="n"><a href="/x">Plain title</a></div>`, PAGE, {
      item: ".n",
      link: "a",
    });
    expect(undated[0]).toMatchObject({ title: "Plain title", published: null, dateSource: "none" });
  });

  it("honours <base href> over the page URL", () => {
    const based = parsePage(
      `<html><head><base href="https://cdn.acme-pharma.example/fr/"></head><body><div class="n"><a href="communiques/a/">A</a></div></body></html>`,
      PAGE,
      { item: ".n", link: "a" },
    );
    expect(based[0]?.link).toBe("https://cdn.acme-pharma.example/fr/communiques/a/");
  });

  it("reads a date attribute with a declared locale", () => {
    const fr = parsePage(
      `<article><span class="d">18 novembre 2026</span><a href="/c/1">Communiqué</a></article>`,
      PAGE,
      { item: "article", link: "a", date: { selector: ".d", locale: "fr" } },
    );
    expect(fr[0]?.published).toBe("2026-11-18T00:00:00.000Z");
  });

  it("is selector_broken when the item selector matches nothing, never an empty list", () => {
    expect(() => parsePage(LIST, PAGE, { ...SELECTORS, item: "div.press-item" })).toThrow(
      SelectorBrokenError,
    );
  });

  it("is selector_broken when items match but the link selector finds no link in any of them", () => {
    expect(() => parsePage(LIST, PAGE, { ...SELECTORS, link: "a.read-more" })).toThrow(SelectorBrokenError);
    expect(() => parsePage(LIST, PAGE, { ...SELECTORS, link: "a.read-more" })).toThrow(/a\.read-more/);
  });

  it("reports a selector that is not valid CSS as a parse error naming it", () => {
    expect(() => parsePage(LIST, PAGE, { ...SELECTORS, item: "li[" })).toThrow(ParseError);
    expect(() => parsePage(LIST, PAGE, { ...SELECTORS, item: "li[" })).toThrow(/li\[/);
  });
});

describe("parsePage with the seed's extractor selectors", () => {
  const BOARD = `<html><body>
  <ul class="gnb"><li><a href="/eng/about.php">About</a></li><li><a href="/eng/pr/news.php">News</a></li></ul>
  <table class="board_list">
    <tr><th>No</th><th>Subject</th><th>Date</th></tr>
    <tr><td>12</td><td class="subject"><a href="news_view.php?idx=12">Phase 1 of PT320 completed</a></td><td class="date">2026.11.18</td></tr>
    <tr><td>11</td><td class="subject"><a href="news_view.php?idx=11">New GMP site</a></td><td class="date">2026.10.02</td></tr>
  </table></body></html>`;
  const selectors = {
    container: "table.board_list, table[class*='list'], main",
    item: "tr, li, div.news-item",
    title: "td.subject a, td[class*='title'] a, .title a, a",
    link: "td.subject a, td[class*='title'] a, .title a, a",
    date: { selector: "td.date, td[class*='date'], .date, time" },
    alternatives: true,
    date_formats: ["YYYY.M.D"],
  };

  it("scopes items to the first container, tries alternatives in order and resolves links against the page", () => {
    const entries = parsePage(BOARD, "https://www.peptron.example/eng/pr/news.php", selectors);
    expect(entries.map((e) => [e.title, e.link, e.published?.slice(0, 10), e.dateSource])).toEqual([
      [
        "Phase 1 of PT320 completed",
        "https://www.peptron.example/eng/pr/news_view.php?idx=12",
        "2026-11-18",
        "page_selector",
      ],
      [
        "New GMP site",
        "https://www.peptron.example/eng/pr/news_view.php?idx=11",
        "2026-10-02",
        "page_selector",
      ],
    ]);
  });

  it("keeps a comma inside an attribute selector as part of one alternative", () => {
    const page = `<main><div class="news,list"><article><a href="/a">A story</a></article></div></main>`;
    const entries = parsePage(page, "https://x.example/news/", {
      container: "div[class='news,list'], main",
      item: "article",
      link: "a",
      alternatives: true,
    });
    expect(entries.map((e) => e.link)).toEqual(["https://x.example/a"]);
  });
});
