import { describe, expect, it } from "vitest";
import { pageMetaDate } from "../../shared/parse/page-date.ts";

const iso = (d: Date | null) => d?.toISOString() ?? null;

describe("pageMetaDate", () => {
  it("reads article:published_time", () => {
    const html = `<html><head><meta property="article:published_time" content="2026-11-18T09:30:00+01:00"></head></html>`;
    expect(iso(pageMetaDate(html))).toBe("2026-11-18T08:30:00.000Z");
  });

  it("reads JSON-LD datePublished, also inside @graph", () => {
    const html = `<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
      {"@type":"WebPage","name":"x"},{"@type":"NewsArticle","headline":"y","datePublished":"2026-11-17T14:00:00Z"}]}</script>`;
    expect(iso(pageMetaDate(html))).toBe("2026-11-17T14:00:00.000Z");
  });

  it("skips malformed JSON-LD and falls back to a <time datetime>", () => {
    const html = `<script type="application/ld+json">{not json</script><article><time datetime="2026-11-16">16 Nov</time></article>`;
    expect(iso(pageMetaDate(html))).toBe("2026-11-16T00:00:00.000Z");
  });

  it("prefers meta tags over JSON-LD and a body <time>", () => {
    const html = `<meta name="citation_publication_date" content="2026/11/15"><script type="application/ld+json">{"datePublished":"2020-01-01"}</script>`;
    expect(iso(pageMetaDate(html))).toBe("2026-11-15T00:00:00.000Z");
  });

  it("does not take the <time> of a related story in a sidebar", () => {
    const html = `<aside class="related"><time datetime="2026-11-10">10 Nov</time></aside>
      <article><h1>Story</h1><p>Plain text without a date, long enough to be the opening paragraph of the story.</p></article>`;
    expect(pageMetaDate(html)).toBeNull();
  });

  it("refuses a declared date later than the caller's clock", () => {
    const html = `<meta property="article:published_time" content="2026-11-18T09:30:00Z">`;
    expect(pageMetaDate(html, { now: new Date("2026-11-01T00:00:00Z") })).toBeNull();
    expect(iso(pageMetaDate(html, { now: new Date("2026-11-20T00:00:00Z") }))).toBe(
      "2026-11-18T09:30:00.000Z",
    );
  });

  it("answers null for a page that declares no date", () => {
    expect(pageMetaDate("<html><body><p>Updated daily.</p></body></html>")).toBeNull();
  });
});
