import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localRuntime } from "../../cli/local/run-local.ts";
import { LOCAL_DATA_BUCKET, type LocalS3, startLocalS3 } from "../../cli/local/s3-server.ts";
import { aggregateStats } from "../../shared/workflow/aggregate-stats.ts";
import { listClients } from "../../shared/workflow/list-clients.ts";

/**
 * The Distributed Map's S3 side (CDK context mapMode=distributed), which the local interpreter can't
 * execute: list-clients writes the ItemReader's JSON Lines, and the aggregate reads what a ResultWriter
 * stores (manifest.json plus result files, in the shape Step Functions documents).
 */
let dir: string;
let s3: LocalS3;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "vectora-dmap-"));
  s3 = await startLocalS3(dir);
});
afterAll(async () => {
  await s3.close();
  await rm(dir, { recursive: true, force: true });
});

const RUN = {
  run_id: "20261120T060000Z-sched",
  started_at: "2026-11-20T06:00:01.000Z",
  window_end: "2026-11-20T06:00:00.000Z",
  options: { period_days: null, dry_run: false, force_refresh: false, ingestion_mode: "balanced" as const },
};

describe("the Distributed Map's S3 input and output", () => {
  it("writes the run's clients as JSON Lines and returns their key instead of the list", async () => {
    const rt = { ...localRuntime(s3, {}), clientList: "s3" as const };
    const result = await listClients(
      { input: { client_ids: ["a", "b"] }, execution_name: "sched", execution_start_time: RUN.started_at },
      rt,
    );
    expect(result.clients).toEqual([]);
    expect(result.clients_key).toBe("runs/20261120T060001Z-sched/clients.jsonl");
    const stored = await rt.store.getText(LOCAL_DATA_BUCKET, result.clients_key ?? "");
    expect(stored?.text).toBe('{"client_id":"a"}\n{"client_id":"b"}\n');
  });

  it("aggregates the outcomes a ResultWriter stored, failed child executions included", async () => {
    const rt = localRuntime(s3, {});
    const prefix = `runs/${RUN.run_id}/map-results/0f5e3a7c-2b1d-4c8e-9a6f-1e2d3c4b5a69`;
    await rt.store.putJson(LOCAL_DATA_BUCKET, `${prefix}/manifest.json`, {
      DestinationBucket: LOCAL_DATA_BUCKET,
      MapRunArn: "arn:aws:states:eu-west-1:123456789012:mapRun:vectora-ingest-dev/Ingest clients:0f5e3a7c",
      ResultFiles: {
        FAILED: [{ Key: `${prefix}/FAILED_0.json`, Size: 420 }],
        PENDING: [],
        SUCCEEDED: [{ Key: `${prefix}/SUCCEEDED_0.json`, Size: 300 }],
      },
    });
    await rt.store.putJson(LOCAL_DATA_BUCKET, `${prefix}/SUCCEEDED_0.json`, [
      { client_id: "a", status: "succeeded", items_new: 4, items_found: 9, sources_ok: 3, duration_ms: 812 },
      { client_id: "b", status: "failed", error: "ClientNotFound", cause: "no config for client 'b'" },
    ]);
    await rt.store.putJson(LOCAL_DATA_BUCKET, `${prefix}/FAILED_0.json`, [
      {
        ExecutionArn: "arn:aws:states:eu-west-1:123456789012:execution:vectora-ingest-dev/Ingest clients:c",
        Input: JSON.stringify({ client_id: "c", run_id: RUN.run_id }),
        InputDetails: { Included: true },
        Name: "c-exec",
        Error: "States.Timeout",
        Cause: "The execution timed out",
        Status: "FAILED",
        StartDate: "2026-11-20T06:00:02.000Z",
        StopDate: "2026-11-20T06:15:02.000Z",
      },
    ]);
    const summary = await aggregateStats(
      {
        run: RUN,
        skipped: ["d"],
        results: [],
        result_writer: { Bucket: LOCAL_DATA_BUCKET, Key: `${prefix}/manifest.json` },
      },
      rt,
    );
    expect(summary).toMatchObject({
      status: "partial",
      totals: {
        clients: 3,
        clients_succeeded: 1,
        clients_failed: 2,
        clients_skipped: 1,
        items_new: 4,
        sources_ok: 3,
      },
      rerun_input: { client_ids: ["b", "c"], window_end: RUN.window_end },
    });
    expect(summary.failed).toEqual([
      { client_id: "b", error: "ClientNotFound", cause: "no config for client 'b'" },
      { client_id: "c", error: "States.Timeout", cause: "The execution timed out" },
    ]);
  });

  it("fails with StoreUnavailable when the manifest is missing", async () => {
    const rt = localRuntime(s3, {});
    await expect(
      aggregateStats(
        {
          run: RUN,
          skipped: [],
          results: [],
          result_writer: { Bucket: LOCAL_DATA_BUCKET, Key: "runs/x/manifest.json" },
        },
        rt,
      ),
    ).rejects.toMatchObject({ name: "StoreUnavailable" });
  });
});
