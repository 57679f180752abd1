import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { RunSummary } from "./aggregate-stats.ts";

/**
 * One data point per run for each metric the alarms and dashboards read. ClientsFailed > 0 raises the
 * partial-failure alarm: a partially failed run still ends SUCCEEDED, so the execution alarm can't see it.
 */
export function addRunMetrics(metrics: Metrics, summary: RunSummary): void {
  const t = summary.totals;
  metrics.addMetric("ClientsFailed", MetricUnit.Count, t.clients_failed);
  metrics.addMetric("ClientsSucceeded", MetricUnit.Count, t.clients_succeeded);
  metrics.addMetric("ItemsNew", MetricUnit.Count, t.items_new);
  metrics.addMetric("SourcesFailed", MetricUnit.Count, t.sources_failed);
  metrics.addMetric("SourcesFailingRepeatedly", MetricUnit.Count, t.sources_failing_repeatedly);
}
