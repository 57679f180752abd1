import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { LOCAL_DATA_BUCKET } from "../../cli/local/s3-server.ts";
import { type CraftedServer, startCraftedServer } from "../http/crafted-server.ts";
import { createWorkspace, rss, type Workspace, writeConfigs } from "../support/workflow.ts";

const WINDOW_END = "2026-11-20T06:00:00Z";

let server: CraftedServer;
let ws: Workspace;
let feedItems = 2;

function feed(n: number): string {
  return rss(
    "Feed",
    Array.from({ length: n }, (_, i) => ({
      title: `Story ${i}`,
      link: `https://news.example.com/story-${i}`,
      pubDate: "Thu, 19 Nov 2026 10:00:00 GMT",
    })),
  );
}

/** Streams `total` bytes of a never-ending RSS document, in 64 KiB chunks, honouring back-pressure. */
function streamHuge(res: import("node:http").ServerResponse, total: number): void {
  res.writeHead(200, { "content-type": "application/rss+xml" });
  const chunk = Buffer.alloc(64 * 1024, "<!-- padding -->");
  let sent = 0;
  const pump = () => {
    while (sent < total) {
      sent += chunk.length;
      if (!res.write(chunk)) {
        res.once("drain", pump);
        return;
      }
    }
    res.end();
  };
  res.write('<?xml version="1.0"?><rss version="2.0"><channel><title>Huge</title>');
  pump();
}

beforeAll(async () => {
  server = await startCraftedServer((req, res) => {
    if (req.url === "/feed.xml")
      res.writeHead(200, { "content-type": "application/rss+xml" }).end(feed(feedItems));
    else if (req.url === "/huge.xml") streamHuge(res, 200 * 1024 * 1024);
    else if (req.url === "/hang.xml") {
      // Never answers: the fetcher's timeout must cut it.
    } else res.writeHead(404).end();
  });
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  ws = await createWorkspace();
  feedItems = 2;
});
afterEach(async () => {
  await ws.dispose();
});

const source = (key: string, path: string) => ({
  source_key: key,
  ingestion_mode: "rss",
  rss_url: server.url(path),
});
const client = (keys: string[]) => ({
  client_profile: { active: true },
  source_config: { sources_extra_enabled: keys },
});

describe("faults", () => {
  it("fails a client with StoreUnavailable when S3 refuses a write mid-run, keeps stored items, and a re-run completes the day", async () => {
    await writeConfigs(ws.configsDir, { sources: [source("feed", "/feed.xml")] }, { c: client(["feed"]) });
    const first = await ws.run({ scheduled_time: WINDOW_END });
    expect(first.status).toBe("SUCCEEDED");
    const stored = await ws.items("c");
    expect(stored).toHaveLength(2);

    // Run details are the last objects a branch writes: a file named `runs` where s3rver needs a folder
    // makes every PutObject under runs/ answer 500, after the items and state were written.
    feedItems = 3;
    const blocked = join(ws.dataDir, "s3", LOCAL_DATA_BUCKET, "runs");
    await rm(blocked, { recursive: true });
    await writeFile(blocked, "not a folder");
    const second = await ws.run({ scheduled_time: WINDOW_END });
    expect(second.status).toBe("FAILED");
    expect(second.error).toBe("StoreUnavailable");
    const failures = second.history
      .filter((e) => e.type === "TaskFailed")
      .map((e) => (e.taskFailedEventDetails as { error: string }).error);
    // The branch was retried by the state machine (1 + 3 attempts), then caught; the summary write too.
    expect(failures.filter((name) => name === "StoreUnavailable").length).toBeGreaterThanOrEqual(4);
    const afterFault = await ws.items("c");
    expect(afterFault.slice(0, 2)).toEqual(stored);
    expect(afterFault).toHaveLength(3);

    await rm(blocked);
    const third = await ws.run({ scheduled_time: WINDOW_END });
    expect(third.status).toBe("SUCCEEDED");
    const final = await ws.items("c");
    expect(final).toEqual(afterFault);
    expect(new Set(final.map((i) => i.item_id)).size).toBe(3);
  });

  it("cuts a source that never answers at the timeout; the client's other sources still deliver", async () => {
    await writeConfigs(
      ws.configsDir,
      { sources: [source("feed", "/feed.xml"), source("hang", "/hang.xml")] },
      { c: client(["feed", "hang"]) },
    );
    const started = Date.now();
    const result = await ws.run(
      { scheduled_time: WINDOW_END },
      {
        fetchPolicy: {
          timeoutMs: 300,
          retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 },
        },
      },
    );
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(result.output).toMatchObject({
      status: "succeeded",
      totals: { sources_ok: 1, sources_failed: 1, items_new: 2 },
    });
    const runId = (result.output as { run_id: string }).run_id;
    const detail = (await ws.readJson(`runs/${runId}/clients/c.json`)) as { sources: { outcome: string }[] };
    expect(detail.sources.map((s) => s.outcome)).toEqual(["ok", "timeout"]);
  });

  it("cuts a 200 MB response at the size cap without reading it all", async () => {
    await writeConfigs(ws.configsDir, { sources: [source("huge", "/huge.xml")] }, { c: client(["huge"]) });
    const rssBefore = process.memoryUsage().rss;
    const result = await ws.run({ scheduled_time: WINDOW_END, dry_run: true });
    expect(result.status).toBe("FAILED");
    const failed = result.history.find((e) => e.type === "TaskFailed");
    const details = failed?.taskFailedEventDetails as { cause: string } | undefined;
    expect(details?.cause).toContain("huge: too_large");
    const trace = server.traces.find((t) => t.path === "/huge.xml");
    await trace?.closed;
    expect(trace?.bytesWritten).toBeLessThan(64 * 1024 * 1024);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(150 * 1024 * 1024);
  });
});
