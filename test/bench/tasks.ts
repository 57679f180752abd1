import type { BundleSize } from "./bundle-size.ts";
import type { IngestRunMetrics, IngestScenarioSpec } from "./ingest-scenario.ts";
import type { ParseThroughput } from "./parse-throughput.ts";

/** What main.ts asks a child process to measure. */
export type ChildTask =
  | { kind: "ingest"; spec: IngestScenarioSpec }
  | { kind: "parse"; targetBytes: number }
  | { kind: "bundles" };

export type ChildValue =
  | { kind: "ingest"; runs: IngestRunMetrics[] }
  | { kind: "parse"; throughput: ParseThroughput }
  | { kind: "bundles"; sizes: BundleSize[] };

export type ChildResult =
  | { ok: true; value: ChildValue; peakRssBytes: number }
  | { ok: false; error: string };
