import path from "node:path";
import { describe, expect, it } from "vitest";
import { type ArticleDateOptions, articleDate } from "../../shared/parse/article-date.ts";
import { evaluateFolder, formatMisses, formatScore } from "../support/dating-eval.ts";

/** The fixture pages were captured at the end of June 2025; dates after this are not publications. */
const NOW = new Date("2025-07-01T00:00:00Z");
const URL = "https://news.example/articles/story";

interface PageParts {
  lang?: string;
  head?: string;
  /** Markup inside `<article>`, after the headline. */
  article?: string;
  /** Markup inside `<article>`, before the headline. */
  kicker?: string;
  /** Markup around the article: site header, sidebars, footers. */
  before?: string;
  after?: string;
}

const BODY_TEXT =
  "<p>The city council approved the budget after a long debate on Tuesday evening, with the final vote " +
  "coming shortly before midnight and most members praising the compromise that was reached.</p>";

function page(parts: PageParts): string {
  return `<!DOCTYPE html><html lang="${parts.lang ?? "en"}"><head><meta charset="utf-8">
<title>Council approves the budget | Example News</title>${parts.head ?? ""}</head><body>
<header class="site-header"><a href="/">Example News</a><nav><a href="/local">Local</a></nav></header>
${parts.before ?? ""}
<main><article>${parts.kicker ?? ""}<h1>Council approves the budget</h1>${parts.article ?? BODY_TEXT}</article></main>
${parts.after ?? ""}
<footer class="site-footer"><p>&copy; 2025 Example News</p></footer></body></html>`;
}

function day(html: string, url = URL, opts: ArticleDateOptions = { now: NOW }): string | null {
  return articleDate(html, url, opts)?.date.toISOString().slice(0, 10) ?? null;
}

function source(html: string, url = URL): string | null {
  return articleDate(html, url, { now: NOW })?.source ?? null;
}

describe("articleDate: what the page declares (page_meta)", () => {
  it("reads article:published_time as a UTC instant, which can move the calendar day", () => {
    const html = page({
      head: '<meta property="article:published_time" content="2025-04-02T07:30:00+09:00">',
    });
    expect(articleDate(html, URL, { now: NOW })).toEqual({
      date: new Date("2025-04-01T22:30:00.000Z"),
      source: "page_meta",
    });
  });

  it("never takes article:modified_time for the publication", () => {
    const head = '<meta property="article:modified_time" content="2025-03-20T10:00:00Z">';
    expect(day(page({ head }))).toBeNull();
    const both = `${head}<meta property="article:published_time" content="2025-03-03T10:00:00Z">`;
    expect(day(page({ head: both }))).toBe("2025-03-03");
  });

  it.each([
    ['<meta name="parsely-pub-date" content="2024-10-14T13:22:00Z">', "2024-10-14"],
    [`<meta name="parsely-page" content='{"title": "x", "pub_date": "2024-05-29T10:00:00Z"}'>`, "2024-05-29"],
    ['<meta name="sailthru.date" content="2025-01-22 09:00:00">', "2025-01-22"],
    ['<meta name="DC.date.issued" content="2024-07-09">', "2024-07-09"],
    ['<meta name="citation_publication_date" content="2024/06/21">', "2024-06-21"],
    ['<meta property="og:regDate" content="20250312153000">', "2025-03-12"],
    ['<meta name="dcterms.created" content="20241105">', "2024-11-05"],
  ])("reads %s", (head, expected) => {
    expect(day(page({ head }))).toBe(expected);
    expect(source(page({ head }))).toBe("page_meta");
  });

  it("prefers Open Graph over analytics vocabularies", () => {
    const head =
      '<meta name="sailthru.date" content="2025-01-21"><meta property="article:published_time" content="2025-01-22">';
    expect(day(page({ head }))).toBe("2025-01-22");
  });

  it("reads the JSON-LD article, not the organisation, breadcrumb or related items", () => {
    const graph = {
      "@context": "https://schema.org",
      "@graph": [
        { "@type": "Organization", name: "Example", foundingDate: "1998-05-01" },
        {
          "@type": "ItemList",
          itemListElement: [
            { "@type": "ListItem", item: { "@type": "NewsArticle", datePublished: "2025-02-01" } },
          ],
        },
        { "@type": "BreadcrumbList", itemListElement: [] },
        {
          "@type": "NewsArticle",
          headline: "Council approves the budget",
          datePublished: "2025-03-18T12:30:00Z",
        },
      ],
    };
    const head = `<script type="application/ld+json">${JSON.stringify(graph)}</script>`;
    expect(day(page({ head }))).toBe("2025-03-18");
  });

  it("reads the article that is the mainEntity of a WebPage, not its related links", () => {
    const node = {
      "@type": "WebPage",
      relatedLink: [{ "@type": "NewsArticle", datePublished: "2024-12-30" }],
      mainEntity: { "@type": "NewsArticle", datePublished: "2025-01-09T16:40:00Z" },
    };
    const head = `<script type="application/ld+json">${JSON.stringify(node)}</script>`;
    expect(day(page({ head }))).toBe("2025-01-09");
  });

  it("tells several article nodes apart by URL, and trusts none it cannot tell apart", () => {
    const nodes = [
      { "@type": "NewsArticle", url: "https://news.example/articles/other", datePublished: "2025-01-02" },
      { "@type": "NewsArticle", url: `${URL}/`, datePublished: "2025-01-05" },
    ];
    const head = `<script type="application/ld+json">${JSON.stringify(nodes)}</script>`;
    expect(day(page({ head }))).toBe("2025-01-05");
    expect(day(page({ head }), "https://news.example/elsewhere")).toBeNull();
  });

  it("falls back to a WebPage datePublished when no article node exists", () => {
    const node = { "@type": "WebPage", url: URL, datePublished: "2024-04-16T14:02:11+00:00" };
    const head = `<script type="application/ld+json">${JSON.stringify(node)}</script>`;
    expect(day(page({ head }))).toBe("2024-04-16");
  });

  it("survives malformed JSON-LD", () => {
    const head =
      '<script type="application/ld+json">{not json</script><meta property="article:published_time" content="2025-02-02">';
    expect(day(page({ head }))).toBe("2025-02-02");
  });

  it("reads microdata of the headline's scope, not of teasers marked up as articles", () => {
    const teaser =
      '<section class="trending"><div itemscope itemtype="https://schema.org/NewsArticle">' +
      '<meta itemprop="datePublished" content="2025-01-28"><span itemprop="headline">Other</span></div></section>';
    const html = `<html><body>${teaser}<div itemscope itemtype="https://schema.org/NewsArticle">
      <h1 itemprop="headline">Council approves the budget</h1>
      <time itemprop="datePublished" datetime="2025-01-30T10:05:00Z">30 January 2025</time>${BODY_TEXT}</div></body></html>`;
    expect(day(html)).toBe("2025-01-30");
    expect(source(html)).toBe("page_meta");
  });

  it("refuses a declared date after the fetch time", () => {
    const head = '<meta property="article:published_time" content="2025-09-01T00:00:00Z">';
    expect(day(page({ head }))).toBeNull();
    expect(day(page({ head }), URL, {})).toBe("2025-09-01");
  });
});

describe("articleDate: what the page shows with its headline (content_text)", () => {
  it("reads the byline under the headline", () => {
    const html = page({
      article: `<p class="byline">Posted on March 12, 2025 by admin | 2 Comments</p>${BODY_TEXT}`,
    });
    expect(articleDate(html, URL, { now: NOW })).toEqual({
      date: new Date("2025-03-12T00:00:00.000Z"),
      source: "content_text",
    });
  });

  it("reads the date line above the headline within the article header", () => {
    expect(day(page({ kicker: '<p class="meta">Press release · 12 May 2025 08:00</p>' }))).toBe("2025-05-12");
  });

  it("takes Published over an Updated that is written first", () => {
    const article = `<div class="meta"><span>Updated March 20, 2025</span> · <span>Published March 3, 2025</span></div>${BODY_TEXT}`;
    expect(day(page({ article }))).toBe("2025-03-03");
  });

  it("reads the machine value of a <time> and skips the one classed as updated", () => {
    const article =
      '<div class="entry-meta"><time class="updated" datetime="2024-11-07T10:40:00-05:00">Nov 7</time>' +
      `<time class="entry-date published" datetime="2024-11-05T22:15:00-05:00">Nov 5</time></div>${BODY_TEXT}`;
    expect(day(page({ article }))).toBe("2024-11-06");
  });

  it("reads a dateline that opens the text", () => {
    const article =
      '<p><span class="legend">BOSTON</span>, Feb. 4, 2025 /Wire/ -- Northgate Biologics today announced ' +
      "positive results from its trial. Full results will be presented on March 8, 2025 at the meeting.</p>";
    expect(day(page({ article }))).toBe("2025-02-04");
  });

  it.each([
    [
      "fr",
      "<p><strong>Paris, le 1er avril 2025</strong> – Lumavia annonce l'ouverture d'un site à Lyon.</p>",
      "2025-04-01",
    ],
    [
      "de",
      "<p>Ingelheim, 12. März 2025 – Die Kommission hat das Präparat heute zugelassen, teilte das Unternehmen mit.</p>",
      "2025-03-12",
    ],
    [
      "es",
      "<p><strong>Madrid, 12 de marzo de 2025.-</strong> Farmalia ha recibido la autorización de comercialización.</p>",
      "2025-03-12",
    ],
    [
      "sv",
      "<p>Stockholm den 18 februari 2025 – Medivia AB meddelar idag att bolaget erhållit ett patent i USA.</p>",
      "2025-02-18",
    ],
    [
      "en",
      "<p>CAMBRIDGE, Mass., March 12, 2025 (WIRE) -- Ardent Pharmaceuticals today announced the acceptance.</p>",
      "2025-03-12",
    ],
  ])("reads the %s dateline %s", (lang, article, expected) => {
    expect(day(page({ lang, article }))).toBe(expected);
  });

  it.each([
    ["en", "By Jane Doe | March 12, 2025", "2025-03-12"],
    ["en", "Sept. 5, 2024", "2024-09-05"],
    ["en-GB", "Wed 12 Mar 2025 14.30 GMT", "2025-03-12"],
    ["en-US", "Published 03/12/2025 4:15 PM", "2025-03-12"],
    ["en-GB", "Published: 12/03/2025", "2025-03-12"],
    ["fr", "Publié le 12 mars 2025 par la rédaction", "2025-03-12"],
    ["fr", "Publié le 05/03/2025 à 14h30", "2025-03-05"],
    ["de", "Veröffentlicht am 12. März 2025", "2025-03-12"],
    ["de", "12.03.2025 – 10:15", "2025-03-12"],
    ["es", "Publicado el 12 de marzo de 2025, 10:35", "2025-03-12"],
    ["es", "Redacción | 12/03/2025 - 14:20h", "2025-03-12"],
    ["sv", "Publicerad 2025-03-12 14:30", "2025-03-12"],
    ["sv", "Pressmeddelande · 12 mars 2025 08:00", "2025-03-12"],
    ["ko", "입력 2025.03.12 15:00", "2025-03-12"],
    ["ko", "2025년 3월 12일", "2025-03-12"],
    ["ko", "기사입력 2025-03-12 오후 3:00", "2025-03-12"],
  ])("reads the %s byline %j", (lang, byline, expected) => {
    expect(day(page({ lang, article: `<div class="byline">${byline}</div>${BODY_TEXT}` }))).toBe(expected);
  });

  it("leaves a slashed date unread when the page language does not settle the order", () => {
    const html = page({ article: `<p class="byline">03/04/2025</p>${BODY_TEXT}` }).replace(' lang="en"', "");
    expect(day(html)).toBeNull();
  });

  it("reads a field label in the block before the date", () => {
    const article = `<dl class="info"><dt>작성일</dt><dd>2025년 3월 12일</dd><dt>조회수</dt><dd>1,204</dd></dl>${BODY_TEXT}`;
    expect(day(page({ lang: "ko", article }))).toBe("2025-03-12");
  });

  it("answers the earliest of several unlabelled dates by the headline", () => {
    const article = `<p class="meta">April 8, 2025</p><p class="meta">April 9, 2025</p>${BODY_TEXT}`;
    expect(day(page({ article }))).toBe("2025-04-08");
  });
});

describe("articleDate: finding the headline", () => {
  it("takes the h2 that is the title when the h1 is the site's name", () => {
    const html = `<html><head><title>Council approves the budget | Example News</title></head><body>
      <div class="brand"><h1>Example News</h1><p class="today">June 3, 2025</p></div>
      <div class="story"><h2>Council approves the budget</h2><p class="byline">March 12, 2025</p>${BODY_TEXT}</div>
      </body></html>`;
    expect(day(html)).toBe("2025-03-12");
  });

  it("takes the h1 that matches the title among several", () => {
    const html = `<html><head><meta property="og:title" content="Council approves the budget"></head><body>
      <div class="promo-box"><h1>Subscribe today</h1><p>Offer ends June 30, 2025</p></div>
      <div class="story"><h1>Council approves the budget</h1><p class="byline">March 12, 2025</p>${BODY_TEXT}</div>
      </body></html>`;
    expect(day(html)).toBe("2025-03-12");
  });

  it("without a headline, reads the start of the article element", () => {
    const html = `<html><body><article><time datetime="2025-02-16">16 Feb</time>${BODY_TEXT}</article></body></html>`;
    expect(day(html)).toBe("2025-02-16");
  });
});

describe("articleDate: traps", () => {
  it("does not take a copyright year or a footer 'last updated'", () => {
    const after =
      '<footer><p>&copy; 2024 Example Ltd.</p><p class="last-updated">Page last updated: 14 February 2025</p></footer>';
    expect(day(page({ after }))).toBeNull();
  });

  it("does not take the dates of related articles, sidebars or most-read lists", () => {
    const before =
      '<aside class="sidebar"><h3>Recent</h3><p>Library hours <time datetime="2024-08-22">Aug 22</time></p></aside>';
    const after =
      '<section class="related-stories"><h2>Read next</h2><p><a href="#">Other</a> March 11, 2025</p></section>' +
      '<div class="lo-mas-leido"><p>Otro 10/03/2025</p></div>';
    expect(day(page({ before, after }))).toBeNull();
  });

  it("does not take Published dates of list items after the text", () => {
    const after =
      "<ul><li>Annual report 2024 · Published 2 April 2025</li><li>Q1 results · Published 8 May 2025</li></ul>";
    expect(day(page({ article: `${BODY_TEXT}${after}` }))).toBeNull();
    const entryFooter = '<p class="entry-footer">This entry was posted on March 12, 2025.</p>';
    expect(day(page({ article: `${BODY_TEXT}${entryFooter}` }))).toBe("2025-03-12");
  });

  it("does not take the dates of comments", () => {
    const after =
      '<section id="comments"><div class="comment"><p class="meta">Jean, le 3 mars 2025 à 18h12</p><p>Merci !</p></div></section>';
    expect(day(page({ lang: "fr", after }))).toBeNull();
  });

  it("does not take the date of a cookie banner", () => {
    const before =
      '<div class="cookie-consent"><p>Our cookie policy was updated on March 12, 2025.</p><button>Accept</button></div>';
    expect(day(page({ before }))).toBeNull();
  });

  it("does not take today's date printed in the masthead", () => {
    const before = '<div class="top-bar"><span class="today">Tuesday, June 3, 2025</span></div>';
    expect(day(page({ before }))).toBeNull();
    expect(
      day(page({ before, article: `<p class="byline">By Jenna Ortiz | March 12, 2025</p>${BODY_TEXT}` })),
    ).toBe("2025-03-12");
  });

  it("does not take an event date from the running text", () => {
    const article =
      "<p>The conference on 5 June 2025 will bring together 400 researchers.</p>" +
      "<p>Registration closes on 28 May 2025. Speakers will present their work over two days in Lyon.</p>";
    expect(day(page({ article }))).toBeNull();
    expect(day(page({ article }), "https://news.example/2025/03/12/story")).toBe("2025-03-12");
  });

  it("does not take the date of an event page", () => {
    const article =
      "<dl><dt>Date</dt><dd>Thursday, 5 June 2025</dd><dt>Location</dt><dd>London</dd></dl>" +
      '<a class="button" href="/register">Register now</a>' +
      BODY_TEXT;
    expect(day(page({ article }))).toBeNull();
    const event = { "@type": "Event", startDate: "2025-06-05T09:00:00+01:00" };
    const head = `<script type="application/ld+json">${JSON.stringify(event)}</script>`;
    expect(day(page({ head, article: `<p class="when">5 June 2025</p>${BODY_TEXT}` }))).toBeNull();
  });

  it("does not take a date labelled Updated, Stand or 수정 when no publication date is shown", () => {
    for (const [lang, line] of [
      ["en", "Last updated: 4 March 2025"],
      ["de", "Stand: 18.03.2025 17:20 Uhr"],
      ["fr", "Mis à jour le 3 février 2025"],
      ["ko", "최종 수정일 2025.01.03"],
    ]) {
      expect(day(page({ lang, article: `<p class="meta">${line}</p>${BODY_TEXT}` }))).toBeNull();
    }
  });

  it("does not take either end of a date range", () => {
    expect(day(page({ article: `<p class="meta">5–6 June 2025, Lyon</p>${BODY_TEXT}` }))).toBeNull();
    expect(
      day(page({ lang: "ko", article: `<p class="meta">2025.05.01 ~ 2025.05.28</p>${BODY_TEXT}` })),
    ).toBeNull();
  });

  it("does not read a sentence that begins like a dateline as one", () => {
    const article =
      "<p>The meeting on 5 June 2025 – the first since the merger – approved the new board members and the dividend.</p>";
    expect(day(page({ article }))).toBeNull();
  });

  it("refuses a shown date after the fetch time", () => {
    const article = `<p class="byline">By Jane Doe | September 12, 2025</p>${BODY_TEXT}`;
    expect(day(page({ article }))).toBeNull();
  });
});

describe("articleDate: the URL (url)", () => {
  it("reads a date in the URL when the page shows none", () => {
    expect(articleDate(page({}), "https://harbor.example/2024/09/17/tugboat/", { now: NOW })).toEqual({
      date: new Date("2024-09-17T00:00:00.000Z"),
      source: "url",
    });
  });

  it("answers null without any date, and refuses a URL date after the fetch time", () => {
    expect(articleDate(page({}), URL, { now: NOW })).toBeNull();
    expect(articleDate(page({}), "https://harbor.example/2025/09/17/tugboat/", { now: NOW })).toBeNull();
  });
});

describe("articleDate over the fixture pages", () => {
  const root = path.join(import.meta.dirname, "../fixtures/articles/dating");
  /**
   * Floors set to the scores measured when the evaluation was first run (1.0 everywhere; the holdout
   * pages were written before the code and never tuned on), so any lost page fails the test.
   */
  const FLOORS = {
    tuning: { precision: 1, recall: 1 },
    holdout: { precision: 1, recall: 1 },
  };

  it.each(Object.entries(FLOORS))("%s: precision and recall stay above their floors", (folder, floor) => {
    const score = evaluateFolder(path.join(root, folder), { now: NOW });
    console.log([formatScore(score), ...formatMisses(score)].join("\n"));
    expect(score.pages).toBeGreaterThanOrEqual(22);
    expect(score.precision).toBeGreaterThanOrEqual(floor.precision);
    expect(score.recall).toBeGreaterThanOrEqual(floor.recall);
  });
});
