import { describe, expect, it } from "vitest";
import { ClientConfigSchema } from "../../shared/config/client-config.ts";
import { parseHtmlExtractors } from "../../shared/config/html-extractors.ts";
import { resolveSources } from "../../shared/config/resolve-sources.ts";
import { parseSourceCatalog, type SourceCatalog } from "../../shared/config/source-catalog.ts";
import { ClientConfigInvalidError } from "../../shared/errors/workflow-errors.ts";

function catalogOf(document: unknown): SourceCatalog {
  const result = parseSourceCatalog("canonical/sources/source_catalog.yaml", JSON.stringify(document));
  if (!result.ok) throw new Error("catalog did not parse");
  return result.catalog;
}

const catalog = catalogOf({
  sources: [
    { source_key: "a", ingestion_mode: "rss", rss_url: "https://a.example.com/feed" },
    { source_key: "b", ingestion_mode: "rss", rss_url: "https://b.example.com/feed" },
    { source_key: "c", ingestion_mode: "rss", rss_url: "https://c.example.com/feed", enabled: false },
    { source_key: "d", ingestion_mode: "none" },
    { source_key: "e", ingestion_mode: "rss", rss_url: "https://e.example.com/feed" },
  ],
  bouquets: [
    { bouquet_id: "one", source_keys: ["a", "b", "c"] },
    { bouquet_id: "two", source_keys: ["b", "d"] },
  ],
});

const config = (bouquets: string[], extra: string[]) =>
  ClientConfigSchema.parse({
    source_config: { source_bouquets_enabled: bouquets, sources_extra_enabled: extra },
  });

describe("resolveSources", () => {
  it("takes bouquet sources then extra sources, each once, in order", () => {
    const resolved = resolveSources("clients/x.yaml", config(["one", "two"], ["e", "a"]), catalog);
    expect(resolved.sources.map((s) => s.source_key)).toEqual(["a", "b", "e"]);
  });

  it("reports disabled sources and sources without ingestion as skipped", () => {
    const resolved = resolveSources("clients/x.yaml", config(["one", "two"], []), catalog);
    expect(resolved.skipped).toEqual([
      { source_key: "c", reason: "disabled" },
      { source_key: "d", reason: "no_ingestion" },
    ]);
  });

  it("fails the client on an unknown bouquet or source, naming the file and the field", () => {
    expect(() => resolveSources("clients/x.yaml", config(["one", "nope"], ["zz"]), catalog)).toThrow(
      ClientConfigInvalidError,
    );
    expect(() => resolveSources("clients/x.yaml", config(["nope"], []), catalog)).toThrow(
      "clients/x.yaml: source_config.source_bouquets_enabled.0: unknown bouquet 'nope'",
    );
    expect(() => resolveSources("clients/x.yaml", config([], ["zz"]), catalog)).toThrow(
      "clients/x.yaml: source_config.sources_extra_enabled.0: unknown source 'zz'",
    );
  });
});

describe("resolveSources over a dirty catalog", () => {
  const dirty = catalogOf({
    sources: [
      { source_key: "ok", ingestion_mode: "rss", rss_url: "https://ok.example.com/feed" },
      { source_key: "broken", ingestion_mode: "rss", rss_url: "not a url" },
      { source_key: "page", ingestion_mode: "html", html_url: "https://page.example.com/news/" },
      {
        source_key: "inline",
        ingestion_mode: "html",
        html_url: "https://inline.example.com/news/",
        html: { item: "li.news", link: "a" },
      },
    ],
    bouquets: [{ bouquet_id: "all", source_keys: ["ok", "broken", "ghost", "page", "inline"] }],
  });

  it("fails only the entries that cannot run, naming the file, the entry and the field", () => {
    const resolved = resolveSources("clients/x.yaml", config(["all"], []), dirty);
    expect(resolved.sources.map((s) => s.source_key)).toEqual(["ok", "page", "inline"]);
    expect(resolved.misconfigured.map((m) => m.source_key)).toEqual(["broken", "ghost"]);
    expect(resolved.misconfigured[0]?.message).toContain(
      "canonical/sources/source_catalog.yaml: sources.1.rss_url: must be an http(s) URL",
    );
    expect(resolved.misconfigured[1]?.message).toBe(
      "bouquet 'all' lists source 'ghost', which the catalog does not define",
    );
  });

  it("takes selectors from html_extractors.yaml, the inline html block winning", () => {
    const extractors = parseHtmlExtractors(
      "canonical/sources/html_extractors.yaml",
      [
        "extractors:",
        "  page:",
        "    selectors: { container: main, item: 'div.card, li', url: 'h3 a', title: 'h3 a', date: '.date' }",
        "    date_format: '%d.%m.%Y'",
        "    max_items: 5",
        "  inline:",
        "    selectors: { item: article, url: a }",
      ].join("\n"),
    ).extractors;
    const resolved = resolveSources("clients/x.yaml", config(["all"], []), dirty, extractors);
    const page = resolved.sources.find((s) => s.source_key === "page");
    expect(page?.html).toMatchObject({
      container: "main",
      item: "div.card, li",
      link: "h3 a",
      alternatives: true,
    });
    expect(page?.html?.date_formats).toEqual(["D.M.YYYY"]);
    expect(page?.max_items).toBe(5);
    expect(resolved.sources.find((s) => s.source_key === "inline")?.html).toEqual({
      item: "li.news",
      link: "a",
    });
  });

  it("fails a source whose extractor entry cannot be used, and only that source", () => {
    const extractors = parseHtmlExtractors(
      "canonical/sources/html_extractors.yaml",
      "extractors:\n  page:\n    selectors: { item: article }\n",
    ).extractors;
    const resolved = resolveSources("clients/x.yaml", config(["all"], []), dirty, extractors);
    expect(resolved.misconfigured.map((m) => m.source_key)).toContain("page");
    expect(resolved.misconfigured.find((m) => m.source_key === "page")?.message).toContain(
      "extractors.page.selectors.url",
    );
    expect(resolved.sources.map((s) => s.source_key)).toEqual(["ok", "inline"]);
  });
});
