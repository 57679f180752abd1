import { describe, expect, it } from "vitest";
import { formatHistoryReport, historyReport, readableCause } from "../../cli/history-report.ts";
import { rerunInputOf } from "../../cli/rerun-input.ts";
import { ExecutionInputSchema } from "../../shared/workflow/execution-input.ts";
import { PARTIAL_RUN_ARN, recordedEvents } from "../support/aws-history.ts";

const partial = () => recordedEvents("partial-run.page-1.json", "partial-run.page-2.json");
const allFailed = () => recordedEvents("all-failed-run.json");

describe("historyReport on a recorded AWS execution", () => {
  it("groups the interleaved Map iterations by client through previousEventId", () => {
    const report = historyReport(partial(), PARTIAL_RUN_ARN);
    expect(report.status).toBe("SUCCEEDED");
    expect(report.clients.map((c) => [c.index, c.client_id, c.status])).toEqual([
      [0, "lai-weekly", "succeeded"],
      [1, "oncology-digest", "failed"],
      [2, "derm-news", "succeeded"],
    ]);
  });

  it("counts a failed attempt that was retried once, and a caught failure as no retry", () => {
    const byClient = Object.fromEntries(historyReport(partial()).clients.map((c) => [c.client_id, c]));
    expect(byClient["lai-weekly"]?.retries).toBe(1);
    expect(byClient["oncology-digest"]?.retries).toBe(0);
    expect(byClient["derm-news"]?.retries).toBe(0);
  });

  it("reads counters of succeeded clients and error and cause of the caught failure", () => {
    const [lai, onco, derm] = historyReport(partial()).clients;
    expect(lai).toMatchObject({
      sources_ok: 4,
      sources_not_modified: 1,
      sources_failed: 0,
      items_new: 12,
      error: null,
      cause: null,
    });
    expect(derm).toMatchObject({ sources_ok: 2, sources_failed: 1, items_new: 3 });
    expect(onco).toMatchObject({
      error: "AllSourcesFailed",
      cause: "every source of client 'oncology-digest' failed: fda_press: http_5xx (503), biospace: timeout",
      items_new: null,
      sources_ok: null,
    });
  });

  it("measures each client's duration from its iteration's start to its end, retries included", () => {
    const durations = historyReport(partial()).clients.map((c) => c.duration_ms ?? Number.NaN);
    // Recorded timestamps are epoch seconds with millisecond digits: allow the float's last millisecond.
    [17_500, 17_500, 17_450].forEach((expected, i) => {
      expect(Math.abs((durations[i] ?? 0) - expected)).toBeLessThanOrEqual(1);
    });
  });

  it("takes the run totals and re-run input from the execution output", () => {
    const report = historyReport(partial());
    expect(report.totals).toMatchObject({
      clients: 3,
      clients_succeeded: 2,
      clients_failed: 1,
      clients_skipped: 1,
      items_new: 15,
    });
    expect(report.error).toBeNull();
    expect(report.input).toEqual({ scheduled_time: "2026-11-20T06:00:00Z" });
    expect(report.rerun_input).toMatchObject({ client_ids: ["oncology-digest"] });
  });

  it("reports a failed execution's error and cause, and the totals of Aggregate stats", () => {
    const report = historyReport(allFailed());
    expect(report.status).toBe("FAILED");
    expect(report.error).toBe("AllClientsFailed");
    expect(report.cause).toContain("Every client of the run failed");
    expect(report.totals).toMatchObject({ clients: 2, clients_failed: 2 });
    expect(report.clients.map((c) => [c.client_id, c.error])).toEqual([
      ["down-client", "AllSourcesFailed"],
      ["ghost", "ClientNotFound"],
    ]);
  });

  it("reads the same whatever the order the events arrive in", () => {
    const events = partial();
    expect(historyReport([...events].reverse())).toEqual(historyReport(events));
  });

  it("formats one row per client and the totals line", () => {
    const text = formatHistoryReport(historyReport(partial(), PARTIAL_RUN_ARN));
    const lines = text.split("\n");
    expect(lines[0]).toBe(`execution ${PARTIAL_RUN_ARN}: SUCCEEDED`);
    expect(lines.find((l) => l.startsWith("lai-weekly"))).toMatch(
      /^lai-weekly\s+succeeded\s+17\.5 s\s+1\s+4\s+1\s+0\s+12$/,
    );
    expect(lines.find((l) => l.startsWith("oncology-digest"))).toMatch(
      /failed\s+\d+\.\d s\s+0\s+-\s+-\s+-\s+-\s+AllSourcesFailed\s+every source of client/,
    );
    expect(text).toContain("2/3 clients succeeded, 1 failed, 1 skipped (inactive), 15 new items");
  });
});

describe("readableCause", () => {
  it("keeps the message of a Lambda error's JSON cause", () => {
    expect(readableCause('{"errorType":"X","errorMessage":"boom","trace":[]}')).toBe("boom");
  });

  it("keeps a plain-text cause as it is", () => {
    expect(readableCause("Lambda.ServiceException: Internal error")).toBe(
      "Lambda.ServiceException: Internal error",
    );
  });
});

describe("rerunInputOf", () => {
  it("re-runs the failed clients over the original window with the original options", () => {
    const input = rerunInputOf(historyReport(allFailed()));
    expect(input).toEqual({
      client_ids: ["down-client", "ghost"],
      window_end: "2026-11-20T06:00:00.000Z",
      run_id: "20261120T155320Z-manual-0c2d5e",
      ingestion_mode: "balanced",
      dry_run: false,
      force_refresh: true,
    });
    expect(ExecutionInputSchema.safeParse(input).success).toBe(true);
  });

  it("builds the input from List clients' run when the execution has no summary", () => {
    const events = allFailed().filter(
      (e) =>
        !(
          e.type === "TaskStateExited" &&
          (e.stateExitedEventDetails as { name: string }).name === "Aggregate stats"
        ),
    );
    const report = historyReport(events);
    expect(report.summary).toBeNull();
    expect(rerunInputOf(report)).toEqual({
      client_ids: ["down-client", "ghost"],
      window_end: "2026-11-20T06:00:00.000Z",
      run_id: "20261120T155320Z-manual-0c2d5e",
      ingestion_mode: "balanced",
      dry_run: false,
      force_refresh: true,
    });
  });
});
