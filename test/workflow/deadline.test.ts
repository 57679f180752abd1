import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type CraftedServer, startCraftedServer } from "../http/crafted-server.ts";
import { createWorkspace, rss, type Workspace, writeConfigs } from "../support/workflow.ts";

const WINDOW_END = "2026-11-20T06:00:00Z";
/** Each source answers after this long; one request at a time reaches the host. */
const SLOW_MS = 700;

let server: CraftedServer;
let ws: Workspace;

beforeAll(async () => {
  server = await startCraftedServer((req, res) => {
    const n = /^\/feed-(\d+)\.xml$/.exec(req.url ?? "")?.[1];
    if (n === undefined) {
      res.writeHead(404).end();
      return;
    }
    const body = rss(`Feed ${n}`, [
      {
        title: `Story ${n}`,
        link: `https://news.example.com/${n}`,
        pubDate: "Thu, 19 Nov 2026 10:00:00 GMT",
      },
    ]);
    setTimeout(() => res.writeHead(200, { "content-type": "application/rss+xml" }).end(body), SLOW_MS);
  });
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  ws = await createWorkspace();
  const sources = Array.from({ length: 5 }, (_, i) => ({
    source_key: `s${i}`,
    ingestion_mode: "rss",
    rss_url: server.url(`/feed-${i}.xml`),
  }));
  await writeConfigs(
    ws.configsDir,
    { sources, bouquets: [{ bouquet_id: "all", source_keys: sources.map((s) => s.source_key) }] },
    { slow: { client_profile: { active: true }, source_config: { source_bouquets_enabled: ["all"] } } },
  );
});
afterEach(async () => {
  await ws.dispose();
});

describe("an ingest Lambda near its deadline", () => {
  it("stops starting fetches, stores what it has and returns a partial result", async () => {
    // 3 s of Lambda time, 2 s kept back: the first two sources start (one after the other, one per host),
    // the three queued behind them find the deadline near and never start.
    const run = await ws.run(
      { scheduled_time: WINDOW_END },
      { lambdaTimeoutMs: 3_000, deadlineMarginMs: 2_000, fetchPolicy: { perHostConcurrency: 1 } },
    );
    expect(run.status).toBe("SUCCEEDED");
    const report = (await ws.readJson(
      `runs/${(run.output as { run_id: string }).run_id}/clients/slow.json`,
    )) as {
      result: { partial?: boolean; items_new: number };
      sources: { source_key: string; outcome: string; attempts: number }[];
    };
    expect(report.result.partial).toBe(true);
    const outcomes = report.sources.map((s) => s.outcome);
    expect(outcomes.filter((o) => o === "ok")).toHaveLength(2);
    expect(outcomes.filter((o) => o === "deadline")).toHaveLength(3);
    for (const s of report.sources.filter((r) => r.outcome === "deadline")) expect(s.attempts).toBe(0);
    // What ran is stored, in the usual order: items, then the ledger, then the source state.
    expect((await ws.items("slow")).map((i) => i.title).sort()).toEqual(["Story 0", "Story 1"]);
    const ledger = (await ws.readJson("state/slow/seen.json")) as { seen: Record<string, string> };
    expect(Object.keys(ledger.seen)).toHaveLength(2);
    const state = (await ws.readJson("state/slow/sources.json")) as {
      sources: Record<string, { last_outcome: string; consecutive_failures: number }>;
    };
    const deadlined = Object.values(state.sources).filter((s) => s.last_outcome === "deadline");
    expect(deadlined).toHaveLength(3);
    // A source the run had no time for is not counted against the source.
    for (const s of deadlined) expect(s.consecutive_failures).toBe(0);
  });

  it("runs every source when the invocation has time", async () => {
    const run = await ws.run(
      { scheduled_time: WINDOW_END },
      { lambdaTimeoutMs: 60_000, deadlineMarginMs: 2_000 },
    );
    expect(run.status).toBe("SUCCEEDED");
    expect(await ws.items("slow")).toHaveLength(5);
  });
});
