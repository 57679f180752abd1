import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { discoverFeeds } from "../../shared/parse/listing/feed-links.ts";

const PAGE = "https://www.acme-pharma.example/en/media/press-releases";

function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/listings/${name}.html`, import.meta.url), "utf8");
}

function page(head: string): string {
  return `<!doctype html><html><head><title>Press</title>${head}</head><body><h1>Press</h1></body></html>`;
}

describe("discoverFeeds", () => {
  it("finds the RSS, Atom, RDF and JSON feeds a page declares, absolute and in document order", () => {
    const html = page(`
      <link rel="alternate" type="application/atom+xml" title="Atom" href="/en/media/press-releases.atom">
      <link rel="stylesheet" href="/main.css">
      <link rel="alternate" type="application/rss+xml" title="RSS" href="feed.xml">
      <link rel="alternate" type="application/rdf+xml" href="https://www.acme-pharma.example/rdf">
      <link rel="alternate" type="application/feed+json" href="/feed.json">`);
    expect(discoverFeeds(html, PAGE)).toEqual([
      "https://www.acme-pharma.example/en/media/press-releases.atom",
      "https://www.acme-pharma.example/en/media/feed.xml",
      "https://www.acme-pharma.example/rdf",
      "https://www.acme-pharma.example/feed.json",
    ]);
  });

  it("resolves feed links against <base href> before the page URL", () => {
    const html = page(`<base href="https://cdn.acme-pharma.example/fr/">
      <link rel="alternate" type="application/rss+xml" href="communiques/rss">`);
    expect(discoverFeeds(html, PAGE)).toEqual(["https://cdn.acme-pharma.example/fr/communiques/rss"]);
  });

  it("reads rel and type whatever their case, extra rel tokens or type parameters", () => {
    const html = page(
      `<LINK REL="Alternate nofollow" TYPE="Application/RSS+XML; charset=utf-8" HREF="/rss">`,
    );
    expect(discoverFeeds(html, PAGE)).toEqual(["https://www.acme-pharma.example/rss"]);
  });

  it("skips a blog's comment feed when the page declares another feed", () => {
    const html = fixture("tuning/en-newsroom-article-cards");
    expect(discoverFeeds(html, "https://newsroom.corvid-semi.example/")).toEqual([
      "https://newsroom.corvid-semi.example/feed/",
    ]);
    const titled = page(`
      <link rel="alternate" type="application/rss+xml" title="Acme » Comments" href="/c.xml">
      <link rel="alternate" type="application/rss+xml" title="Acme » News" href="/n.xml">`);
    expect(discoverFeeds(titled, PAGE)).toEqual(["https://www.acme-pharma.example/n.xml"]);
  });

  it("keeps a comment feed when it is the only feed declared", () => {
    const html = page(`<link rel="alternate" type="application/rss+xml" href="/comments/feed/">`);
    expect(discoverFeeds(html, PAGE)).toEqual(["https://www.acme-pharma.example/comments/feed/"]);
  });

  it("lists a feed declared twice once", () => {
    const html = page(`
      <link rel="alternate" type="application/rss+xml" href="/feed/">
      <link rel="alternate" type="application/rss+xml" href="https://www.acme-pharma.example/feed">
      <link rel="alternate" type="application/rss+xml" href="/feed/?utm_source=head">`);
    expect(discoverFeeds(html, PAGE)).toEqual(["https://www.acme-pharma.example/feed/"]);
  });

  it("ignores alternates that are not feeds: REST API JSON, oEmbed, translations, non-http links", () => {
    const html = page(`
      <link rel="alternate" type="application/json" href="/wp-json/wp/v2/pages/42">
      <link rel="alternate" type="application/json+oembed" href="/wp-json/oembed/1.0/embed?url=x">
      <link rel="alternate" hreflang="fr" href="/fr/medias/communiques">
      <link rel="alternate" type="application/rss+xml" href="javascript:void(0)">
      <link rel="feed" type="application/rss+xml" href="/not-alternate.xml">
      <link rel="alternate" type="application/json" title="JSON Feed" href="/news.json">`);
    expect(discoverFeeds(html, PAGE)).toEqual(["https://www.acme-pharma.example/news.json"]);
  });

  it("finds a feed declared in the body of a page, as some site builders write it", () => {
    const html = `<html><body><link rel="alternate" type="application/rss+xml" href="rss.xml"><p>Hi</p></body></html>`;
    expect(discoverFeeds(html, PAGE)).toEqual(["https://www.acme-pharma.example/en/media/rss.xml"]);
    expect(
      discoverFeeds(fixture("tuning/it-comunicati-stampa"), "https://www.fal-gruppo.example/media/"),
    ).toEqual(["https://www.fal-gruppo.example/media/comunicati-stampa/rss.xml"]);
  });

  it("returns nothing for a page that declares no feed", () => {
    expect(discoverFeeds(page(`<link rel="canonical" href="/x">`), PAGE)).toEqual([]);
    expect(discoverFeeds("", PAGE)).toEqual([]);
  });
});
