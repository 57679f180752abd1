import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CraftedServer, startCraftedServer } from "../http/crafted-server.ts";
import { createWorkspace, type Workspace, writeConfigs } from "../support/workflow.ts";

/** The ingest Lambda's memory size (infra/lambda-defaults.ts): the bound the whole run must stay under. */
const LAMBDA_MEMORY_MB = 1024;
const ITEMS = 100_000;

let server: CraftedServer;
let ws: Workspace;
let feedBytes = 0;

beforeAll(async () => {
  const parts: string[] = ['<?xml version="1.0"?><rss version="2.0"><channel><title>Firehose</title>'];
  for (let i = 0; i < ITEMS; i++) {
    parts.push(
      `<item><title>Story ${i} on depots</title><link>https://news.example.com/s/${i}</link>` +
        `<pubDate>Thu, 19 Nov 2026 10:00:00 GMT</pubDate><description>Item ${i}.</description></item>`,
    );
  }
  parts.push("</channel></rss>");
  const body = Buffer.from(parts.join(""));
  feedBytes = body.length;
  server = await startCraftedServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/rss+xml" }).end(body);
  });
  ws = await createWorkspace();
});
afterAll(async () => {
  await server.close();
  await ws.dispose();
});

describe("a feed with 100,000 items", () => {
  it("is parsed, windowed and de-duplicated within the ingest Lambda's memory", async () => {
    await writeConfigs(
      ws.configsDir,
      { sources: [{ source_key: "firehose", ingestion_mode: "rss", rss_url: server.url("/feed.xml") }] },
      { c: { client_profile: { active: true }, source_config: { sources_extra_enabled: ["firehose"] } } },
    );
    const result = await ws.run(
      { scheduled_time: "2026-11-20T06:00:00Z", dry_run: true },
      { fetchPolicy: { maxBytes: 32 * 1024 * 1024 } },
    );
    expect(feedBytes).toBeGreaterThan(15 * 1024 * 1024);
    expect(result.output).toMatchObject({
      status: "succeeded",
      totals: { items_found: ITEMS, items_new: ITEMS },
    });
    const peakMb = process.resourceUsage().maxRSS / 1024;
    console.log(`100,000-item feed (${(feedBytes / 1e6).toFixed(1)} MB): peak RSS ${peakMb.toFixed(0)} MB`);
    expect(peakMb).toBeLessThan(LAMBDA_MEMORY_MB);
  });
});
