import { describe, expect, it } from "vitest";
import { useWorkflowFixtures, writeConfigs } from "../support/workflow.ts";

const WINDOW_END = "2026-11-20T06:00:00Z";
const fixtures = useWorkflowFixtures();

const ARTICLE = `<html><head><meta property="article:published_time" content="2026-10-01T08:00:00Z"></head>
<body><article><h1>An older release</h1><p>Text of a release published in October.</p></article></body></html>`;

function listing(items: string[]): string {
  return `<html><body><ul>${items.map((i) => `<li class="n">${i}</li>`).join("")}</ul></body></html>`;
}

async function setUp(): Promise<void> {
  const { publisher } = fixtures;
  publisher.routes.set("/old", {
    status: 200,
    body: ARTICLE,
    contentType: "text/html",
    headers: { etag: '"a1"' },
  });
  publisher.routes.set("/news/", {
    status: 200,
    contentType: "text/html",
    body: listing(['<a href="/old">An older release</a>']),
  });
  await writeConfigs(
    fixtures.ws.configsDir,
    {
      sources: [
        {
          source_key: "acme",
          ingestion_mode: "html",
          html_url: publisher.url("/news/"),
          html: { item: "li.n", link: "a" },
        },
      ],
    },
    { weekly: { client_profile: { active: true }, source_config: { sources_extra_enabled: ["acme"] } } },
  );
}

function articleRequests(): (string | undefined)[] {
  return fixtures.publisher.server.requests
    .filter((r) => r.path === "/old")
    .map((r) => r.headers["if-none-match"] as string | undefined);
}

describe("article pages read for a date", () => {
  it("are asked for conditionally on a later run, a 304 reusing the date read before", async () => {
    await setUp();
    await fixtures.ws.run({ scheduled_time: WINDOW_END });
    // The listing changes, so the source is read again, with the old entry still undelivered.
    fixtures.publisher.routes.set("/news/", {
      status: 200,
      contentType: "text/html",
      body: listing(['<a href="/old">An older release</a>', '<a href="/new">New 18 November 2026</a>']),
    });
    const run = await fixtures.ws.run({ scheduled_time: WINDOW_END });
    expect(articleRequests()).toEqual([undefined, '"a1"']);
    const runId = (run.output as { run_id: string }).run_id;
    const report = (await fixtures.ws.readJson(`runs/${runId}/clients/weekly.json`)) as {
      dropped_items: { url: string; reason: string; published_at: string | null }[];
    };
    // The date came from the memo: the entry is still known to be older than the window.
    expect(report.dropped_items).toEqual([
      expect.objectContaining({ reason: "before_window", published_at: "2026-10-01T08:00:00.000Z" }),
    ]);
  });
});
