import { describe, expect, it } from "vitest";
import { clientIdFromKey, loadClientConfig, parseClientConfig } from "../../shared/config/client-config.ts";
import { parseSourceCatalog } from "../../shared/config/source-catalog.ts";
import { formatProblem } from "../../shared/config/validation.ts";

const FILE = "clients/lai.yaml";

describe("client configs", () => {
  it("reads the fields ingest uses and keeps unknown sections", () => {
    const config = loadClientConfig(
      FILE,
      `client_profile:\n  name: LAI Weekly\n  active: true\nsource_config:\n  source_bouquets_enabled: [lai_core]\n` +
        `  content_filters:\n    min_word_count: 20\n    exclude_patterns: ["webinar"]\n` +
        `pipeline:\n  default_period_days: 14\nnewsletter_layout:\n  sections: [deals]\n`,
    );
    expect(config.client_profile).toEqual({ name: "LAI Weekly", active: true });
    expect(config.source_config.source_bouquets_enabled).toEqual(["lai_core"]);
    expect(config.source_config.sources_extra_enabled).toEqual([]);
    expect(config.source_config.content_filters).toEqual({
      min_word_count: 20,
      exclude_patterns: ["webinar"],
    });
    expect(config.pipeline.default_period_days).toBe(14);
    expect((config as Record<string, unknown>).newsletter_layout).toEqual({ sections: ["deals"] });
  });

  it("defaults to inactive with a 7-day period when fields are absent", () => {
    const config = loadClientConfig(FILE, "client_profile:\n  name: Quiet\n");
    expect(config.client_profile.active).toBe(false);
    expect(config.pipeline.default_period_days).toBe(7);
  });

  it("names the file and the field path of every problem", () => {
    const result = parseClientConfig(
      FILE,
      "client_profile:\n  active: yes please\nsource_config:\n  source_bouquets_enabled: lai_core\n" +
        "  content_filters:\n    exclude_patterns: ['(unclosed']\npipeline:\n  default_period_days: 0\n",
    );
    expect(result.ok).toBe(false);
    const lines = result.ok ? [] : result.problems.map(formatProblem);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^clients\/lai\.yaml: client_profile\.active: /),
        expect.stringMatching(/^clients\/lai\.yaml: source_config\.source_bouquets_enabled: /),
        expect.stringMatching(
          /^clients\/lai\.yaml: source_config\.content_filters\.exclude_patterns\.0: is not a valid regular expression/,
        ),
        expect.stringMatching(/^clients\/lai\.yaml: pipeline\.default_period_days: /),
      ]),
    );
  });

  it("refuses exclude patterns that can backtrack catastrophically, and over-long ones", () => {
    const result = parseClientConfig(
      FILE,
      `source_config:\n  content_filters:\n    exclude_patterns: ["(a+)+$", "sponsor(ed)?", "${"x".repeat(201)}"]\n`,
    );
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([
      "clients/lai.yaml: source_config.content_filters.exclude_patterns.0: nests a quantifier inside a repeated group, which can take exponential time",
      expect.stringMatching(/^clients\/lai\.yaml: source_config\.content_filters\.exclude_patterns\.2: /),
    ]);
  });

  it("reports YAML syntax errors with the file name instead of throwing", () => {
    const result = parseClientConfig(FILE, "client_profile: [unclosed\n");
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([
      expect.stringMatching(/^clients\/lai\.yaml: invalid YAML/),
    ]);
  });

  it("refuses a config file over the size limit before parsing it", () => {
    const result = parseClientConfig(FILE, `# ${"x".repeat(1_100_000)}\n`);
    expect(result.ok ? "" : result.problems[0]?.message).toMatch(/over the 1048576-byte limit/);
  });

  it("takes the client id from the file name of direct children of clients/", () => {
    expect(clientIdFromKey("clients/lai-weekly.yaml")).toBe("lai-weekly");
    expect(clientIdFromKey("clients/archive/old.yaml")).toBeNull();
    expect(clientIdFromKey("clients/README.md")).toBeNull();
    expect(clientIdFromKey("canonical/x.yaml")).toBeNull();
  });
});

describe("the source catalog", () => {
  const FILE_CATALOG = "canonical/sources/source_catalog.yaml";
  const read = (text: string) => {
    const result = parseSourceCatalog(FILE_CATALOG, text);
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join("\n"));
    return result;
  };

  it("requires the URL the ingestion mode needs, as an error of that entry alone", () => {
    const result = read(
      "sources:\n  - source_key: a\n    ingestion_mode: rss\n  - source_key: b\n    ingestion_mode: html\n    html_url: https://b.example.com/\n",
    );
    expect(result.errors.map(formatProblem)).toEqual([
      `${FILE_CATALOG}: sources.0.rss_url: is required when ingestion_mode is rss (source 'a')`,
    ]);
    expect(result.catalog.sources.map((s) => s.source_key)).toEqual(["b"]);
    expect([...result.catalog.invalid.keys()]).toEqual(["a"]);
  });

  it("reads empty strings as absent values, and needs no URL for a disabled source", () => {
    const result = read(
      "sources:\n" +
        "  - {source_key: a, ingestion_mode: html, rss_url: '', html_url: 'https://a.example.com/news/', company_id: a}\n" +
        "  - {source_key: b, ingestion_mode: rss, rss_url: '', html_url: '', enabled: false}\n",
    );
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.catalog.sources.map((s) => [s.source_key, s.rss_url])).toEqual([
      ["a", undefined],
      ["b", undefined],
    ]);
    expect(result.catalog.sources[0]?.company_id).toBe("a");
  });

  it("warns about duplicate keys, duplicates in a bouquet, misplaced entries and unknown bouquet members", () => {
    const result = read(
      "sources:\n  - {source_key: a, ingestion_mode: none}\n  - {source_key: a, ingestion_mode: none}\n" +
        "bouquets:\n  - {bouquet_id: core, source_keys: [a, a, zz]}\n" +
        "  - {source_key: c, ingestion_mode: rss, rss_url: 'https://c.example.com/feed'}\n",
    );
    expect(result.errors).toEqual([]);
    expect(result.warnings.map(formatProblem)).toEqual([
      `${FILE_CATALOG}: sources.1.source_key: duplicate source_key 'a': the first entry is used, this one ignored`,
      `${FILE_CATALOG}: bouquets.0.source_keys.1: 'a' is listed twice in the bouquet`,
      `${FILE_CATALOG}: bouquets.1: a source entry placed under bouquets: read as a source`,
      `${FILE_CATALOG}: bouquets.core: lists unknown source_key 'zz': that source fails alone`,
    ]);
    expect(result.catalog.sources.map((s) => s.source_key)).toEqual(["a", "c"]);
    expect(result.catalog.bouquets[0]?.source_keys).toEqual(["a", "zz"]);
  });

  it("rejects non-http URLs for the entry that has them", () => {
    const result = read(
      "sources:\n  - {source_key: a, ingestion_mode: rss, rss_url: 'file:///etc/passwd'}\n",
    );
    expect(result.errors.map((p) => p.path)).toEqual(["sources.0.rss_url"]);
  });

  it("fails the whole file only when it is not a catalog at all", () => {
    const result = parseSourceCatalog(FILE_CATALOG, "sources: {a: 1}\n");
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems.map((p) => p.path)).toEqual(["sources"]);
  });
});

describe("hostile config files", () => {
  it("refuses a YAML alias bomb with a clear error instead of expanding it", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(", ")}]`);
    }
    const started = Date.now();
    const result = parseClientConfig(FILE, `${levels.join("\n")}\nclient_profile:\n  active: true\n`);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([
      "clients/lai.yaml: refused: the document expands to more than 100000 values (aliases)",
    ]);
  });

  it("still accepts a config that uses a few anchors", () => {
    const result = parseClientConfig(
      FILE,
      "defaults: &d [lai_core]\nclient_profile:\n  active: true\nsource_config:\n  source_bouquets_enabled: *d\n",
    );
    expect(result.ok && result.config.source_config.source_bouquets_enabled).toEqual(["lai_core"]);
  });

  it("refuses a 10 MB config before parsing it", () => {
    const result = parseClientConfig(FILE, `client_profile:\n  name: "${"x".repeat(10 * 1024 * 1024)}"\n`);
    expect(result.ok ? "" : result.problems[0]?.message).toMatch(
      /^file is 10485\d+ bytes, over the 1048576-byte limit$/,
    );
  });
});
