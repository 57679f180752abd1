import { beforeEach, describe, expect, it } from "vitest";
import { historyReport } from "../../cli/history-report.ts";
import { ExecutionInputSchema } from "../../shared/workflow/execution-input.ts";
import { rss, useWorkflowFixtures, writeConfigs } from "../support/workflow.ts";

const WINDOW_END = "2026-11-20T06:00:00Z";

const fixtures = useWorkflowFixtures();

function catalog() {
  return {
    sources: [
      {
        source_key: "pharma_news",
        ingestion_mode: "rss",
        rss_url: fixtures.publisher.url("/pharma.xml"),
        source_type: "trade_press",
      },
      {
        source_key: "reg_news",
        ingestion_mode: "rss",
        rss_url: fixtures.publisher.url("/reg.xml"),
        source_type: "regulator",
      },
      { source_key: "broken_feed", ingestion_mode: "rss", rss_url: fixtures.publisher.url("/broken.xml") },
      {
        source_key: "acme_press",
        ingestion_mode: "html",
        html_url: fixtures.publisher.url("/acme/press/"),
        source_type: "company",
        html: { item: "li.release", link: "a", title: "a", date: { selector: ".date" } },
      },
    ],
    bouquets: [{ bouquet_id: "core", source_keys: ["pharma_news", "acme_press"] }],
  };
}

const active = (bouquets: string[], extra: string[] = []) => ({
  client_profile: { name: "Client", active: true },
  source_config: { source_bouquets_enabled: bouquets, sources_extra_enabled: extra },
  pipeline: { default_period_days: 7 },
});

beforeEach(async () => {
  fixtures.publisher.routes.set("/pharma.xml", {
    status: 200,
    body: rss("Pharma", [
      {
        title: "Depot approval in EU",
        link: "https://news.example.com/a/depot-approval?utm_source=rss",
        pubDate: "Thu, 19 Nov 2026 10:00:00 GMT",
      },
      {
        title: "Phase 3 readout",
        link: "https://news.example.com/a/phase-3",
        pubDate: "Wed, 18 Nov 2026 08:00:00 GMT",
      },
      {
        title: "Old story",
        link: "https://news.example.com/a/old",
        pubDate: "Mon, 02 Nov 2026 08:00:00 GMT",
      },
    ]),
  });
  fixtures.publisher.routes.set("/reg.xml", {
    status: 200,
    body: rss("Regulator", [
      {
        title: "Guidance issued",
        link: "https://reg.example.gov/guidance-1",
        pubDate: "Tue, 17 Nov 2026 15:00:00 EST",
      },
    ]),
  });
  fixtures.publisher.routes.set("/broken.xml", {
    status: 500,
    body: "upstream down",
    contentType: "text/plain",
  });
  fixtures.publisher.routes.set("/acme/press/", {
    status: 200,
    contentType: "text/html; charset=utf-8",
    body: `<html><body><ul>
      <li class="release"><span class="date">19 November 2026</span><a href="/acme/press/2026/label-extension">Acme wins label extension</a></li>
      <li class="release"><span class="date">16 November 2026</span><a href="2026/q3-results">Acme Q3 results</a></li>
    </ul></body></html>`,
  });
});

describe("the ingest workflow, run locally over the real ASL", () => {
  it("runs active clients and skips inactive ones on an empty input", async () => {
    await writeConfigs(fixtures.ws.configsDir, catalog(), {
      alpha: active(["core"]),
      beta: active([], ["reg_news"]),
      dormant: { ...active(["core"]), client_profile: { active: false } },
    });
    const result = await fixtures.ws.run({ scheduled_time: WINDOW_END });
    expect(result.status).toBe("SUCCEEDED");
    const out = result.output as { status: string; totals: Record<string, number>; failed: unknown[] };
    expect(out.status).toBe("succeeded");
    expect(out.totals).toMatchObject({
      clients: 2,
      clients_succeeded: 2,
      clients_failed: 0,
      clients_skipped: 1,
    });
    expect(
      historyReport(result.history)
        .clients.map((r) => r.client_id)
        .sort(),
    ).toEqual(["alpha", "beta"]);

    const alpha = await fixtures.ws.items("alpha");
    expect(alpha.map((i) => i.title).sort()).toEqual([
      "Acme Q3 results",
      "Acme wins label extension",
      "Depot approval in EU",
      "Phase 3 readout",
    ]);
    const depot = alpha.find((i) => i.title === "Depot approval in EU");
    expect(depot).toMatchObject({
      published_at: "2026-11-19T10:00:00.000Z",
      date_source: "feed",
      source_type: "trade_press",
    });
    expect(depot?.item_id).toMatch(/^pharma_news__[0-9a-f]{16}$/);
    const q3 = alpha.find((i) => i.title === "Acme Q3 results");
    expect(q3).toMatchObject({
      url: fixtures.publisher.url("/acme/press/2026/q3-results"),
      date_source: "page_selector",
    });
    expect(await fixtures.ws.items("beta")).toHaveLength(1);
    expect(await fixtures.ws.items("dormant")).toEqual([]);
    const keys = await fixtures.ws.dataKeys();
    expect(keys).toContain("ingested/alpha/2026/11/20/items.json");
    expect(keys).toContain("state/alpha/sources.json");
    expect(keys.some((k) => /^runs\/[^/]+\/summary\.json$/.test(k))).toBe(true);
  });

  it("runs a single client named by client_id, even an inactive one", async () => {
    await writeConfigs(fixtures.ws.configsDir, catalog(), {
      alpha: active(["core"]),
      dormant: { ...active([], ["reg_news"]), client_profile: { active: false } },
    });
    const result = await fixtures.ws.run({ client_id: "dormant", scheduled_time: WINDOW_END });
    expect(result.status).toBe("SUCCEEDED");
    const rows = historyReport(result.history).clients;
    expect(rows.map((r) => [r.client_id, r.status, r.items_new])).toEqual([["dormant", "succeeded", 1]]);
    expect(await fixtures.ws.items("alpha")).toEqual([]);
  });

  it("fails only the clients whose source is down or whose config is invalid, and lists them", async () => {
    await writeConfigs(
      fixtures.ws.configsDir,
      catalog(),
      { good: active(["core"]), down: active([], ["broken_feed"]) },
      { invalid: "client_profile:\n  active: true\npipeline:\n  default_period_days: many\n" },
    );
    const result = await fixtures.ws.run({ scheduled_time: WINDOW_END });
    expect(result.status).toBe("SUCCEEDED");
    const out = result.output as {
      status: string;
      failed: { client_id: string; error: string; cause: string }[];
      rerun_input: unknown;
    };
    expect(out.status).toBe("partial");
    const failed = Object.fromEntries(out.failed.map((f) => [f.client_id, f]));
    expect(Object.keys(failed).sort()).toEqual(["down", "invalid"]);
    expect(failed.down?.error).toBe("AllSourcesFailed");
    expect(failed.down?.cause).toContain("broken_feed: http_5xx");
    expect(failed.invalid?.error).toBe("ClientConfigInvalid");
    expect(failed.invalid?.cause).toContain("clients/invalid.yaml: pipeline.default_period_days");
    expect(out.rerun_input).toMatchObject({
      client_ids: ["down", "invalid"],
      window_end: "2026-11-20T06:00:00.000Z",
    });
    expect(ExecutionInputSchema.safeParse(out.rerun_input).success).toBe(true);
    expect((await fixtures.ws.items("good")).length).toBe(4);
    // The 500 was retried by the fetcher before the source was given up.
    expect(fixtures.publisher.server.count("/broken.xml")).toBe(2);
  });

  it("fails the execution with AllClientsFailed when every client fails", async () => {
    await writeConfigs(fixtures.ws.configsDir, catalog(), { down: active([], ["broken_feed"]) });
    const result = await fixtures.ws.run({ client_ids: ["down", "ghost"], scheduled_time: WINDOW_END });
    expect(result.status).toBe("FAILED");
    expect(result.error).toBe("AllClientsFailed");
    const failures = result.history
      .filter((e) => e.type === "TaskFailed")
      .map((e) => (e.taskFailedEventDetails as { error: string }).error);
    expect(failures).toEqual(expect.arrayContaining(["AllSourcesFailed", "ClientNotFound"]));
  });

  it("writes nothing to the data bucket on a dry run", async () => {
    await writeConfigs(fixtures.ws.configsDir, catalog(), { alpha: active(["core"]) });
    const result = await fixtures.ws.run({ scheduled_time: WINDOW_END, dry_run: true });
    expect(result.status).toBe("SUCCEEDED");
    expect((result.output as { totals: { items_new: number } }).totals.items_new).toBe(4);
    expect(await fixtures.ws.dataKeys()).toEqual([]);
  });

  it("keeps every item and adds no duplicate when the same day runs twice", async () => {
    await writeConfigs(fixtures.ws.configsDir, catalog(), { alpha: active(["core"], ["reg_news"]) });
    const first = await fixtures.ws.run({ scheduled_time: WINDOW_END });
    expect(first.status).toBe("SUCCEEDED");
    const before = await fixtures.ws.items("alpha");
    expect(before).toHaveLength(5);

    fixtures.publisher.routes.set("/pharma.xml", {
      status: 200,
      body: rss("Pharma", [
        {
          title: "Fresh story",
          link: "https://news.example.com/a/fresh",
          pubDate: "Fri, 20 Nov 2026 05:00:00 GMT",
        },
        {
          title: "Depot approval in EU (updated title)",
          link: "https://NEWS.example.com/a/depot-approval#top",
          pubDate: "Thu, 19 Nov 2026 10:00:00 GMT",
        },
        {
          title: "Phase 3 readout",
          link: "https://news.example.com/a/phase-3",
          pubDate: "Wed, 18 Nov 2026 08:00:00 GMT",
        },
      ]),
    });
    fixtures.publisher.routes.set("/reg.xml", {
      status: 503,
      body: "maintenance",
      contentType: "text/plain",
    });
    const second = await fixtures.ws.run({ scheduled_time: "2026-11-20T18:00:00Z" });
    expect(second.status).toBe("SUCCEEDED");
    expect((second.output as { totals: { items_new: number } }).totals.items_new).toBe(1);

    const after = await fixtures.ws.items("alpha");
    expect(after).toHaveLength(6);
    expect(after.slice(0, 5)).toEqual(before);
    expect(new Set(after.map((i) => i.item_id)).size).toBe(6);
    expect(after.at(-1)?.title).toBe("Fresh story");
  });

  it("fails the execution at once with InvalidInput on a bad input", async () => {
    await writeConfigs(fixtures.ws.configsDir, catalog(), { alpha: active(["core"]) });
    const result = await fixtures.ws.run({ client_id: "alpha", period_days: 0, colour: "blue" });
    expect(result.status).toBe("FAILED");
    expect(result.error).toBe("InvalidInput");
    expect(result.cause).toContain("period_days");
    expect(result.cause).toContain("colour");
    expect(result.history.some((e) => e.type === "MapStateEntered")).toBe(false);
  });

  it("re-runs one client from a Map item pasted as the execution input", async () => {
    await writeConfigs(fixtures.ws.configsDir, catalog(), {
      alpha: active(["core"]),
      beta: active([], ["reg_news"]),
    });
    const first = await fixtures.ws.run({ scheduled_time: WINDOW_END, dry_run: true });
    const entered = first.history.find(
      (e) =>
        e.type === "TaskStateEntered" &&
        (e.stateEnteredEventDetails as { name: string }).name === "Ingest client",
    );
    const details = entered?.stateEnteredEventDetails as { input: string } | undefined;
    const item = JSON.parse(details?.input ?? "null");
    expect(ExecutionInputSchema.safeParse(item).success).toBe(true);
    const rerun = await fixtures.ws.run({ ...item, dry_run: false });
    expect(rerun.status).toBe("SUCCEEDED");
    const rows = historyReport(rerun.history).clients;
    expect(rows).toHaveLength(1);
    expect(rows[0]?.client_id).toBe(item.client_id);
  });
});
