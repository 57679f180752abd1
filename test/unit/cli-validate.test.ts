import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { configJsonSchemas, SCHEMAS_DIR } from "../../cli/json-schemas.ts";
import { EXAMPLES_DIR } from "../../cli/local/demo.ts";
import { cli } from "../support/cli.ts";

const CATALOG = `sources:
  - source_key: news
    ingestion_mode: rss
    rss_url: https://news.example.com/feed
  - source_key: acme
    ingestion_mode: html
    html_url: https://acme.example.com/press/
    html: { item: "li.release", link: "a", date: { selector: ".date" } }
bouquets:
  - bouquet_id: core
    source_keys: [news, acme]
`;
const CLIENT = `client_profile: { active: true }
source_config:
  source_bouquets_enabled: [core]
  content_filters: { exclude_patterns: ["webinar"] }
`;

let dir: string;

async function write(rel: string, text: string): Promise<string> {
  const file = join(dir, rel);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
  return file;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "vectora-validate-"));
  await write("canonical/sources/source_catalog.yaml", CATALOG);
  await write("clients/alpha.yaml", CLIENT);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("vectora validate", () => {
  it("accepts the example configs when given no argument", async () => {
    const r = await cli(["validate"]);
    expect(r.out).toEqual(["13 files OK"]);
    expect(r.code).toBe(0);
  });

  it("accepts a valid config folder with one line", async () => {
    const r = await cli(["validate", dir]);
    expect(r.out).toEqual(["2 files OK"]);
    expect(r.code).toBe(0);
  });

  it("reports schema problems as file: path: message, and exits 1", async () => {
    const file = await write("clients/beta.yaml", "pipeline:\n  default_period_days: many\n");
    const r = await cli(["validate", dir]);
    expect(r.code).toBe(1);
    expect(r.out).toEqual([
      `${file}: pipeline.default_period_days: Invalid input: expected number, received string`,
    ]);
  });

  it("reports unknown bouquets and unknown extra sources", async () => {
    const file = await write(
      "clients/beta.yaml",
      "source_config:\n  source_bouquets_enabled: [core, cor]\n  sources_extra_enabled: [newz]\n",
    );
    const r = await cli(["validate", dir]);
    expect(r.code).toBe(1);
    expect(r.out).toEqual([
      `${file}: source_config.source_bouquets_enabled.1: unknown bouquet 'cor'`,
      `${file}: source_config.sources_extra_enabled.0: unknown source 'newz'`,
    ]);
  });

  it("warns about duplicate source keys and bouquets naming unknown sources, and exits 0", async () => {
    const file = await write(
      "canonical/sources/source_catalog.yaml",
      `${CATALOG.replace("  - source_key: acme", "  - source_key: news\n    ingestion_mode: none\n  - source_key: acme")}  - bouquet_id: extra\n    source_keys: [ghost]\n`,
    );
    const r = await cli(["validate", dir]);
    expect(r.code).toBe(0);
    expect(r.out).toEqual([
      `warning: ${file}: sources.1.source_key: duplicate source_key 'news': the first entry is used, this one ignored`,
      `warning: ${file}: bouquets.extra: lists unknown source_key 'ghost': that source fails alone`,
      "2 files OK, 2 warning(s)",
    ]);
  });

  it("reports CSS selectors that do not compile", async () => {
    const file = await write(
      "canonical/sources/source_catalog.yaml",
      CATALOG.replace('item: "li.release"', 'item: "li.release["').replace(
        'selector: ".date"',
        'selector: "span::"',
      ),
    );
    const r = await cli(["validate", dir]);
    expect(r.code).toBe(1);
    expect(r.out).toHaveLength(2);
    expect(r.out[0]).toMatch(
      new RegExp(`^${file}: sources\\.acme\\.html\\.item: selector "li\\.release\\[" is not valid CSS`),
    );
    expect(r.out[1]).toMatch(
      new RegExp(`^${file}: sources\\.acme\\.html\\.date\\.selector: selector "span::" is not valid CSS`),
    );
  });

  it("reports exclude patterns that are not regular expressions", async () => {
    const file = await write(
      "clients/alpha.yaml",
      CLIENT.replace('["webinar"]', '["webinar", "sponsor(ed"]'),
    );
    const r = await cli(["validate", dir]);
    expect(r.code).toBe(1);
    expect(r.out).toEqual([
      `${file}: source_config.content_filters.exclude_patterns.1: is not a valid regular expression`,
    ]);
  });

  it("reports client files ingest would not read", async () => {
    const yml = await write("clients/gamma.yml", CLIENT);
    const badName = await write("clients/-bad.yaml", CLIENT);
    const r = await cli(["validate", dir]);
    expect(r.code).toBe(1);
    expect(r.out).toEqual([
      `${yml}: is ignored: client configs must be named {client_id}.yaml`,
      `${badName}: file name is not a valid client id ({client_id}.yaml)`,
    ]);
  });

  it("checks a single client file against the catalog of its config folder", async () => {
    const file = await write("clients/beta.yaml", "source_config:\n  source_bouquets_enabled: [nope]\n");
    const r = await cli(["validate", file]);
    expect(r.code).toBe(1);
    expect(r.out).toEqual([`${file}: source_config.source_bouquets_enabled.0: unknown bouquet 'nope'`]);
  });

  it("reports invalid YAML with the file name", async () => {
    const file = await write("clients/beta.yaml", "client_profile: [unclosed\n");
    const r = await cli(["validate", dir]);
    expect(r.code).toBe(1);
    expect(r.out[0]).toMatch(new RegExp(`^${file}: invalid YAML: `));
  });

  it("is a usage error (2) for a path that does not exist", async () => {
    const r = await cli(["validate", join(dir, "nowhere")]);
    expect(r.code).toBe(2);
    expect(r.err[0]).toContain("no such file or directory");
  });
});

describe("the committed JSON Schemas", () => {
  it("are what `npm run schemas` generates from the zod schemas", async () => {
    for (const [name, schema] of Object.entries(configJsonSchemas())) {
      const committed = JSON.parse(await readFile(join(SCHEMAS_DIR, name), "utf8"));
      expect(committed, `examples/schemas/${name} is stale: run npm run schemas`).toEqual(schema);
    }
  });

  it("leave fields with defaults optional", () => {
    const schema = configJsonSchemas()["client-config.schema.json"] as { required?: string[] };
    expect(schema.required ?? []).toEqual([]);
  });

  it("are named by the first line of every example config", async () => {
    const files = {
      "configs/clients/lai-weekly.yaml": "client-config",
      "configs/clients/oncology-digest.yaml": "client-config",
      "configs/clients/ophthalmology-brief.yaml": "client-config",
      "configs/canonical/sources/source_catalog.yaml": "source-catalog",
    };
    for (const [rel, schema] of Object.entries(files)) {
      const file = join(EXAMPLES_DIR, rel);
      const first = (await readFile(file, "utf8")).split("\n")[0] ?? "";
      const match = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
      expect(match, rel).not.toBeNull();
      const target = join(dirname(file), match?.[1] ?? "");
      expect(target).toBe(join(SCHEMAS_DIR, `${schema}.schema.json`));
    }
  });
});
