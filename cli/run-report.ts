import type { HistoryEvent } from "./local/history.ts";

export interface ClientRow {
  client_id: string;
  status: string;
  sources_ok: number;
  sources_not_modified: number;
  sources_failed: number;
  items_new: number;
  error: string | null;
}

/** Per-client rows from the `Ingest clients` state's output in an execution history. */
export function clientRows(events: readonly HistoryEvent[]): ClientRow[] {
  const exited = events.find(
    (e) =>
      e.type === "MapStateExited" &&
      (e.stateExitedEventDetails as { name?: string } | undefined)?.name === "Ingest clients",
  );
  const output = (exited?.stateExitedEventDetails as { output?: string } | undefined)?.output;
  if (!output) return [];
  const results = (JSON.parse(output) as { clients?: Record<string, unknown>[] }).clients ?? [];
  return results.map((r) => ({
    client_id: String(r.client_id),
    status: String(r.status),
    sources_ok: Number(r.sources_ok ?? 0),
    sources_not_modified: Number(r.sources_not_modified ?? 0),
    sources_failed: Number(r.sources_failed ?? 0),
    items_new: Number(r.items_new ?? 0),
    error: typeof r.error === "string" ? r.error : null,
  }));
}

export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

export function formatClientTable(rows: readonly ClientRow[]): string {
  return formatTable(
    ["client", "status", "sources ok", "not modified", "failed", "items new", "error"],
    rows.map((r) => [
      r.client_id,
      r.status,
      String(r.sources_ok),
      String(r.sources_not_modified),
      String(r.sources_failed),
      String(r.items_new),
      r.error ?? "",
    ]),
  );
}
