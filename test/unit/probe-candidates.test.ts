import { describe, expect, it } from "vitest";
import {
  linkCandidates,
  pageCandidates,
  readSitemap,
  robotsSitemaps,
  sitemapCandidates,
  topicOfText,
} from "../../shared/probe/candidates.ts";
import { catalogEntryFor, sourceKeyFor } from "../../shared/probe/probe-site.ts";

const PAGE = "https://www.acme.example/";

function nav(links: [string, string][]): string {
  return `<html><body><nav>${links.map(([t, h]) => `<a href="${h}">${t}</a>`).join("")}</nav></body></html>`;
}

describe("listing candidates", () => {
  it.each([
    ["Communiqués de presse", "press"],
    ["Pressemitteilungen", "press"],
    ["Sala de prensa", "press"],
    ["Pressmeddelanden", "press"],
    ["보도자료", "press"],
    ["プレスリリース", "press"],
    ["Actualités", "news"],
    ["Aktuelles", "news"],
    ["Nyheter", "news"],
    ["뉴스", "news"],
    ["Newsletter", "neutral"],
    ["Karriere", "careers"],
    ["Blog", "blog"],
  ])("reads %s as %s", (text, topic) => {
    expect(topicOfText(text)).toBe(topic);
  });

  it("ranks a press link above a news link above a blog link, and drops careers, PDFs and other sites", () => {
    const found = linkCandidates(
      nav([
        ["Blog", "/blog/"],
        ["News", "/news/"],
        ["Press releases", "/press-releases/"],
        ["News", "/careers/"],
        ["Press kit", "/files/kit.pdf"],
        ["Newsroom", "https://social.example/acme"],
      ]),
      PAGE,
    );
    expect(found.map((c) => [new URL(c.url).pathname, c.topic])).toEqual([
      ["/blog/", "blog"],
      ["/news/", "news"],
      ["/press-releases/", "press"],
    ]);
    const priors = found.map((c) => c.prior);
    expect(priors[2]).toBeGreaterThan(priors[1] ?? 0);
    expect(priors[1]).toBeGreaterThan(priors[0] ?? 0);
  });

  it("turns a linked article inside a news folder into the folder, below named links", () => {
    const [folder] = linkCandidates(
      nav([["Acme opens a plant in Lyon", "/news/2025/acme-opens-plant/"]]),
      PAGE,
    );
    expect(folder?.url).toBe("https://www.acme.example/news/");
    expect(folder?.prior).toBeLessThan(70);
  });

  it("puts declared feeds first", () => {
    const html = `<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head><body>${nav([["Press", "/press/"]])}</body></html>`;
    const [first] = pageCandidates(html, PAGE, "start page");
    expect(first).toMatchObject({ url: "https://www.acme.example/feed.xml", signal: "declared_feed" });
  });

  it("reads Sitemap lines and finds the sections a sitemap shows", () => {
    expect(robotsSitemaps("User-agent: *\nSitemap: /s.xml\nsitemap: https://x.example/n.xml", PAGE)).toEqual([
      "https://www.acme.example/s.xml",
      "https://x.example/n.xml",
    ]);
    const sitemap = readSitemap(`<urlset>
      <url><loc>https://acme.example/about/</loc></url>
      <url><loc>https://acme.example/presse/2025/a/</loc><lastmod>2025-03-01</lastmod></url>
      <url><loc>https://acme.example/presse/2025/b/</loc><lastmod>2025-02-01</lastmod></url>
    </urlset>`);
    const [section] = sitemapCandidates(sitemap, new URL(PAGE));
    expect(section).toMatchObject({ url: "https://acme.example/presse/", topic: "press" });
    expect(section?.reason).toContain("2 URL(s)");
    expect(section?.reason).toContain("2025-03-01");
  });
});

describe("catalog entry", () => {
  it("names the source after the host and takes the feed as rss_url", () => {
    expect(sourceKeyFor(new URL("https://www.acme-pharma.example/en/"))).toBe("acme_pharma");
    const entry = catalogEntryFor(
      {
        url: "https://www.acme-pharma.example/press/feed.xml",
        kind: "feed",
        items: 3,
        datedShare: 1,
        newest: null,
        firstItems: [],
        why: "",
        score: 1,
      },
      new URL("https://www.acme-pharma.example/en/"),
    );
    expect(entry).toBe(
      [
        "- source_key: acme_pharma",
        "  ingestion_mode: rss",
        '  rss_url: "https://www.acme-pharma.example/press/feed.xml"',
        '  homepage_url: "https://www.acme-pharma.example/"',
        "  enabled: true",
        "  source_type: press_corporate",
      ].join("\n"),
    );
  });
});
