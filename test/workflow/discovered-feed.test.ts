import { describe, expect, it } from "vitest";
import { rss, useWorkflowFixtures, writeConfigs } from "../support/workflow.ts";

const WINDOW_END = "2026-11-20T06:00:00Z";
const PUB = "Thu, 19 Nov 2026 10:00:00 GMT";
const fixtures = useWorkflowFixtures();

/** A newsroom page that declares its feed, with a listing of its own in case the feed goes. */
const PAGE = `<html><head><link rel="alternate" type="application/rss+xml" href="/news/feed.xml"></head><body>
<main><ul class="news">
${["one", "two", "three"]
  .map(
    (n) => `<li><h3><a href="/news/${n}">Release ${n} of the newsroom</a></h3><p>18 November 2026</p></li>`,
  )
  .join("\n")}
</ul></main></body></html>`;

interface SourceReport {
  outcome: string;
  extraction?: string;
  notes?: string[];
}

async function run(): Promise<SourceReport | undefined> {
  const result = await fixtures.ws.run({ scheduled_time: WINDOW_END });
  const runId = (result.output as { run_id: string }).run_id;
  const report = (await fixtures.ws.readJson(`runs/${runId}/clients/weekly.json`)) as {
    sources: SourceReport[];
  };
  return report.sources[0];
}

describe("a page source read through the feed it declares", () => {
  it("keeps the feed in its state, and falls back to the page when the feed dies", async () => {
    const { publisher, ws } = fixtures;
    publisher.routes.set("/news/", { status: 200, contentType: "text/html", body: PAGE });
    publisher.routes.set("/news/feed.xml", {
      status: 200,
      body: rss("Newsroom", [{ title: "Release one", link: publisher.url("/news/one"), pubDate: PUB }]),
    });
    await writeConfigs(
      ws.configsDir,
      { sources: [{ source_key: "acme", ingestion_mode: "html", html_url: publisher.url("/news/") }] },
      { weekly: { client_profile: { active: true }, source_config: { sources_extra_enabled: ["acme"] } } },
    );

    expect(await run()).toMatchObject({ outcome: "ok", extraction: "feed_discovered" });
    const state = (await ws.readJson("state/weekly/sources.json")) as {
      sources: Record<string, { discovered_feed_url?: string }>;
    };
    expect(state.sources.acme?.discovered_feed_url).toBe(publisher.url("/news/feed.xml"));

    publisher.routes.delete("/news/feed.xml");
    const fallback = await run();
    expect(fallback).toMatchObject({ outcome: "ok", extraction: "generic" });
    expect(fallback?.notes?.join(" ")).toMatch(/discovered feed failed/);
  });
});
