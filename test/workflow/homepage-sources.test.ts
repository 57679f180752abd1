import { existsSync, readFileSync, statSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { cli } from "../support/cli.ts";
import { createWorkspace, type Workspace, writeConfigs } from "../support/workflow.ts";

/** A fixture site of the probe tests, served as it is, with a switch that makes its listing disappear. */
const SITE = join(import.meta.dirname, "..", "fixtures", "probe-sites", "fr-verdane-communiques");
const LISTING = "/fr/communiques/";
const WINDOW_END = "2026-11-20T06:00:00Z";
const HOUR_MS = 3_600_000;

let server: http.Server;
let origin: string;
let listingGone = false;
const requested: string[] = [];
let ws: Workspace;

function fileFor(pathname: string): string | null {
  const path = normalize(decodeURIComponent(pathname));
  const file = join(SITE, path.endsWith("/") ? `${path}index.html` : path);
  return file.startsWith(SITE) && existsSync(file) && statSync(file).isFile() ? file : null;
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://fixture").pathname;
    requested.push(path);
    const file = listingGone && path === LISTING ? null : fileFor(path);
    if (!file) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    const type = extname(file) === ".xml" ? "application/xml" : "text/html; charset=utf-8";
    res
      .writeHead(200, { "content-type": type })
      .end(readFileSync(file, "utf8").replaceAll("{{origin}}", origin));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(async () => {
  listingGone = false;
  requested.length = 0;
  ws = await createWorkspace();
  await writeConfigs(
    ws.configsDir,
    { sources: [{ source_key: "verdane", ingestion_mode: "html", homepage_url: `${origin}/` }] },
    { weekly: { client_profile: { active: true }, source_config: { sources_extra_enabled: ["verdane"] } } },
  );
});
afterEach(async () => {
  await ws.dispose();
});

interface Report {
  sources: { outcome: string; extraction?: string; entries: number; notes?: string[] }[];
}

async function runAt(hoursAfterWindowEnd: number): Promise<Report["sources"][number] | undefined> {
  const now = new Date(Date.parse(WINDOW_END) + hoursAfterWindowEnd * HOUR_MS);
  const run = await ws.run({ scheduled_time: WINDOW_END, ingestion_mode: "broad" }, { now: () => now });
  // The run id comes from the history: a client whose only source failed fails the execution, whose
  // output is then empty, but its report is stored.
  const listed = run.history.find(
    (e) =>
      e.type === "TaskStateExited" &&
      (e.stateExitedEventDetails as { name?: string })?.name === "List clients",
  );
  const output = JSON.parse((listed?.stateExitedEventDetails as { output?: string })?.output ?? "{}") as {
    run?: { run_id?: string };
  };
  const report = await ws.readJson(`runs/${output.run?.run_id}/clients/weekly.json`);
  return (report as Report | null)?.sources[0];
}

async function discovered(): Promise<{ url: string; kind: string; at: string } | undefined> {
  const state = (await ws.readJson("state/weekly/sources.json")) as {
    sources: Record<string, { discovered_listing?: { url: string; kind: string; at: string } }>;
  };
  return state.sources.verdane?.discovered_listing;
}

describe("a catalog entry with only a homepage", () => {
  it("discovers its listing on the first run and keeps it in the source state", async () => {
    const source = await runAt(0);
    expect(source).toMatchObject({ outcome: "ok", extraction: "discovered_from_homepage" });
    expect(source?.entries).toBeGreaterThan(0);
    expect(requested).toContain("/");
    expect((await discovered())?.url).toBe(`${origin}${LISTING}`);
  });

  it("goes straight to the chosen listing on later runs", async () => {
    await runAt(0);
    requested.length = 0;
    const source = await runAt(2);
    // The page has not changed since the first run: a conditional request, and nothing new to read.
    expect(source?.outcome).toBe("not_modified");
    expect(requested).toEqual([LISTING]);
  });

  it("fails the source when the chosen listing dies, and looks again only once a day has passed", async () => {
    await runAt(0);
    listingGone = true;
    requested.length = 0;
    expect((await runAt(3))?.outcome).toBe("http_4xx");
    expect(requested).toEqual([LISTING]);
    requested.length = 0;
    await runAt(25);
    expect(requested[0]).toBe(LISTING);
    expect(requested).toContain("/");
  });

  it("gets a proposal from `validate --probe`, which never writes the catalog", async () => {
    const catalog = join(ws.configsDir, "canonical", "sources", "source_catalog.yaml");
    const before = readFileSync(catalog, "utf8");
    const r = await cli(["validate", ws.configsDir, "--probe", "--allow-private-network"]);
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(new RegExp(`^probe verdane: ${origin}${LISTING} \\(page;`));
    expect(r.stdout).toContain(`html_url: "${origin}${LISTING}"`);
    expect(readFileSync(catalog, "utf8")).toBe(before);
  });
});
