import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../shared/errors/workflow-errors.ts";
import { rerunInput } from "../../shared/workflow/aggregate-stats.ts";
import {
  ExecutionInputSchema,
  IngestItemSchema,
  makeRunId,
  parseExecutionInput,
  runOptions,
} from "../../shared/workflow/execution-input.ts";

describe("the execution input", () => {
  it("accepts the documented forms", () => {
    for (const input of [
      {},
      { client_id: "lai-weekly" },
      {
        client_ids: ["a", "b"],
        period_days: 30,
        dry_run: true,
        force_refresh: true,
        ingestion_mode: "strict",
      },
      { scheduled_time: "2026-11-20T06:00:00Z" },
    ]) {
      expect(ExecutionInputSchema.safeParse(input).success).toBe(true);
    }
  });

  it("refuses unknown keys, wrong types and out-of-range values with InvalidInput naming them", () => {
    const attempt = () =>
      parseExecutionInput({ client: "x", period_days: 400, ingestion_mode: "all", dry_run: "yes" });
    expect(attempt).toThrow(InvalidInputError);
    expect(attempt).toThrow(/client/);
    expect(attempt).toThrow(/period_days/);
    expect(attempt).toThrow(/ingestion_mode/);
    expect(attempt).toThrow(/dry_run/);
  });

  it("refuses client_id together with client_ids, and a non-ISO scheduled_time", () => {
    expect(() => parseExecutionInput({ client_id: "a", client_ids: ["b"] })).toThrow(/not both/);
    expect(() => parseExecutionInput({ scheduled_time: "tomorrow" })).toThrow(/scheduled_time/);
  });

  it("makes every Map item a valid execution input", () => {
    const item = IngestItemSchema.parse({
      client_id: "lai",
      run_id: makeRunId(new Date("2026-11-20T06:00:00Z"), "sched-1234"),
      window_end: "2026-11-20T06:00:00.000Z",
      period_days: null,
      dry_run: false,
      force_refresh: false,
      ingestion_mode: "balanced",
    });
    expect(ExecutionInputSchema.safeParse(item).success).toBe(true);
  });

  it("defaults the options", () => {
    expect(runOptions({})).toEqual({
      period_days: null,
      dry_run: false,
      force_refresh: false,
      ingestion_mode: "balanced",
    });
  });

  it("builds a sortable run id from the start time and execution name", () => {
    expect(makeRunId(new Date("2026-11-20T06:00:00.123Z"), "a b/c")).toBe("20261120T060000Z-a-b-c");
  });

  it("builds a re-run input that is a valid execution input over the same window", () => {
    const input = rerunInput(
      {
        run_id: "20261120T060000Z-x",
        started_at: "2026-11-20T06:00:01.000Z",
        window_end: "2026-11-20T06:00:00.000Z",
        options: { period_days: 14, dry_run: false, force_refresh: true, ingestion_mode: "strict" },
      },
      ["a", "b"],
    );
    expect(input).toEqual({
      client_ids: ["a", "b"],
      window_end: "2026-11-20T06:00:00.000Z",
      run_id: "20261120T060000Z-x",
      period_days: 14,
      dry_run: false,
      force_refresh: true,
      ingestion_mode: "strict",
    });
    expect(ExecutionInputSchema.safeParse(input).success).toBe(true);
  });
});
