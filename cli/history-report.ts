import type { HistoryEvent } from "./local/history.ts";
import { formatTable } from "./table.ts";

/** One client of a run, from the events of its Map iteration. */
export interface ClientReport {
  client_id: string;
  /** The iteration's index in `Ingest clients`. */
  index: number;
  status: string;
  duration_ms: number | null;
  /** Failed attempts that the state machine retried (the last, caught failure is not a retry). */
  retries: number;
  sources_ok: number | null;
  sources_not_modified: number | null;
  sources_failed: number | null;
  items_new: number | null;
  error: string | null;
  cause: string | null;
}

export interface HistoryReport {
  execution_arn: string | null;
  status: "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";
  /** The execution input, as started. */
  input: unknown;
  /** `run` as `List clients` resolved it: run_id, window_end, options. */
  run: Record<string, unknown> | null;
  clients: ClientReport[];
  /** The run summary: the execution output, or `Aggregate stats`' output when the execution failed after it. */
  summary: Record<string, unknown> | null;
  totals: Record<string, number> | null;
  error: string | null;
  cause: string | null;
  /** The input that re-runs the failed clients over the same window, when the summary has one. */
  rerun_input: Record<string, unknown> | null;
}

/** Each failed attempt of a Task, for the optimised Lambda integration and the plain Lambda ARN alike. */
const FAILED_ATTEMPT = new Set([
  "TaskFailed",
  "TaskTimedOut",
  "TaskStartFailed",
  "TaskSubmitFailed",
  "LambdaFunctionFailed",
  "LambdaFunctionTimedOut",
  "LambdaFunctionStartFailed",
  "LambdaFunctionScheduleFailed",
]);
const ATTEMPT_SCHEDULED = new Set(["TaskScheduled", "LambdaFunctionScheduled"]);
const ITERATION_END = new Set(["MapIterationSucceeded", "MapIterationFailed", "MapIterationAborted"]);

const EXECUTION_END: Record<string, HistoryReport["status"]> = {
  ExecutionSucceeded: "SUCCEEDED",
  ExecutionFailed: "FAILED",
  ExecutionTimedOut: "TIMED_OUT",
  ExecutionAborted: "ABORTED",
};

type Details = Record<string, unknown>;

function details(event: HistoryEvent): Details {
  for (const [key, value] of Object.entries(event)) {
    if (key.endsWith("EventDetails") && value && typeof value === "object") return value as Details;
  }
  return {};
}

function parseJson(text: unknown): unknown {
  if (typeof text !== "string") return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function asObject(value: unknown): Record<string, unknown> | null {
  return value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function str(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

function num(value: unknown): number | null {
  return typeof value === "number" ? value : null;
}

/** A Lambda error's cause is `{"errorType", "errorMessage", "trace"}` in AWS; keep the message. */
export function readableCause(cause: unknown): string | null {
  const text = str(cause);
  if (!text) return null;
  const message = asObject(parseJson(text))?.errorMessage;
  return typeof message === "string" ? message : text;
}

function iterationKey(event: HistoryEvent): string {
  const d = details(event);
  return `${String(d.name)}#${String(d.index)}`;
}

/**
 * The Map iteration each event belongs to, by following previousEventId back to a MapIterationStarted.
 * A chain that passes through the end of an iteration is after it, at the level of the execution.
 */
function iterationOf(events: readonly HistoryEvent[]): Map<number, string | null> {
  const byId = new Map(events.map((e) => [e.id, e]));
  const memo = new Map<number, string | null>();
  for (const event of events) {
    const path: number[] = [];
    let current: HistoryEvent | undefined = event;
    let found: string | null = null;
    while (current) {
      if (ITERATION_END.has(current.type) && current !== event) break;
      const known = memo.get(current.id);
      if (known !== undefined) {
        found = known;
        break;
      }
      if (current.type === "MapIterationStarted") {
        found = iterationKey(current);
        break;
      }
      path.push(current.id);
      current = current.previousEventId ? byId.get(current.previousEventId) : undefined;
    }
    for (const id of path) memo.set(id, found);
    if (ITERATION_END.has(event.type)) memo.set(event.id, iterationKey(event));
  }
  return memo;
}

function clientReport(key: string, events: readonly HistoryEvent[]): ClientReport {
  const index = Number(key.slice(key.lastIndexOf("#") + 1));
  const started = events.find((e) => e.type === "MapIterationStarted");
  const ended = events.find((e) => ITERATION_END.has(e.type));
  const entered = events.find((e) => e.type.endsWith("StateEntered"));
  const firstInput = entered ? asObject(parseJson(details(entered).input)) : null;
  const exited = events.findLast((e) => e.type.endsWith("StateExited"));
  const output = exited ? asObject(parseJson(details(exited).output)) : null;

  let retries = 0;
  let attemptFailed: boolean | null = null;
  let lastFailure: Details | null = null;
  for (const e of events) {
    if (e.type.endsWith("StateEntered")) attemptFailed = null;
    else if (ATTEMPT_SCHEDULED.has(e.type)) {
      if (attemptFailed) retries += 1;
      attemptFailed = false;
    } else if (FAILED_ATTEMPT.has(e.type)) {
      if (attemptFailed !== null) attemptFailed = true;
      lastFailure = details(e);
    }
  }

  const status =
    ended?.type === "MapIterationFailed"
      ? "failed"
      : ended?.type === "MapIterationAborted"
        ? "aborted"
        : !ended
          ? "running"
          : (str(output?.status) ?? "succeeded");
  const failed = status === "failed";
  // A succeeded branch leaves out the counters that are zero.
  const counter = (name: string) => (status === "succeeded" ? (num(output?.[name]) ?? 0) : null);
  return {
    client_id: str(firstInput?.client_id) ?? str(output?.client_id) ?? `#${index}`,
    index,
    status,
    duration_ms:
      started && ended ? new Date(ended.timestamp).getTime() - new Date(started.timestamp).getTime() : null,
    retries,
    sources_ok: counter("sources_ok"),
    sources_not_modified: counter("sources_not_modified"),
    sources_failed: counter("sources_failed"),
    items_new: counter("items_new"),
    error: failed ? (str(output?.error) ?? str(lastFailure?.error)) : null,
    cause: failed ? readableCause(output?.cause ?? lastFailure?.cause) : null,
  };
}

/**
 * A failed branch returns no counters; the run summary has its sources' outcomes from its detail file
 * (a client whose every source failed still stored them), so its row shows them too.
 */
function withFailedSourceCounts(clients: ClientReport[], summary: Record<string, unknown> | null): void {
  const failed = Array.isArray(summary?.failed) ? summary.failed : [];
  for (const entry of failed) {
    const f = asObject(entry);
    const sources = asObject(f?.sources);
    const row = clients.find((c) => c.client_id === str(f?.client_id) && c.status === "failed");
    if (!row || !sources) continue;
    row.sources_ok = num(sources.ok) ?? 0;
    row.sources_not_modified = num(sources.not_modified) ?? 0;
    row.sources_failed = num(sources.failed) ?? 0;
  }
}

function rootStateOutput(events: readonly HistoryEvent[], name: string): Record<string, unknown> | null {
  const exited = events.findLast((e) => e.type.endsWith("StateExited") && details(e).name === name);
  return exited ? asObject(parseJson(details(exited).output)) : null;
}

/**
 * The report of one execution from its GetExecutionHistory events, local or AWS alike: one row per client
 * (grouped from the Map iteration events) and the run's totals.
 */
export function historyReport(
  events: readonly HistoryEvent[],
  executionArn: string | null = null,
): HistoryReport {
  const sorted = [...events].sort((a, b) => a.id - b.id);
  const iteration = iterationOf(sorted);
  const groups = new Map<string, HistoryEvent[]>();
  const root: HistoryEvent[] = [];
  for (const e of sorted) {
    const key = e.type === "MapIterationStarted" ? iterationKey(e) : (iteration.get(e.id) ?? null);
    if (key === null) root.push(e);
    else groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  const clients = [...groups.entries()]
    .map(([key, group]) => clientReport(key, group))
    .sort((a, b) => a.index - b.index);

  const end = root.find((e) => e.type in EXECUTION_END);
  const endDetails = end ? details(end) : {};
  const startedEvent = root.find((e) => e.type === "ExecutionStarted");
  const summary =
    (end?.type === "ExecutionSucceeded" ? asObject(parseJson(endDetails.output)) : null) ??
    rootStateOutput(root, "Aggregate stats");
  const run = asObject(rootStateOutput(root, "List clients")?.run);
  withFailedSourceCounts(clients, summary);
  return {
    execution_arn: executionArn,
    status: end ? (EXECUTION_END[end.type] ?? "RUNNING") : "RUNNING",
    input: startedEvent ? parseJson(details(startedEvent).input) : null,
    run,
    clients,
    summary,
    totals: (asObject(summary?.totals) as Record<string, number> | null) ?? null,
    error: end && end.type !== "ExecutionSucceeded" ? (str(endDetails.error) ?? end.type) : null,
    cause: end && end.type !== "ExecutionSucceeded" ? readableCause(endDetails.cause) : null,
    rerun_input: asObject(summary?.rerun_input),
  };
}

function seconds(ms: number | null): string {
  return ms === null ? "" : `${(ms / 1000).toFixed(1)} s`;
}

function count(value: number | null): string {
  return value === null ? "-" : String(value);
}

function clip(text: string | null, max: number): string {
  if (!text) return "";
  const line = text.replace(/\s+/g, " ");
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export function formatHistoryReport(report: HistoryReport): string {
  const lines: string[] = [];
  if (report.execution_arn) lines.push(`execution ${report.execution_arn}: ${report.status}`);
  else lines.push(`execution: ${report.status}`);
  if (report.clients.length > 0) {
    lines.push(
      "",
      formatTable(
        [
          "client",
          "status",
          "duration",
          "retries",
          "sources ok",
          "not modified",
          "failed",
          "items new",
          "error",
          "cause",
        ],
        report.clients.map((c) => [
          c.client_id,
          c.status,
          seconds(c.duration_ms),
          String(c.retries),
          count(c.sources_ok),
          count(c.sources_not_modified),
          count(c.sources_failed),
          count(c.items_new),
          c.error ?? "",
          clip(c.cause, 100),
        ]),
      ),
    );
  }
  const t = report.totals;
  if (t) {
    lines.push(
      "",
      `run ${String(report.summary?.run_id ?? "")}: ${String(report.summary?.status ?? "")} — ` +
        `${t.clients_succeeded}/${t.clients} clients succeeded, ${t.clients_failed} failed, ` +
        `${t.clients_skipped} skipped (inactive), ${t.items_new} new items, ` +
        `sources ok ${t.sources_ok}, not modified ${t.sources_not_modified}, failed ${t.sources_failed}`,
    );
  }
  if (report.error) lines.push(`execution ${report.status}: ${report.error}: ${report.cause ?? ""}`);
  if (report.rerun_input)
    lines.push(`re-run the failed clients with input: ${JSON.stringify(report.rerun_input)}`);
  return lines.join("\n");
}
