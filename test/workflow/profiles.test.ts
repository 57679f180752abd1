import { cp } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../support/cli.ts";
import { rss, useWorkflowFixtures, writeConfigs } from "../support/workflow.ts";

const WINDOW_END = "2026-11-20T06:00:00Z";
const PUB = "Thu, 19 Nov 2026 10:00:00 GMT";
const PROFILES = join(import.meta.dirname, "..", "fixtures", "profiles", "canonical");
const fixtures = useWorkflowFixtures();

const STORIES = [
  {
    title: "Nordvik Pharma starts Phase 3 of its once-monthly long-acting injectable",
    link: "https://nordvik.example/press/phase-3",
    pubDate: PUB,
    description:
      "Nordvik Pharma dosed the first patient with NVP-204, a long-acting injectable of aripiprazole.",
  },
  {
    title: "Nordvik Pharma is growing in Lyon",
    link: "https://nordvik.example/press/hiring",
    pubDate: PUB,
    description: "We are hiring! Nordvik Pharma seeks an experienced process engineer for its new site.",
  },
  {
    title: "Nordvik Pharma opens a new office in Lyon",
    link: "https://nordvik.example/press/office",
    pubDate: PUB,
    description: "The company welcomed local officials to the inauguration of its new offices in Lyon.",
  },
];

async function setUp(withProfiles: boolean): Promise<void> {
  fixtures.publisher.routes.set("/press.xml", { status: 200, body: rss("Nordvik", STORIES) });
  await writeConfigs(
    fixtures.ws.configsDir,
    {
      sources: [
        {
          source_key: "nordvik",
          ingestion_mode: "rss",
          rss_url: fixtures.publisher.url("/press.xml"),
          source_type: "press_corporate",
          ingestion_profile: "corporate_pure_player",
        },
      ],
    },
    { weekly: { client_profile: { active: true }, source_config: { sources_extra_enabled: ["nordvik"] } } },
  );
  if (withProfiles) await cp(PROFILES, join(fixtures.ws.configsDir, "canonical"), { recursive: true });
}

async function titles(): Promise<string[]> {
  return (await fixtures.ws.items("weekly")).map((i) => i.title).sort();
}

describe("ingestion profiles in a run", () => {
  it("drops a hiring announcement by the source's exclusion scope and keeps the press item", async () => {
    await setUp(true);
    const run = await fixtures.ws.run({ scheduled_time: WINDOW_END });
    expect(run.status).toBe("SUCCEEDED");
    expect(await titles()).toEqual([
      "Nordvik Pharma opens a new office in Lyon",
      "Nordvik Pharma starts Phase 3 of its once-monthly long-acting injectable",
    ]);
    const runId = (run.output as { run_id: string }).run_id;
    const report = (await fixtures.ws.readJson(`runs/${runId}/clients/weekly.json`)) as {
      sources: { kept: number; dropped: Record<string, number> }[];
      dropped: { profile: number };
    };
    expect(report.dropped.profile).toBe(1);
    expect(report.sources[0]?.kept).toBe(2);
    expect(report.sources[0]?.dropped).toEqual({
      "profile: corporate_pure_player: exclusion_scopes exclusion_scopes.hr_content": 1,
    });
  });

  it("keeps only items with signals under strict, on the same corporate source", async () => {
    await setUp(true);
    await fixtures.ws.run({ scheduled_time: WINDOW_END, ingestion_mode: "strict" });
    expect(await titles()).toEqual([
      "Nordvik Pharma starts Phase 3 of its once-monthly long-acting injectable",
    ]);
  });

  it("filters nothing under broad", async () => {
    await setUp(true);
    await fixtures.ws.run({ scheduled_time: WINDOW_END, ingestion_mode: "broad" });
    expect(await titles()).toHaveLength(3);
  });

  it("behaves as before when the bucket has no profile files", async () => {
    await setUp(false);
    await fixtures.ws.run({ scheduled_time: WINDOW_END });
    expect(await titles()).toHaveLength(3);
  });

  it("tells an editor why a story is missing: `items --dropped` gives the rule and the term", async () => {
    await setUp(true);
    await fixtures.ws.run({ scheduled_time: WINDOW_END });
    const r = await cli(["items", "--data", fixtures.ws.dataDir, "--client", "weekly", "--dropped"]);
    expect(r.code).toBe(0);
    const dropped = r.out.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(dropped).toEqual([
      expect.objectContaining({
        source_key: "nordvik",
        title: "Nordvik Pharma is growing in Lyon",
        reason: "profile",
        rule: "corporate_pure_player: exclusion_scopes exclusion_scopes.hr_content",
        term: expect.stringMatching(/hiring/i),
      }),
    ]);
  });
});
