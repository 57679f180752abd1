import type { ClientConfig } from "../config/client-config.ts";
import type { ResolvedSources } from "../config/resolve-sources.ts";
import { AllSourcesFailedError } from "../errors/workflow-errors.ts";
import type { Runtime } from "../lambda/runtime.ts";
import { clientReportKey, dailyItemsKey } from "../store/keys.ts";
import { FAILING_STREAK, isFailure, type SourcesState } from "../store/source-state.ts";
import type { IngestItem } from "./execution-input.ts";
import type { SourceReport } from "./ingest-source.ts";
import type { Window } from "./item-filters.ts";
import type { Selection, SourceResult } from "./select-items.ts";

/**
 * What a branch returns through the state machine: counters only, about 100 bytes, so 1,000 branches fit
 * in one state's 256 KB. A source counter that is zero is left out; `inactive`, `partial` and
 * `failing_sources` appear only when they say something.
 */
export interface ClientResult {
  client_id: string;
  status: "succeeded";
  items_new: number;
  items_found: number;
  sources_ok?: number;
  sources_not_modified?: number;
  sources_empty?: number;
  sources_failed?: number;
  /** The client ran because it was named, although `client_profile.active` is false. */
  inactive?: true;
  /** The Lambda neared its deadline: some sources never started (outcome `deadline`); what ran is stored. */
  partial?: true;
  /** Sources that failed FAILING_STREAK runs in a row or more. */
  failing_sources?: string[];
  duration_ms: number;
}

function nonZero(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
}

/** Each source's report, with its health as stored after this run and what became of its candidates. */
export function sourceReports(
  results: readonly SourceResult[],
  state: SourcesState,
  selection: Selection,
): SourceReport[] {
  return results.map(({ source, run }) => {
    const stored = state.sources[source.source_key];
    const retention = selection.retention.get(source.source_key);
    return {
      ...run.report,
      ...(retention ? { kept: retention.kept, dropped: retention.dropped } : {}),
      consecutive_failures: stored?.consecutive_failures ?? 0,
      last_success_at: stored?.last_success_at ?? null,
      last_error_class: stored?.last_error_class ?? null,
    };
  });
}

/** A succeeded client's source counters by outcome, zeros left out. */
function sourceCounts(reports: readonly SourceReport[]) {
  const count = (pred: (r: SourceReport) => boolean) => reports.filter(pred).length;
  return nonZero({
    sources_ok: count((r) => r.outcome === "ok"),
    sources_not_modified: count((r) => r.outcome === "not_modified"),
    sources_empty: count((r) => r.outcome === "empty"),
    sources_failed: count((r) => isFailure(r.outcome)),
  });
}

export function clientResult(
  item: IngestItem,
  config: ClientConfig,
  selection: Selection,
  reports: readonly SourceReport[],
  added: number,
  durationMs: number,
): ClientResult {
  const failing = reports.filter((r) => r.consecutive_failures >= FAILING_STREAK).map((r) => r.source_key);
  return {
    client_id: item.client_id,
    status: "succeeded",
    items_new: added,
    items_found: selection.found,
    ...sourceCounts(reports),
    ...(config.client_profile.active ? {} : { inactive: true as const }),
    ...(reports.some((r) => r.outcome === "deadline") ? { partial: true as const } : {}),
    ...(failing.length > 0 ? { failing_sources: failing } : {}),
    duration_ms: durationMs,
  };
}

/** `runs/{run_id}/clients/{client_id}.json`: the per-source detail that stays out of the state machine. */
export async function writeClientReport(
  item: IngestItem,
  window: Window,
  resolved: ResolvedSources,
  selection: Selection,
  reports: readonly SourceReport[],
  result: ClientResult,
  rt: Runtime,
): Promise<void> {
  if (item.dry_run) return;
  await rt.store.putJson(rt.dataBucket, clientReportKey(item.run_id, item.client_id), {
    item,
    result,
    window,
    dropped: selection.dropped,
    dropped_items: selection.droppedItems,
    sources: reports,
    skipped_sources: resolved.skipped,
    items_key: dailyItemsKey(item.client_id, item.window_end),
  });
}

/**
 * A client whose sources all failed fails its branch, so the run shows it; its state and report are stored
 * first. The message carries the counts, so the history row shows them although the branch failed.
 */
export function failIfAllSourcesFailed(clientId: string, reports: readonly SourceReport[]): void {
  if (reports.length === 0 || !reports.every((r) => isFailure(r.outcome))) return;
  const detail = reports.map((r) => `${r.source_key}: ${r.outcome}`).join(", ");
  throw new AllSourcesFailedError(`all ${reports.length} sources of '${clientId}' failed (${detail})`);
}
