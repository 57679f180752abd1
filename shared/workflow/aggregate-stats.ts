import pLimit from "p-limit";
import * as z from "zod";
import type { Runtime } from "../lambda/runtime.ts";
import { clientReportKey, runSummaryKey } from "../store/keys.ts";
import { FAILING_STREAK } from "../store/source-state.ts";
import { type ExecutionInput, type Run, RunSchema } from "./execution-input.ts";
import { ResultWriterDetailsSchema, readMapResults } from "./map-results.ts";
import { addRunMetrics } from "./run-metrics.ts";

/** A branch that ended in `Record client failure`. */
export const ClientFailureSchema = z.object({
  client_id: z.string(),
  status: z.literal("failed"),
  error: z.string(),
  cause: z.string().nullable().optional(),
});
export type ClientFailure = z.infer<typeof ClientFailureSchema>;

/** A branch's ClientResult; counters it leaves out are zero. */
const ClientSuccessSchema = z.looseObject({
  client_id: z.string(),
  status: z.literal("succeeded"),
  items_new: z.number(),
  items_found: z.number(),
  sources_ok: z.number().default(0),
  sources_not_modified: z.number().default(0),
  sources_empty: z.number().default(0),
  sources_failed: z.number().default(0),
  failing_sources: z.array(z.string()).default([]),
});

const BranchOutcomeSchema = z.union([ClientSuccessSchema, ClientFailureSchema]);

export const AggregateEventSchema = z.object({
  run: RunSchema,
  /** Set by a Distributed Map: the branch outcomes are in S3 rather than in `results`. */
  result_writer: ResultWriterDetailsSchema.optional(),
  /** Inactive clients the scan skipped. */
  skipped: z.array(z.string()),
  results: z.array(BranchOutcomeSchema).default([]),
});
export type AggregateEvent = z.infer<typeof AggregateEventSchema>;

export interface RunTotals {
  clients: number;
  clients_succeeded: number;
  clients_failed: number;
  clients_skipped: number;
  items_new: number;
  items_found: number;
  sources_ok: number;
  sources_not_modified: number;
  sources_empty: number;
  sources_failed: number;
  /** Sources that failed FAILING_STREAK runs in a row or more, all clients counted. */
  sources_failing_repeatedly: number;
}

/** At most this many failures are listed in the execution output; summary.json lists all of them. */
export const MAX_LISTED_FAILURES = 50;

/** Output of the execution: small, whatever the number of clients. */
export interface RunSummary {
  run_id: string;
  status: "succeeded" | "partial" | "failed";
  all_failed: boolean;
  window_end: string;
  dry_run: boolean;
  totals: RunTotals;
  /** A failed client's sources as its detail file gives them (all failed, for AllSourcesFailed). */
  failed: { client_id: string; error: string; cause: string | null; sources?: SourceCounts }[];
  failed_unlisted: number;
  /** Start an execution with this to re-run exactly the failed clients over the same window. */
  rerun_input: ExecutionInput | null;
  /** The first MAX_LISTED_FAILURES of the repeatedly failing sources (totals count them all). */
  failing_sources: { client_id: string; source_key: string }[];
  summary_key: string | null;
}

function shortCause(cause: string | null | undefined): string | null {
  if (!cause) return null;
  try {
    const parsed: unknown = JSON.parse(cause);
    if (
      parsed &&
      typeof parsed === "object" &&
      "errorMessage" in parsed &&
      typeof parsed.errorMessage === "string"
    ) {
      return parsed.errorMessage.slice(0, 400);
    }
  } catch {
    // Not JSON: Step Functions' own errors carry plain text causes.
  }
  return cause.slice(0, 400);
}

export function rerunInput(run: Run, clientIds: string[]): ExecutionInput {
  return {
    client_ids: clientIds,
    window_end: run.window_end,
    run_id: run.run_id,
    ingestion_mode: run.options.ingestion_mode,
    dry_run: run.options.dry_run,
    force_refresh: run.options.force_refresh,
    ...(run.options.period_days === null ? {} : { period_days: run.options.period_days }),
  };
}

type ClientSuccess = z.infer<typeof ClientSuccessSchema>;

/** Totals over the branches' results, failed clients' sources (from their detail files) included. */
function runTotals(
  event: AggregateEvent,
  succeeded: readonly ClientSuccess[],
  failed: readonly ClientFailure[],
  failedCounts: Map<string, SourceCounts>,
): RunTotals {
  const sum = (pick: (r: ClientSuccess) => number) => succeeded.reduce((n, r) => n + pick(r), 0);
  const totals: RunTotals = {
    clients: event.results.length,
    clients_succeeded: succeeded.length,
    clients_failed: failed.length,
    clients_skipped: event.skipped.length,
    items_new: sum((r) => r.items_new),
    items_found: sum((r) => r.items_found),
    sources_ok: sum((r) => r.sources_ok),
    sources_not_modified: sum((r) => r.sources_not_modified),
    sources_empty: sum((r) => r.sources_empty),
    sources_failed: sum((r) => r.sources_failed),
    sources_failing_repeatedly: 0,
  };
  for (const f of failed) {
    const c = failedCounts.get(f.client_id);
    if (!c) continue;
    totals.sources_ok += c.ok;
    totals.sources_not_modified += c.not_modified;
    totals.sources_empty += c.empty;
    totals.sources_failed += c.failed;
  }
  return totals;
}

/** From the detail files when there are any (they cover failed clients too), else from the results. */
function failingSources(succeeded: readonly ClientSuccess[], health: readonly SourceHealth[] | null) {
  if (health) {
    return health
      .filter((h) => h.consecutive_failures >= FAILING_STREAK)
      .map((h) => ({ client_id: h.client_id, source_key: h.source_key }));
  }
  return succeeded.flatMap((r) =>
    r.failing_sources.map((source_key) => ({ client_id: r.client_id, source_key })),
  );
}

function listedFailure(f: ClientFailure, failedCounts: Map<string, SourceCounts>) {
  const sources = failedCounts.get(f.client_id);
  return {
    client_id: f.client_id,
    error: f.error,
    cause: shortCause(f.cause),
    ...(sources ? { sources } : {}),
  };
}

/**
 * The run's summary. `health` (from the branches' detail files) also covers clients whose every source
 * failed, which return no result of their own; without it (a dry run writes no details) the repeatedly
 * failing sources come from the succeeded clients' results.
 */
export function summarise(
  event: AggregateEvent,
  summaryKeyOrNull: string | null,
  health: readonly SourceHealth[] | null = null,
): RunSummary {
  const succeeded = event.results.filter((r): r is ClientSuccess => r.status === "succeeded");
  const failed = event.results.filter((r): r is ClientFailure => r.status === "failed");
  const failedCounts = countsByClient(health ?? []);
  const totals = runTotals(event, succeeded, failed, failedCounts);
  const failing = failingSources(succeeded, health);
  totals.sources_failing_repeatedly = failing.length;
  const allFailed = failed.length > 0 && failed.length === event.results.length;
  return {
    run_id: event.run.run_id,
    status: allFailed ? "failed" : failed.length > 0 ? "partial" : "succeeded",
    all_failed: allFailed,
    window_end: event.run.window_end,
    dry_run: event.run.options.dry_run,
    totals,
    failed: failed.slice(0, MAX_LISTED_FAILURES).map((f) => listedFailure(f, failedCounts)),
    failed_unlisted: Math.max(0, failed.length - MAX_LISTED_FAILURES),
    rerun_input:
      failed.length > 0
        ? rerunInput(
            event.run,
            failed.map((f) => f.client_id),
          )
        : null,
    failing_sources: failing.slice(0, MAX_LISTED_FAILURES),
    summary_key: summaryKeyOrNull,
  };
}

export interface SourceCounts {
  ok: number;
  not_modified: number;
  empty: number;
  failed: number;
}

/** Source outcomes per client, from the detail files: the branch of a failed client returns no counters. */
function countsByClient(health: readonly SourceHealth[]): Map<string, SourceCounts> {
  const counts = new Map<string, SourceCounts>();
  for (const h of health) {
    const c = counts.get(h.client_id) ?? { ok: 0, not_modified: 0, empty: 0, failed: 0 };
    if (h.outcome === "ok" || h.outcome === "not_modified" || h.outcome === "empty") c[h.outcome]++;
    else c.failed++;
    counts.set(h.client_id, c);
  }
  return counts;
}

/** One source's health as of this run, for the run summary. */
export interface SourceHealth {
  client_id: string;
  source_key: string;
  outcome: string;
  consecutive_failures: number;
  last_success_at: string | null;
  last_error_class: string | null;
}

const ClientDetailSchema = z.object({
  item: z.object({ client_id: z.string() }),
  sources: z.array(
    z.object({
      source_key: z.string(),
      outcome: z.string(),
      consecutive_failures: z.number(),
      last_success_at: z.string().nullable(),
      last_error_class: z.string().nullable(),
    }),
  ),
});

const DETAIL_READ_CONCURRENCY = 16;

/**
 * Per-source health from the run's client detail files (written by each branch), for summary.json. The
 * branches' outcomes name every client of the run, so the files are read without listing them first: one
 * round trip less, and a client whose branch wrote none simply has no rows.
 */
async function sourcesHealth(
  runId: string,
  clientIds: readonly string[],
  rt: Runtime,
): Promise<SourceHealth[]> {
  const keys = [...new Set(clientIds)].map((clientId) => clientReportKey(runId, clientId));
  const limit = pLimit(DETAIL_READ_CONCURRENCY);
  // Health is a report, not a deliverable: an unreadable detail file drops its rows, not the summary.
  const details = await Promise.all(
    keys.map((key) =>
      limit(() =>
        rt.store.getJson(rt.dataBucket, key).catch((err: unknown) => {
          rt.logger.warn("run detail unreadable", { key, error: (err as Error).message });
          return null;
        }),
      ),
    ),
  );
  return details.flatMap((detail) => {
    const parsed = ClientDetailSchema.safeParse(detail?.value);
    if (!parsed.success) return [];
    const clientId = parsed.data.item.client_id;
    return parsed.data.sources.map((s) => ({ client_id: clientId, ...s }));
  });
}

/**
 * Writes `runs/{run_id}/summary.json` (every client, every failure, every source's health) unless dry run,
 * publishes the run's metrics, and returns the compact summary that ends the execution.
 */
export async function aggregateStats(input: AggregateEvent, runtime: Runtime): Promise<RunSummary> {
  const event = input.result_writer
    ? {
        ...input,
        results: z.array(BranchOutcomeSchema).parse(await readMapResults(runtime.store, input.result_writer)),
      }
    : input;
  const rt: Runtime = {
    ...runtime,
    logger: runtime.logger.createChild({ persistentKeys: { run_id: event.run.run_id } }),
  };
  const key = event.run.options.dry_run ? null : runSummaryKey(event.run.run_id);
  const clientIds = event.results.map((r) => r.client_id);
  const health = key ? await sourcesHealth(event.run.run_id, clientIds, rt) : null;
  const summary = summarise(event, key, health);
  const failedCounts = countsByClient(health ?? []);
  if (key) {
    await rt.store.putJson(rt.dataBucket, key, {
      ...summary,
      run: event.run,
      failed: event.results
        .filter((r): r is ClientFailure => r.status === "failed")
        .map((f) => listedFailure(f, failedCounts)),
      failed_unlisted: 0,
      clients: event.results,
      skipped: event.skipped,
      failing_sources: (health ?? []).filter((h) => h.consecutive_failures >= FAILING_STREAK),
      sources: health,
    });
    if (rt.metrics) {
      addRunMetrics(rt.metrics, summary);
      rt.metrics.publishStoredMetrics();
    }
  }
  rt.logger.info("run aggregated", { status: summary.status, totals: summary.totals });
  return summary;
}
