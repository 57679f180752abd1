import { cp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FixtureServer, readManifest, startFixtureServer } from "../../cli/local/fixture-server.ts";
import type { Item } from "../../shared/store/item.ts";
import { CATALOG_KEY } from "../../shared/store/keys.ts";
import { externalDir, titled } from "../support/external-material.ts";
import { createWorkspace, type Workspace } from "../support/workflow.ts";

/**
 * The configuration of the system this project replaces, run as it is: only its source URLs are pointed at
 * recorded pages on loopback (test/fixtures/seed-sites, written for the project in the shapes of those
 * sites). One client is added beside the real one, enabling the trade-press bouquet too.
 */
const seed = externalDir("VECTORA_SEED_CONFIG_DIR");
const SITES = join(import.meta.dirname, "..", "fixtures", "seed-sites");
const CLIENT = "lai_weekly_v2.4";
const DAY_MS = 86_400_000;

interface ExpectedItem {
  url: string;
  title: string;
  published: string;
}

let server: FixtureServer;
let ws: Workspace;
let recordedOn: string;
let expected: Record<string, ExpectedItem[]>;
let run: Awaited<ReturnType<Workspace["run"]>>;

interface SourceReport {
  source_key: string;
  outcome: string;
  extraction?: string;
  entries: number;
  article_fetches: number;
  kept?: number;
  dropped?: Record<string, number>;
}

async function pointCatalogAtRecordings(configsDir: string, urls: string[]): Promise<void> {
  const file = join(configsDir, ...CATALOG_KEY.split("/"));
  let text = await readFile(file, "utf8");
  for (const url of urls) text = text.replaceAll(`"${url}"`, `"${server.localUrl(url)}"`);
  await writeFile(file, text);
}

describe.skipIf(!seed.dir)(titled("the seed configuration, unchanged, over recorded pages", seed), () => {
  beforeAll(async () => {
    const manifest = await readManifest(SITES);
    recordedOn = manifest.recorded_on;
    expected = JSON.parse(await readFile(join(SITES, "expected.json"), "utf8")) as Record<
      string,
      ExpectedItem[]
    >;
    server = await startFixtureServer(SITES, manifest);
    ws = await createWorkspace();
    await cp(seed.dir ?? "", ws.configsDir, { recursive: true });
    await pointCatalogAtRecordings(
      ws.configsDir,
      manifest.responses.map((r) => r.url),
    );
    await writeFile(
      join(ws.configsDir, "clients", "lai_all_sources.yaml"),
      "client_profile: { active: true }\nsource_config:\n  source_bouquets_enabled: [lai_corporate_mvp, lai_press_mvp]\n",
    );
    run = await ws.run({ scheduled_time: recordedOn }, { fetchPolicy: { timeoutMs: 10_000 } });
  }, 240_000);
  afterAll(async () => {
    await server?.close();
    await ws?.dispose();
  });

  async function report(clientId: string): Promise<SourceReport[]> {
    const runId = (run.output as { run_id: string }).run_id;
    const detail = (await ws.readJson(`runs/${runId}/clients/${clientId}.json`)) as {
      sources: SourceReport[];
    };
    return detail.sources;
  }

  function inWindow(items: ExpectedItem[]): ExpectedItem[] {
    const end = Date.parse(recordedOn);
    return items.filter((i) => {
      const t = Date.parse(`${i.published}T00:00:00Z`);
      return t >= end - 7 * DAY_MS && t <= end;
    });
  }

  it("runs every enabled corporate source of the real client, each through the step that suits its page", async () => {
    expect(run.status).toBe("SUCCEEDED");
    const sources = await report(CLIENT);
    const byKey = Object.fromEntries(sources.map((s) => [s.source_key, s]));
    expect(Object.fromEntries(sources.map((s) => [s.source_key, s.outcome]))).toEqual({
      press_corporate__medincell: "ok",
      press_corporate__camurus: "ok",
      press_corporate__delsitech: "ok",
      press_corporate__nanexa: "ok",
      press_corporate__peptron: "ok",
    });
    expect(byKey.press_corporate__camurus?.extraction).toBe("selectors");
    expect(byKey.press_corporate__peptron?.extraction).toBe("selectors");
    expect(byKey.press_corporate__nanexa?.extraction).toBe("feed_discovered");
    expect(byKey.press_corporate__medincell?.extraction).toBe("generic");
    expect(byKey.press_corporate__delsitech?.extraction).toBe("generic");
  });

  it("stores the window's press releases dated and with the article's text, or says which profile rule dropped each", async () => {
    const items = await ws.items(CLIENT);
    const runId = (run.output as { run_id: string }).run_id;
    const detail = (await ws.readJson(`runs/${runId}/clients/${CLIENT}.json`)) as {
      dropped_items: DroppedItem[];
    };
    const lines: string[] = [];
    for (const key of Object.keys(expected).filter((k) => k.startsWith("press_corporate__"))) {
      const wanted = inWindow(expected[key] ?? []);
      const found = wanted.filter((w) => items.some((i) => sameDocument(i, w, server)));
      const byProfile = wanted.filter((w) =>
        detail.dropped_items.some((d) => d.reason === "profile" && d.term && sameUrl(d.url, w, server)),
      );
      lines.push(
        `${key}: ${found.length} stored, ${byProfile.length} dropped by its profile, of ${wanted.length}`,
      );
      expect(found.length + byProfile.length, key).toBe(wanted.length);
    }
    console.log(lines.join("\n"));
    for (const item of items) {
      expect(item.published_at, item.title).not.toBeNull();
      expect(item.content.split(/\s+/).length, item.title).toBeGreaterThanOrEqual(50);
    }
    for (const key of Object.keys(expected).filter((k) => k.startsWith("press_corporate__"))) {
      for (const w of inWindow(expected[key] ?? [])) {
        const item = items.find((i) => sameDocument(i, w, server));
        if (item) expect(item.published_at?.slice(0, 10), w.title).toBe(w.published);
      }
    }
  });

  it("reads the trade-press feeds too, for a client that enables them", async () => {
    const sources = await report("lai_all_sources");
    // Retention per source under the seed's own profiles: what an editor would see in the run report.
    console.log(
      sources
        .map((s) => `${s.source_key}: kept ${s.kept ?? 0}, dropped ${JSON.stringify(s.dropped ?? {})}`)
        .join("\n"),
    );
    expect(sources.filter((s) => s.outcome !== "ok")).toEqual([]);
    expect(sources).toHaveLength(8);
  });
});

interface DroppedItem {
  url: string;
  reason: string;
  rule?: string;
  term?: string;
}

/** A stored item is the expected release when its URL, pointed back at the real site, is the same path. */
function sameDocument(item: Item, w: ExpectedItem, server: FixtureServer): boolean {
  return sameUrl(item.url, w, server);
}

function sameUrl(found: string, w: ExpectedItem, server: FixtureServer): boolean {
  const local = new URL(server.localUrl(w.url));
  const url = new URL(found);
  return url.port === local.port && url.pathname === local.pathname && url.search === local.search;
}
