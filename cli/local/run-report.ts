import { formatHistoryReport, historyReport } from "../history-report.ts";
import type { Io } from "../io.ts";
import type { ClientDone, LocalRunResult } from "./run-local.ts";

/**
 * Prints a local execution as `run`, `demo` and a local `rerun` do: its output (or error) as JSON, or the
 * history table. Returns the exit status: 0 when the execution succeeded, even with failed clients.
 */
export function printRunResult(result: LocalRunResult, asJson: boolean, dataDir: string, io: Io): number {
  if (asJson) io.out(JSON.stringify(jsonOf(result)));
  else {
    io.out(formatHistoryReport(historyReport(result.history, result.executionArn)));
    io.out(`data: ${dataDir}   history: ${result.historyFile}`);
  }
  return result.status === "SUCCEEDED" ? 0 : 1;
}

function jsonOf(result: LocalRunResult): unknown {
  if (result.status === "SUCCEEDED") return result.output;
  return {
    status: result.status,
    error: result.error,
    cause: result.cause,
    executionArn: result.executionArn,
  };
}

/**
 * A line per client on stderr as its branch ends, only on a terminal: piped or `--json` output stays
 * exactly the report.
 */
export function progressLines(io: Io, asJson: boolean): ((done: ClientDone) => void) | undefined {
  if (asJson || !io.isTty) return undefined;
  return (done) => io.err(progressLine(done));
}

function progressLine(r: ClientDone): string {
  return (
    `  ${r.client_id}: ${r.status}` +
    `${r.items_new === undefined ? "" : `, ${r.items_new} new`}` +
    `${r.error === undefined ? "" : `, ${r.error}`}` +
    `${r.duration_ms === undefined ? "" : ` (${(r.duration_ms / 1000).toFixed(1)} s)`}`
  );
}
