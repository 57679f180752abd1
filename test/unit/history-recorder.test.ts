import { StateMachine } from "aws-local-stepfunctions";
import { describe, expect, it } from "vitest";
import { historyReport } from "../../cli/history-report.ts";
import { HistoryRecorder } from "../../cli/local/history.ts";
import { loadDefinition } from "../../cli/local/run-local.ts";
import { type AggregateEvent, summarise } from "../../shared/workflow/aggregate-stats.ts";

class StoreUnavailable extends Error {
  override readonly name = "StoreUnavailable";
}
class AllSourcesFailed extends Error {
  override readonly name = "AllSourcesFailed";
}

const RUN = {
  run_id: "20261120T060000Z-local-test",
  started_at: "2026-11-20T06:00:00.000Z",
  window_end: "2026-11-20T06:00:00.000Z",
  options: { period_days: null, dry_run: false, force_refresh: false, ingestion_mode: "balanced" },
};

const succeeded = (client_id: string) => ({
  client_id,
  status: "succeeded",
  active: true,
  items_new: 2,
  items_found: 3,
  sources_ok: 1,
  sources_not_modified: 0,
  sources_empty: 0,
  sources_failed: 0,
  failing_sources: [],
  duration_ms: 5,
});

/**
 * Runs the real definition in the local interpreter with stand-in tasks: `flaky` fails once with a retried
 * error, `broken` fails with an error that is not retried, `down` fails every retried attempt.
 */
async function recordRun() {
  const attempts = new Map<string, number>();
  const machine = new StateMachine(await loadDefinition());
  const execution = machine.run(
    { scheduled_time: "2026-11-20T06:00:00Z" },
    {
      context: { Execution: { Name: "local-test", StartTime: RUN.started_at } },
      overrides: {
        taskResourceLocalHandlers: {
          "List clients": () => ({
            Payload: {
              run: RUN,
              clients: ["flaky", "broken", "down", "fine"].map((client_id) => ({ client_id })),
              skipped: [],
            },
          }),
          "Ingest client": (input) => {
            const id = String((input as { Payload: { client_id: string } }).Payload.client_id);
            const n = (attempts.get(id) ?? 0) + 1;
            attempts.set(id, n);
            if (id === "flaky" && n === 1) throw new StoreUnavailable("S3 answered 503");
            if (id === "broken") throw new AllSourcesFailed("every source failed: feed: http_4xx (404)");
            if (id === "down") throw new StoreUnavailable(`S3 answered 503 (attempt ${n})`);
            return { Payload: succeeded(id) };
          },
          "Aggregate stats": (input) => ({
            Payload: JSON.parse(
              JSON.stringify(summarise((input as { Payload: AggregateEvent }).Payload, null)),
            ),
          }),
        },
        retryIntervalOverrides: { "Ingest client": 0 },
      },
    },
  );
  const recorder = new HistoryRecorder();
  const recording = (async () => {
    for await (const event of execution.eventLogs) recorder.record(event);
  })();
  await execution.result;
  await recording;
  return { events: recorder.events, attempts };
}

describe("HistoryRecorder", () => {
  it("records one TaskFailed per failed attempt, never one per interpreter event", async () => {
    const { events, attempts } = await recordRun();
    const failedAttempts =
      (attempts.get("flaky") ?? 0) - 1 + (attempts.get("broken") ?? 0) + (attempts.get("down") ?? 0);
    expect(attempts.get("down")).toBe(4);
    expect(events.filter((e) => e.type === "TaskFailed")).toHaveLength(failedAttempts);
    const scheduled = events.filter((e) => e.type === "TaskScheduled").length;
    // One per attempt of every Task: List clients, Aggregate stats, and each client's attempts.
    expect(scheduled).toBe(2 + [...attempts.values()].reduce((a, b) => a + b, 0));
  });

  it("chains each iteration's events through previousEventId back to its MapIterationStarted", async () => {
    const { events } = await recordRun();
    const byId = new Map(events.map((e) => [e.id, e]));
    const ends = events.filter((e) => e.type === "MapIterationSucceeded");
    expect(ends).toHaveLength(4);
    for (const end of ends) {
      const index = (end.mapIterationEventDetails as { index: number }).index;
      let e = byId.get(end.previousEventId);
      while (e && e.type !== "MapIterationStarted") e = byId.get(e.previousEventId);
      expect((e?.mapIterationEventDetails as { index: number } | undefined)?.index).toBe(index);
    }
  });

  it("gives history the retries, statuses and errors of each client", async () => {
    const report = historyReport((await recordRun()).events);
    expect(report.status).toBe("SUCCEEDED");
    expect(report.clients.map((c) => [c.client_id, c.status, c.retries, c.error])).toEqual([
      ["flaky", "succeeded", 1, null],
      ["broken", "failed", 0, "AllSourcesFailed"],
      ["down", "failed", 3, "StoreUnavailable"],
      ["fine", "succeeded", 0, null],
    ]);
    expect(report.clients[2]?.cause).toBe("S3 answered 503 (attempt 4)");
    expect(report.totals).toMatchObject({ clients: 4, clients_failed: 2, items_new: 4 });
  });
});
