import type { BundleSize } from "./bundle-size.ts";
import type { IngestRunMetrics, IngestScenarioSpec } from "./ingest-scenario.ts";
import type { ParseRatios } from "./parse-throughput.ts";

/** What main.ts asks a child process to measure. */
export type ChildTask =
  | { kind: "ingest"; spec: IngestScenarioSpec }
  | { kind: "parse"; corpusDir: string }
  | { kind: "profiles" }
  | { kind: "bundles" };

export interface ProfileMatching {
  terms: number;
  items: number;
  usPerItem: number;
}

export type ChildValue =
  | { kind: "ingest"; runs: IngestRunMetrics[] }
  | { kind: "parse"; ratios: ParseRatios }
  | { kind: "profiles"; matching: ProfileMatching }
  | { kind: "bundles"; sizes: BundleSize[] };

export type ChildResult =
  | { ok: true; value: ChildValue; peakRssBytes: number }
  | { ok: false; error: string };
