import { describe, expect, it } from "vitest";
import type { SourceReport } from "../../shared/workflow/ingest-source.ts";
import { rss, useWorkflowFixtures, writeConfigs } from "../support/workflow.ts";

const WINDOW_END = "2026-11-20T06:00:00Z";

const fixtures = useWorkflowFixtures();

const client = (extra: string[]) => ({
  client_profile: { active: true },
  source_config: { sources_extra_enabled: extra },
});

function source(key: string, path: string, more: Record<string, unknown> = {}) {
  return { source_key: key, ingestion_mode: "rss", rss_url: fixtures.publisher.url(path), ...more };
}

async function sourceReports(result: { output: unknown }, clientId: string): Promise<SourceReport[]> {
  const runId = (result.output as { run_id: string }).run_id;
  const detail = (await fixtures.ws.readJson(`runs/${runId}/clients/${clientId}.json`)) as {
    sources: SourceReport[];
  };
  return detail.sources;
}

const FEED = rss("Feed", [
  {
    title: "Depot approval",
    link: "https://news.example.com/depot",
    pubDate: "Thu, 19 Nov 2026 10:00:00 GMT",
  },
  { title: "Readout", link: "https://news.example.com/readout", pubDate: "Wed, 18 Nov 2026 10:00:00 GMT" },
]);

describe("incremental runs", () => {
  it("sends the stored validators, reports not_modified on 304, and ignores them on force_refresh", async () => {
    fixtures.publisher.routes.set("/feed.xml", { status: 200, body: FEED, headers: { etag: '"v1"' } });
    await writeConfigs(
      fixtures.ws.configsDir,
      { sources: [source("feed", "/feed.xml")] },
      { c: client(["feed"]) },
    );

    const first = await fixtures.ws.run({ scheduled_time: WINDOW_END });
    expect((await sourceReports(first, "c"))[0]?.outcome).toBe("ok");
    expect(await fixtures.ws.readJson("state/c/sources.json")).toMatchObject({
      sources: { feed: { etag: '"v1"' } },
    });

    const second = await fixtures.ws.run({ scheduled_time: WINDOW_END });
    expect((await sourceReports(second, "c"))[0]?.outcome).toBe("not_modified");
    expect(fixtures.publisher.server.requests.at(-1)?.headers["if-none-match"]).toBe('"v1"');
    expect(second.output).toMatchObject({ totals: { sources_not_modified: 1, items_new: 0 } });

    const forced = await fixtures.ws.run({ scheduled_time: WINDOW_END, force_refresh: true });
    expect(fixtures.publisher.server.requests.at(-1)?.headers["if-none-match"]).toBeUndefined();
    expect((await sourceReports(forced, "c"))[0]).toMatchObject({ outcome: "ok", entries: 2 });
    expect(forced.output).toMatchObject({ totals: { items_new: 0 } });
    expect(await fixtures.ws.items("c")).toHaveLength(2);
  });

  it("treats an unchanged body from a server that ignores conditional requests as not_modified", async () => {
    fixtures.publisher.routes.set("/feed.xml", { status: 200, body: FEED });
    await writeConfigs(
      fixtures.ws.configsDir,
      { sources: [source("feed", "/feed.xml")] },
      { c: client(["feed"]) },
    );
    await fixtures.ws.run({ scheduled_time: WINDOW_END });
    const second = await fixtures.ws.run({ scheduled_time: WINDOW_END });
    expect((await sourceReports(second, "c"))[0]?.outcome).toBe("not_modified");
  });

  it("flags a source that failed three runs in a row, in the output and the run summary", async () => {
    fixtures.publisher.routes.set("/feed.xml", { status: 200, body: FEED });
    fixtures.publisher.routes.set("/down.xml", {
      status: 502,
      body: "bad gateway",
      contentType: "text/plain",
    });
    await writeConfigs(
      fixtures.ws.configsDir,
      { sources: [source("feed", "/feed.xml"), source("down", "/down.xml")] },
      { c: client(["feed", "down"]) },
    );
    const outputs = [];
    for (let i = 0; i < 3; i++) outputs.push((await fixtures.ws.run({ scheduled_time: WINDOW_END })).output);
    expect(outputs.map((o) => (o as { failing_sources: unknown[] }).failing_sources)).toEqual([
      [],
      [],
      [{ client_id: "c", source_key: "down" }],
    ]);
    const summary = (await fixtures.ws.readJson(
      `runs/${(outputs[2] as { run_id: string }).run_id}/summary.json`,
    )) as {
      sources: Record<string, unknown>[];
    };
    expect(summary.sources).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          client_id: "c",
          source_key: "down",
          outcome: "http_5xx",
          consecutive_failures: 3,
        }),
        expect.objectContaining({ client_id: "c", source_key: "feed", consecutive_failures: 0 }),
      ]),
    );
    const down = summary.sources.find((s) => s.source_key === "down");
    expect(down).toMatchObject({ last_success_at: null, last_error_class: "http_5xx" });
  });

  it("stores the same article reached through two sources once", async () => {
    fixtures.publisher.routes.set("/a.xml", { status: 200, body: FEED });
    fixtures.publisher.routes.set("/b.xml", {
      status: 200,
      body: rss("Aggregator", [
        {
          title: "Depot approval (syndicated)",
          link: "https://NEWS.example.com/depot/?utm_campaign=x#more",
          pubDate: "Thu, 19 Nov 2026 11:00:00 GMT",
        },
      ]),
    });
    await writeConfigs(
      fixtures.ws.configsDir,
      { sources: [source("a", "/a.xml"), source("b", "/b.xml")] },
      { c: client(["a", "b"]) },
    );
    await fixtures.ws.run({ scheduled_time: WINDOW_END });
    const items = await fixtures.ws.items("c");
    expect(items.map((i) => [i.source_key, i.title])).toEqual([
      ["a", "Depot approval"],
      ["a", "Readout"],
    ]);
  });

  it("applies ingestion_mode to undated items: strict drops, balanced keeps once, broad keeps every run", async () => {
    fixtures.publisher.routes.set("/undated.xml", {
      status: 200,
      body: rss("Undated", [
        { title: "An undated note on depots", link: "https://news.example.com/undated" },
      ]),
    });
    await writeConfigs(
      fixtures.ws.configsDir,
      { sources: [source("u", "/undated.xml")] },
      { c: client(["u"]) },
    );
    const run = async (mode: string, force = true) =>
      (
        (
          await fixtures.ws.run({
            scheduled_time: WINDOW_END,
            ingestion_mode: mode,
            force_refresh: force,
            dry_run: false,
          })
        ).output as { totals: { items_new: number } }
      ).totals.items_new;
    expect(await run("strict")).toBe(0);
    expect(await run("balanced")).toBe(1);
    const stored = await fixtures.ws.items("c");
    expect(stored[0]).toMatchObject({ published_at: null, date_source: "none" });
    expect(await run("balanced")).toBe(0);
    const broad = await fixtures.ws.run({
      scheduled_time: "2026-11-21T06:00:00Z",
      ingestion_mode: "broad",
      force_refresh: true,
    });
    expect((broad.output as { totals: { items_new: number } }).totals.items_new).toBe(1);
    expect((await fixtures.ws.items("c")).map((i) => i.title)).toEqual([
      "An undated note on depots",
      "An undated note on depots",
    ]);
  });

  it("dates an undated list entry from its article page's meta, and reports broken selectors", async () => {
    fixtures.publisher.routes.set("/press/", {
      status: 200,
      contentType: "text/html",
      body: `<ul><li class="r"><a href="/press/one">Partnership signed</a></li></ul>`,
    });
    fixtures.publisher.routes.set("/press/one", {
      status: 200,
      contentType: "text/html",
      body: `<html><head><meta property="article:published_time" content="2026-11-18T07:00:00Z"></head><body>x</body></html>`,
    });
    fixtures.publisher.routes.set("/moved/", {
      status: 200,
      contentType: "text/html",
      body: "<div class='new-layout'></div>",
    });
    const html = (key: string, path: string) => ({
      source_key: key,
      ingestion_mode: "html",
      html_url: fixtures.publisher.url(path),
      html: { item: "li.r", link: "a" },
    });
    await writeConfigs(
      fixtures.ws.configsDir,
      { sources: [html("press", "/press/"), html("moved", "/moved/")] },
      { c: client(["press", "moved"]) },
    );
    const result = await fixtures.ws.run({ scheduled_time: WINDOW_END });
    const reports = await sourceReports(result, "c");
    expect(reports.map((r) => [r.source_key, r.outcome])).toEqual([
      ["press", "ok"],
      ["moved", "selector_broken"],
    ]);
    expect(reports[0]?.article_fetches).toBe(1);
    const items = await fixtures.ws.items("c");
    expect(items[0]).toMatchObject({
      title: "Partnership signed",
      published_at: "2026-11-18T07:00:00.000Z",
      date_source: "page_meta",
    });
  });

  it("reads a windows-1252 feed declared as such, and reports a malformed feed as parse", async () => {
    // "’" and "€" are the windows-1252 bytes 0x92 and 0x80; latin1 encoding writes each char as that byte.
    const bytes = Buffer.from(
      `<?xml version="1.0" encoding="windows-1252"?><rss version="2.0"><channel><title>Le Monde Pharma</title>` +
        `<item><title>Résultats d\x92étude \x80</title><link>https://fr.example.com/etude</link>` +
        `<pubDate>Thu, 19 Nov 2026 10:00:00 +0100</pubDate><description>Données présentées à Paris.</description></item></channel></rss>`,
      "latin1",
    );
    fixtures.publisher.routes.set("/fr.xml", { status: 200, body: bytes, contentType: "application/xml" });
    fixtures.publisher.routes.set("/junk.xml", {
      status: 200,
      body: "<html><body>Not a feed</body></html>",
      contentType: "text/html",
    });
    await writeConfigs(
      fixtures.ws.configsDir,
      { sources: [source("fr", "/fr.xml"), source("junk", "/junk.xml")] },
      { c: client(["fr", "junk"]) },
    );
    const result = await fixtures.ws.run({ scheduled_time: WINDOW_END });
    expect((await sourceReports(result, "c")).map((r) => r.outcome)).toEqual(["ok", "parse"]);
    expect((await fixtures.ws.items("c"))[0]).toMatchObject({
      title: "Résultats d’étude €",
      content: "Données présentées à Paris.",
    });
  });
});
