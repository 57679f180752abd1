import { rerunInput } from "../shared/workflow/aggregate-stats.ts";
import { type ExecutionInput, parseExecutionInput, RunSchema } from "../shared/workflow/execution-input.ts";
import type { HistoryReport } from "./history-report.ts";

/**
 * The input that re-runs the failed clients of an execution over the same window with the same options, or
 * null when no client failed. The run summary's `rerun_input` when there is one; otherwise (the execution
 * ended before `Aggregate stats`) built from `List clients`' run — the original input's options and window
 * end — and the failed iterations.
 */
export function rerunInputOf(report: HistoryReport): ExecutionInput | null {
  const failed = report.clients.filter((c) => c.status === "failed").map((c) => c.client_id);
  if (report.rerun_input) return parseExecutionInput(report.rerun_input);
  if (failed.length === 0) return null;
  return rerunInput(RunSchema.parse(report.run), failed);
}
