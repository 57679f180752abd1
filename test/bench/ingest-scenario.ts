import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type LocalRunResult, runLocal } from "../../cli/local/run-local.ts";
import { writeConfigs } from "../support/workflow.ts";

export interface BenchSource {
  source_key: string;
  url: string;
}

export interface BenchClient {
  client_id: string;
  sources: BenchSource[];
}

export interface IngestScenarioSpec {
  clients: BenchClient[];
  /** The run's window end; the feeds are dated inside the 7 days before it. */
  scheduledTime: string;
  maxConcurrency: number;
  /** Fresh workspaces, one after the other; the caller takes the median. */
  repetitions: number;
  /** Untimed runs first: the first ones mostly measure the JIT and module loading. */
  warmUp?: number;
  /** Items each feed carries, to check that every one of them was ingested. */
  itemsPerFeed: number;
}

export interface IngestRunMetrics {
  /** runLocal end to end: starting the local S3 server and uploading configs included. */
  totalMs: number;
  /** ExecutionStarted to the execution's last event: what the state machine itself took. */
  executionMs: number;
  /** The slowest client's `duration_ms`, as the ingest handler measured it. */
  slowestClientMs: number;
  /** Time spent in each top-level state, from its Entered to its Exited event (null if absent). */
  states: { listClientsMs: number | null; ingestClientsMs: number | null; aggregateStatsMs: number | null };
  clientsSucceeded: number;
  itemsNew: number;
  itemsFound: number;
  sourcesOk: number;
  sourcesFailed: number;
}

interface RunTotals {
  clients_succeeded: number;
  items_new: number;
  items_found: number;
  sources_ok: number;
  sources_failed: number;
}

/** The benchmark measures a working run: a run that lost sources or clients would measure something else. */
export class BenchRunInvalidError extends Error {
  override readonly name = "BenchRunInvalidError";
}

function executionMs(history: LocalRunResult["history"]): number {
  const start = history.find((e) => e.type === "ExecutionStarted");
  const end = history.findLast((e) => e.type === "ExecutionSucceeded" || e.type === "ExecutionFailed");
  if (!start || !end) throw new BenchRunInvalidError("the execution history has no start or end event");
  return Date.parse(end.timestamp) - Date.parse(start.timestamp);
}

function stateMs(history: LocalRunResult["history"], name: string): number | null {
  const named = (e: LocalRunResult["history"][number], suffix: string, details: string) =>
    e.type.endsWith(suffix) && (e[details] as { name?: string } | undefined)?.name === name;
  const entered = history.find((e) => named(e, "StateEntered", "stateEnteredEventDetails"));
  const exited = history.findLast((e) => named(e, "StateExited", "stateExitedEventDetails"));
  if (!entered || !exited) return null;
  return Date.parse(exited.timestamp) - Date.parse(entered.timestamp);
}

async function writeScenarioConfigs(dir: string, clients: BenchClient[]): Promise<void> {
  const sources = clients.flatMap((c) =>
    c.sources.map((s) => ({
      source_key: s.source_key,
      ingestion_mode: "rss",
      rss_url: s.url,
      source_type: "trade_press",
      default_language: "en",
      tags: ["bench"],
    })),
  );
  const configs: Record<string, unknown> = {};
  for (const c of clients) {
    configs[c.client_id] = {
      client_profile: { name: `Bench ${c.client_id}`, active: true },
      source_config: {
        source_bouquets_enabled: [],
        sources_extra_enabled: c.sources.map((s) => s.source_key),
      },
      pipeline: { default_period_days: 7 },
    };
  }
  await writeConfigs(dir, { sources, bouquets: [] }, configs);
}

async function runOnce(spec: IngestScenarioSpec): Promise<IngestRunMetrics> {
  const root = await mkdtemp(join(tmpdir(), "vectora-bench-"));
  try {
    const configsDir = join(root, "configs");
    await writeScenarioConfigs(configsDir, spec.clients);
    let slowestClientMs = 0;
    const started = performance.now();
    const result = await runLocal({
      configsDir,
      dataDir: join(root, "data"),
      input: { scheduled_time: spec.scheduledTime },
      allowPrivateNetwork: true,
      maxConcurrency: spec.maxConcurrency,
      onClientDone: (r) => {
        slowestClientMs = Math.max(slowestClientMs, r.duration_ms ?? 0);
      },
    });
    const totalMs = performance.now() - started;
    if (result.status !== "SUCCEEDED") {
      throw new BenchRunInvalidError(`execution ${result.status}: ${result.error}: ${result.cause}`);
    }
    const totals = (result.output as { totals: RunTotals }).totals;
    const sources = spec.clients.reduce((n, c) => n + c.sources.length, 0);
    const expectedItems = sources * spec.itemsPerFeed;
    if (
      totals.clients_succeeded !== spec.clients.length ||
      totals.sources_ok !== sources ||
      totals.items_new !== expectedItems
    ) {
      throw new BenchRunInvalidError(
        `expected ${spec.clients.length} clients, ${sources} sources ok and ${expectedItems} new items; ` +
          `got ${JSON.stringify(totals)}`,
      );
    }
    return {
      totalMs,
      executionMs: executionMs(result.history),
      slowestClientMs,
      states: {
        listClientsMs: stateMs(result.history, "List clients"),
        ingestClientsMs: stateMs(result.history, "Ingest clients"),
        aggregateStatsMs: stateMs(result.history, "Aggregate stats"),
      },
      clientsSucceeded: totals.clients_succeeded,
      itemsNew: totals.items_new,
      itemsFound: totals.items_found,
      sourcesOk: totals.sources_ok,
      sourcesFailed: totals.sources_failed,
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

export async function runIngestScenario(spec: IngestScenarioSpec): Promise<IngestRunMetrics[]> {
  for (let i = 0; i < (spec.warmUp ?? 0); i++) await runOnce(spec);
  const runs: IngestRunMetrics[] = [];
  for (let i = 0; i < spec.repetitions; i++) runs.push(await runOnce(spec));
  return runs;
}
