import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { historyReport } from "../../cli/history-report.ts";
import { LOCAL_DATA_BUCKET } from "../../cli/local/s3-server.ts";
import { rss, useWorkflowFixtures, writeConfigs } from "../support/workflow.ts";

const fixtures = useWorkflowFixtures();

beforeEach(async () => {
  fixtures.publisher.routes.set("/feed.xml", {
    status: 200,
    headers: { etag: '"v1"' },
    body: rss("Feed", [
      {
        title: "Older news",
        link: "https://news.example.com/older",
        pubDate: "Mon, 16 Nov 2026 10:00:00 GMT",
      },
      {
        title: "Newer news",
        link: "https://news.example.com/newer",
        pubDate: "Thu, 19 Nov 2026 10:00:00 GMT",
      },
    ]),
  });
  await writeConfigs(
    fixtures.ws.configsDir,
    {
      sources: [
        { source_key: "feed", ingestion_mode: "rss", rss_url: fixtures.publisher.url("/feed.xml") },
        { source_key: "down", ingestion_mode: "rss", rss_url: fixtures.publisher.url("/down.xml") },
      ],
    },
    {
      c: { client_profile: { active: true }, source_config: { sources_extra_enabled: ["feed"] } },
      dead: { client_profile: { active: true }, source_config: { sources_extra_enabled: ["down"] } },
    },
  );
});

/** The s3rver file holding an object's bytes, to damage it as a bad deploy or a bug would. */
const objectFile = (key: string) =>
  join(fixtures.ws.dataDir, "s3", LOCAL_DATA_BUCKET, `${key}._S3rver_object`);

describe("stored state", () => {
  it("keeps a source's validators when the run set entries aside for a later window", async () => {
    // A replay of an older window sees "Newer news" after its end: the next run must still read it.
    await fixtures.ws.run({ client_id: "c", window_end: "2026-11-17T06:00:00Z" });
    expect(await fixtures.ws.readJson("state/c/sources.json")).toMatchObject({
      sources: { feed: { etag: null } },
    });
    const next = await fixtures.ws.run({ client_id: "c", scheduled_time: "2026-11-20T06:00:00Z" });
    expect(fixtures.publisher.server.requests.at(-1)?.headers["if-none-match"]).toBeUndefined();
    expect(next.output).toMatchObject({ totals: { items_new: 1 } });
    expect((await fixtures.ws.items("c")).map((i) => i.title).sort()).toEqual(["Newer news", "Older news"]);
  });

  it("starts a corrupt state file afresh instead of failing the client on every run", async () => {
    await fixtures.ws.run({ client_id: "c", scheduled_time: "2026-11-20T06:00:00Z" });
    await writeFile(objectFile("state/c/sources.json"), "{ not json");
    await writeFile(objectFile("state/c/seen.json"), JSON.stringify({ seen: "wrong shape" }));
    const again = await fixtures.ws.run({ client_id: "c", scheduled_time: "2026-11-20T07:00:00Z" });
    expect(again.status).toBe("SUCCEEDED");
    expect(again.output).toMatchObject({ status: "succeeded", totals: { items_new: 0 } });
    expect(await fixtures.ws.readJson("state/c/sources.json")).toMatchObject({
      sources: { feed: { etag: '"v1"' } },
    });
    expect(await fixtures.ws.items("c")).toHaveLength(2);
  });

  it("fails the client with StoredDataInvalid and leaves a damaged items file untouched", async () => {
    const key = "ingested/c/2026/11/20/items.json";
    const first = await fixtures.ws.run({ client_id: "c", scheduled_time: "2026-11-20T06:00:00Z" });
    expect(first.status).toBe("SUCCEEDED");
    // The day's file no longer holds items (a hand edit, a bug): it must be neither merged nor replaced.
    await writeFile(objectFile(key), '[{"title": "hand-edited, no item_id"}]');
    fixtures.publisher.routes.set("/feed.xml", {
      status: 200,
      body: rss("Feed", [
        { title: "Fresh", link: "https://news.example.com/fresh", pubDate: "Fri, 20 Nov 2026 05:00:00 GMT" },
      ]),
    });
    const result = await fixtures.ws.run({ client_id: "c", scheduled_time: "2026-11-20T08:00:00Z" });
    expect(result.status).toBe("FAILED");
    const report = historyReport(result.history);
    expect(report.clients[0]).toMatchObject({ client_id: "c", status: "failed", error: "StoredDataInvalid" });
    expect(await readFile(objectFile(key), "utf8")).toBe('[{"title": "hand-edited, no item_id"}]');
  });

  it("flags the sources of a client whose every source failed three runs in a row", async () => {
    fixtures.publisher.routes.set("/down.xml", { status: 500, body: "down", contentType: "text/plain" });
    let report = historyReport([]);
    for (let i = 0; i < 3; i++) {
      report = historyReport((await fixtures.ws.run({ scheduled_time: "2026-11-20T06:00:00Z" })).history);
    }
    expect(report.summary).toMatchObject({
      status: "partial",
      failing_sources: [{ client_id: "dead", source_key: "down" }],
      totals: { sources_failing_repeatedly: 1 },
    });
  });
});
