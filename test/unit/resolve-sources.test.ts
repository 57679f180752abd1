import { describe, expect, it } from "vitest";
import { ClientConfigSchema } from "../../shared/config/client-config.ts";
import { resolveSources } from "../../shared/config/resolve-sources.ts";
import { SourceCatalogSchema } from "../../shared/config/source-catalog.ts";
import { ClientConfigInvalidError } from "../../shared/errors/workflow-errors.ts";

const catalog = SourceCatalogSchema.parse({
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
