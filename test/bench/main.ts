import { fork } from "node:child_process";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { externalDir } from "../support/external-material.ts";
import { benchFeedXml } from "./feed-fixture.ts";
import { type FeedServer, startFeedServer } from "./feed-server.ts";
import type { BenchClient, IngestScenarioSpec } from "./ingest-scenario.ts";
import { type BenchReport, evaluateTargets, formatReport, ingestFigures, ratios } from "./results.ts";
import type { ChildResult, ChildTask, ChildValue } from "./tasks.ts";

const LATENCY_MS = 300;
const ITEMS_PER_FEED = 20;
const DESCRIPTION_WORDS = 90;
const HOSTS = 20;
/** Timed runs of each ingest scenario, after one untimed warm-up run; the median is reported. */
const REPETITIONS = 5;

const FEED_PATH = /^\/([a-z0-9-]+)\/c(\d+)\/s(\d+)\.xml$/;

/** Runs one task in a forked Node process with this process's flags (tsx, the legacy OpenSSL provider). */
function inChild(task: ChildTask): Promise<{ value: ChildValue; peakRssBytes: number }> {
  const execArgv = [
    ...process.execArgv,
    // Paginated listings on s3rver need DES (see cli/local/s3-server.ts).
    ...(process.execArgv.includes("--openssl-legacy-provider") ? [] : ["--openssl-legacy-provider"]),
  ];
  return new Promise((resolve, reject) => {
    const child = fork(join(import.meta.dirname, "child.ts"), [JSON.stringify(task)], {
      execArgv,
      // The SDK's Node 20 end-of-support notice, once per child, would bury the progress lines.
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
      // stdout is reserved for the report (one JSON document with --json): the child's goes to stderr.
      stdio: ["ignore", "pipe", "inherit", "ipc"],
    });
    child.stdout?.pipe(process.stderr);
    let result: ChildResult | undefined;
    child.on("message", (message) => {
      result = message as ChildResult;
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (result?.ok) resolve({ value: result.value, peakRssBytes: result.peakRssBytes });
      else if (result) reject(new Error(`${task.kind} benchmark failed: ${result.error}`));
      else reject(new Error(`${task.kind} benchmark process exited with ${signal ?? code} and no result`));
    });
  });
}

function clients(
  server: FeedServer,
  scenario: string,
  count: number,
  sourcesPerClient: number,
): BenchClient[] {
  return Array.from({ length: count }, (_, c) => ({
    client_id: `${scenario}-${String(c).padStart(3, "0")}`,
    sources: Array.from({ length: sourcesPerClient }, (_, s) => ({
      source_key: `${scenario}_c${c}_s${s}`,
      // One host per source of a client: the per-host politeness limit is not what is measured here.
      url: server.url(s, `/${scenario}/c${c}/s${s}.xml`),
    })),
  }));
}

async function ingest(spec: IngestScenarioSpec, label: string, log: (line: string) => void) {
  log(`${label}...`);
  const { value, peakRssBytes } = await inChild({ kind: "ingest", spec });
  if (value.kind !== "ingest") throw new Error(`unexpected ${value.kind} result for ${label}`);
  const first = spec.clients[0];
  return ingestFigures(
    {
      clients: spec.clients.length,
      sourcesPerClient: first?.sources.length ?? 0,
      maxConcurrency: spec.maxConcurrency,
    },
    value.runs,
    peakRssBytes,
  );
}

async function measure<K extends ChildValue["kind"]>(
  task: ChildTask & { kind: K },
  label: string,
  log: (line: string) => void,
) {
  log(`${label}...`);
  const result = await inChild(task);
  if (result.value.kind !== task.kind) throw new Error(`unexpected ${result.value.kind} result for ${label}`);
  return result as { value: Extract<ChildValue, { kind: K }>; peakRssBytes: number };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { json: { type: "boolean", default: false } } });
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const startedAt = new Date();
  // The window ends now, on a whole minute; every feed item is dated inside the 7 days before it.
  const windowEnd = new Date(Math.floor(startedAt.getTime() / 60_000) * 60_000);
  const scheduledTime = windowEnd.toISOString();
  const feed = (slug: string) =>
    benchFeedXml({ slug, items: ITEMS_PER_FEED, windowEnd, descriptionWords: DESCRIPTION_WORDS });

  const server = await startFeedServer({
    hosts: HOSTS,
    latencyMs: LATENCY_MS,
    body: (path) => {
      const m = FEED_PATH.exec(path);
      return m ? feed(`${m[1]}-c${m[2]}-s${m[3]}`) : undefined;
    },
  });
  try {
    const corpusDir = externalDir("VECTORA_CORPUS_DIR").dir;
    if (!corpusDir) throw new Error("the parse ratios need VECTORA_CORPUS_DIR (the feed corpus); see README");
    const base = { scheduledTime, itemsPerFeed: ITEMS_PER_FEED, repetitions: REPETITIONS, warmUp: 1 };
    const oneClient20 = await ingest(
      { ...base, clients: clients(server, "a", 1, 20), maxConcurrency: 10 },
      "one client x 20 sources",
      log,
    );
    const oneClient10 = await ingest(
      { ...base, clients: clients(server, "unit", 1, 10), maxConcurrency: 10 },
      "one client x 10 sources (the wave unit)",
      log,
    );
    const manyClients = await ingest(
      { ...base, clients: clients(server, "b", 100, 10), maxConcurrency: 10 },
      "100 clients x 10 sources, MaxConcurrency 10",
      log,
    );
    const parsed = await measure(
      { kind: "parse", corpusDir },
      "parsing the corpus with parseFeed and its peers",
      log,
    );
    const profiles = await measure({ kind: "profiles" }, "matching ingestion profiles", log);
    const bundled = await measure({ kind: "bundles" }, "bundling the Lambdas and timing their load", log);
    const parse = { ...parsed.value.ratios, peakRssBytes: parsed.peakRssBytes };
    const partial: Omit<BenchReport, "targets"> = {
      environment: {
        node: process.versions.node,
        platform: `${process.platform}-${process.arch}`,
        cpus: availableParallelism(),
        startedAt: startedAt.toISOString(),
        durationS: (Date.now() - startedAt.getTime()) / 1000,
      },
      settings: {
        latencyMs: LATENCY_MS,
        itemsPerFeed: ITEMS_PER_FEED,
        feedBytes: Buffer.byteLength(feed("a-c0-s0")),
        hosts: HOSTS,
        repetitions: REPETITIONS,
      },
      ratios: ratios({ parse, oneClient20, oneClient10, manyClients }, LATENCY_MS),
      parse,
      oneClient20,
      oneClient10,
      manyClients,
      profileMatching: profiles.value.matching,
      bundles: bundled.value.sizes,
    };
    const report: BenchReport = { ...partial, targets: evaluateTargets(partial) };
    process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  } finally {
    await server.close();
  }
}

try {
  await main();
} catch (err) {
  process.stderr.write(
    `benchmark crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exitCode = 1;
}
