import { describe, expect, it } from "vitest";
import { METRICS_NAMESPACE, POWERTOOLS_SERVICE_NAME } from "../../infra/lambda-defaults.ts";
import { runtimeFromEnv } from "../../shared/lambda/runtime.ts";
import { summarise } from "../../shared/workflow/aggregate-stats.ts";
import { addRunMetrics } from "../../shared/workflow/run-metrics.ts";

const RUN = {
  run_id: "20261120T060000Z-sched",
  started_at: "2026-11-20T06:00:01.000Z",
  window_end: "2026-11-20T06:00:00.000Z",
  options: { period_days: null, dry_run: false, force_refresh: false, ingestion_mode: "balanced" as const },
};

describe("run metrics", () => {
  it("publishes ClientsFailed, ItemsNew and SourcesFailed per run in the namespace the alarms read", () => {
    const summary = summarise(
      {
        run: RUN,
        skipped: [],
        results: [
          {
            client_id: "a",
            status: "succeeded",
            items_new: 7,
            items_found: 12,
            sources_ok: 3,
            sources_not_modified: 0,
            sources_empty: 0,
            sources_failed: 2,
            failing_sources: ["x"],
          },
          { client_id: "b", status: "failed", error: "ClientNotFound", cause: "no config" },
        ],
      },
      null,
    );
    // The Lambda's Metrics as the deployed function builds them, from the variables the stack sets.
    const { metrics } = runtimeFromEnv({
      CONFIG_BUCKET: "config-bucket",
      DATA_BUCKET: "data-bucket",
      VECTORA_ENV: "prod",
      POWERTOOLS_SERVICE_NAME,
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    });
    if (!metrics) throw new Error("the Lambda runtime has no metrics");
    addRunMetrics(metrics, summary);
    const emf = metrics.serializeMetrics() as Record<string, unknown> & {
      _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] };
    };
    expect(emf._aws.CloudWatchMetrics[0]?.Namespace).toBe(METRICS_NAMESPACE);
    expect(emf._aws.CloudWatchMetrics[0]?.Dimensions[0]).toEqual(
      expect.arrayContaining(["service", "environment"]),
    );
    expect(emf).toMatchObject({
      service: POWERTOOLS_SERVICE_NAME,
      environment: "prod",
      ClientsFailed: 1,
      ClientsSucceeded: 1,
      ItemsNew: 7,
      SourcesFailed: 2,
      SourcesFailingRepeatedly: 1,
    });
  });
});
