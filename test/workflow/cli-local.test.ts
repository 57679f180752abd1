import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import type { HistoryReport } from "../../cli/history-report.ts";
import { cli } from "../support/cli.ts";
import { rss, useWorkflowFixtures, writeConfigs } from "../support/workflow.ts";

const WINDOW_END = "2026-11-20T06:00:00Z";

const fixtures = useWorkflowFixtures();

const catalog = () => ({
  sources: [
    { source_key: "pharma_news", ingestion_mode: "rss", rss_url: fixtures.publisher.url("/pharma.xml") },
    { source_key: "gone_feed", ingestion_mode: "rss", rss_url: fixtures.publisher.url("/gone.xml") },
  ],
  bouquets: [],
});
const client = (source: string) => ({
  client_profile: { active: true },
  source_config: { sources_extra_enabled: [source] },
});

const PHARMA = rss("Pharma", [
  {
    title: "Depot approval in EU",
    link: "https://news.example.com/a/depot",
    pubDate: "Thu, 19 Nov 2026 10:00:00 GMT",
  },
  {
    title: "Phase 3 readout",
    link: "https://news.example.com/a/phase-3",
    pubDate: "Wed, 18 Nov 2026 08:00:00 GMT",
  },
]);

/** `vectora run`'s arguments for the workspace, before the ones a test adds. */
const runArgs = () => [
  "run",
  "--configs",
  fixtures.ws.configsDir,
  "--data",
  fixtures.ws.dataDir,
  "--allow-private-network",
];

/** `vectora run` over the workspace: `good` reads a live feed, `down` a feed that answers 404. */
const run = (input: object, opts: { isTty?: boolean; json?: boolean } = {}) =>
  cli([...runArgs(), "--input", JSON.stringify(input), ...(opts.json ? ["--json"] : [])], {
    isTty: opts.isTty ?? false,
  });

const historyJson = async (id: string): Promise<HistoryReport> => {
  const r = await cli(["history", id, "--data", fixtures.ws.dataDir, "--json"]);
  return JSON.parse(r.stdout) as HistoryReport;
};

const historyFiles = async () => (await readdir(join(fixtures.ws.dataDir, "history"))).sort();

beforeEach(async () => {
  fixtures.publisher.routes.set("/pharma.xml", { status: 200, body: PHARMA });
  await writeConfigs(fixtures.ws.configsDir, catalog(), {
    good: client("pharma_news"),
    down: client("gone_feed"),
  });
});

describe("vectora run progress", () => {
  it("prints a line per client on stderr as it ends, failed clients included, when stdout is a terminal", async () => {
    const r = await run({ scheduled_time: WINDOW_END }, { isTty: true });
    expect(r.code).toBe(0);
    expect([...r.err].sort()).toEqual([
      expect.stringMatching(/^ {2}down: failed, AllSourcesFailed \(\d+\.\d s\)$/),
      expect.stringMatching(/^ {2}good: succeeded, 2 new \(\d+\.\d s\)$/),
    ]);
  });

  it("prints nothing on stderr when stdout is not a terminal", async () => {
    const r = await run({ scheduled_time: WINDOW_END }, { isTty: false });
    expect(r.code).toBe(0);
    expect(r.err).toEqual([]);
  });

  it("prints only the JSON output in --json mode, even on a terminal", async () => {
    const r = await run({ scheduled_time: WINDOW_END }, { isTty: true, json: true });
    expect(r.err).toEqual([]);
    expect(r.out).toHaveLength(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: "partial" });
  });
});

describe("vectora history (local)", () => {
  it("reports each client of the latest local run, and the run totals, failed clients' sources included", async () => {
    await run({ scheduled_time: WINDOW_END });
    const r = await cli(["history", "latest", "--data", fixtures.ws.dataDir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^good\s+succeeded\s+\d+\.\d s\s+0\s+1\s+0\s+0\s+2$/m);
    expect(r.stdout).toMatch(
      /^down\s+failed\s+\d+\.\d s\s+0\s+0\s+0\s+1\s+-\s+AllSourcesFailed\s+.*gone_feed: http_4xx/m,
    );
    expect(r.stdout).toContain("1/2 clients succeeded, 1 failed, 0 skipped (inactive), 2 new items");
    expect(r.stdout).toContain("sources ok 1, not modified 0, failed 1");
  });

  it("finds a run by execution name and by run id, with the same report as latest", async () => {
    await run({ scheduled_time: WINDOW_END });
    const latest = await historyJson("latest");
    const name = latest.execution_arn?.split(":").at(-1) ?? "";
    const runId = String(latest.summary?.run_id);
    expect(runId.endsWith(name)).toBe(true);
    expect(await historyJson(name)).toEqual(latest);
    expect(await historyJson(runId)).toEqual(latest);
    expect(latest.clients.map((c) => [c.client_id, c.status, c.items_new])).toEqual(
      expect.arrayContaining([
        ["good", "succeeded", 2],
        ["down", "failed", null],
      ]),
    );
  });

  it("exits 1 with the error of a failed execution", async () => {
    await run({ client_id: "down", scheduled_time: WINDOW_END });
    const r = await cli(["history", "latest", "--data", fixtures.ws.dataDir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("execution FAILED: AllClientsFailed");
    expect(r.stdout).toContain("0/1 clients succeeded, 1 failed");
  });

  it("is a usage error (2) for an unknown execution", async () => {
    await run({ scheduled_time: WINDOW_END });
    const r = await cli(["history", "local-nope", "--data", fixtures.ws.dataDir]);
    expect(r.code).toBe(2);
    expect(r.err[0]).toMatch(/no local execution 'local-nope' in .*\(known: local-[0-9a-f]{8}, latest\)/);
  });
});

describe("vectora rerun (local)", () => {
  it("prints the re-run input with --dry-print: failed clients, same window and options", async () => {
    await run({ scheduled_time: WINDOW_END, force_refresh: true });
    const latest = await historyJson("latest");
    const before = await historyFiles();
    const r = await cli(["rerun", "latest", "--data", fixtures.ws.dataDir, "--dry-print"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      client_ids: ["down"],
      window_end: "2026-11-20T06:00:00.000Z",
      run_id: latest.summary?.run_id,
      ingestion_mode: "balanced",
      dry_run: false,
      force_refresh: true,
    });
    expect(await historyFiles()).toEqual(before);
  });

  it("runs only the failed clients locally, over the original window", async () => {
    await run({ scheduled_time: WINDOW_END });
    const first = await historyJson("latest");
    fixtures.publisher.routes.set("/gone.xml", { status: 200, body: PHARMA });
    const r = await cli([
      "rerun",
      String(first.execution_arn),
      "--configs",
      fixtures.ws.configsDir,
      "--data",
      fixtures.ws.dataDir,
      "--allow-private-network",
    ]);
    expect(r.code).toBe(0);
    const second = await historyJson("latest");
    expect(second.execution_arn).not.toBe(first.execution_arn);
    expect(second.clients.map((c) => [c.client_id, c.status, c.items_new])).toEqual([
      ["down", "succeeded", 2],
    ]);
    expect(second.input).toMatchObject({ client_ids: ["down"], window_end: "2026-11-20T06:00:00.000Z" });
    expect(second.run).toMatchObject({
      window_end: "2026-11-20T06:00:00.000Z",
      rerun_of: first.summary?.run_id,
    });
    expect((await fixtures.ws.items("down")).map((i) => i.title).sort()).toEqual([
      "Depot approval in EU",
      "Phase 3 readout",
    ]);
  });

  it("re-runs the clients of an execution that failed with AllClientsFailed", async () => {
    await run({ client_id: "down", scheduled_time: WINDOW_END });
    const r = await cli(["rerun", "latest", "--data", fixtures.ws.dataDir, "--dry-print"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      client_ids: ["down"],
      window_end: "2026-11-20T06:00:00.000Z",
    });
  });

  it("says so and starts nothing when no client failed", async () => {
    await run({ client_id: "good", scheduled_time: WINDOW_END });
    const before = await historyFiles();
    const r = await cli([
      "rerun",
      "latest",
      "--configs",
      fixtures.ws.configsDir,
      "--data",
      fixtures.ws.dataDir,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^no failed client in .*: nothing to re-run$/);
    expect(await historyFiles()).toEqual(before);
  });

  it("is a usage error (2) to re-run a local execution without --configs", async () => {
    await run({ scheduled_time: WINDOW_END });
    const r = await cli(["rerun", "latest", "--data", fixtures.ws.dataDir]);
    expect(r.code).toBe(2);
    expect(r.err[0]).toContain("needs --configs DIR");
  });
});

describe("vectora run (arguments)", () => {
  it("runs only the clients named with --client", async () => {
    const r = await cli([
      ...runArgs(),
      "--client",
      "good",
      "--input",
      JSON.stringify({ scheduled_time: WINDOW_END }),
    ]);
    expect(r.code).toBe(0);
    const report = await historyJson("latest");
    expect(report.clients.map((c) => c.client_id)).toEqual(["good"]);
  });

  it("is a usage error (2) with the InvalidInput message for a bad input, and runs nothing", async () => {
    const r = await cli([...runArgs(), "--input", JSON.stringify({ period_days: 0, colour: "blue" })]);
    expect(r.code).toBe(2);
    expect(r.err.join("\n")).toMatch(/InvalidInput.*period_days/s);
    expect(await readdir(fixtures.ws.dataDir).catch(() => [])).toEqual([]);
  });

  it("is a configuration error (2) when the configs folder has no readable catalog", async () => {
    await writeFile(
      join(fixtures.ws.configsDir, "canonical", "sources", "source_catalog.yaml"),
      "sources: {x: 1}\n",
    );
    const r = await cli(runArgs());
    expect(r.code).toBe(2);
    expect(r.err.join("\n")).toContain("canonical/sources/source_catalog.yaml: sources: Invalid input");
  });
});

describe("vectora demo --data", () => {
  it("refuses a folder that holds anything but an earlier demo, and deletes nothing", async () => {
    const precious = join(fixtures.ws.root, "precious");
    await mkdir(precious);
    await writeFile(join(precious, "important.txt"), "keep me");
    const r = await cli(["demo", "--data", precious]);
    expect(r.code).toBe(2);
    expect(r.err.join("\n")).toContain("not empty and not a demo folder");
    expect(await readFile(join(precious, "important.txt"), "utf8")).toBe("keep me");
  });

  it("replaces its own earlier data", async () => {
    const demo = join(fixtures.ws.root, "demo");
    expect((await cli(["demo", "--data", demo])).code).toBe(0);
    const second = await cli(["demo", "--data", demo, "--json"]);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ status: "succeeded", totals: { items_new: 35 } });
  });
});
