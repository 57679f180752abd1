import { formatTable } from "../../cli/table.ts";
import type { BundleSize } from "./bundle-size.ts";
import type { IngestRunMetrics } from "./ingest-scenario.ts";
import type { ParseThroughput } from "./parse-throughput.ts";

export const MIB = 1024 * 1024;

export interface IngestFigures {
  clients: number;
  sourcesPerClient: number;
  maxConcurrency: number;
  repetitions: number;
  /** Median state-machine execution time (ExecutionStarted to its end). */
  wallMs: number;
  /** Median runLocal time, the local S3 server's start and the config upload included. */
  totalMs: number;
  slowestClientMs: number;
  /** Medians of the time spent in each top-level state. */
  states: { listClientsMs: number; ingestClientsMs: number; aggregateStatsMs: number };
  /** Waves of the Map state times the injected latency: no schedule can finish sooner. */
  boundMs: number;
  ratio: number;
  items: number;
  itemsPerSecond: number;
  peakRssBytes: number;
  runs: IngestRunMetrics[];
}

export interface ParseFigures extends ParseThroughput {
  peakRssBytes: number;
}

export interface Target {
  id: string;
  description: string;
  measured: string;
  limit: string;
  met: boolean;
}

export interface BenchReport {
  environment: { node: string; platform: string; cpus: number; startedAt: string; durationS: number };
  settings: {
    latencyMs: number;
    itemsPerFeed: number;
    feedBytes: number;
    hosts: number;
    parseTargetBytes: number;
  };
  oneClient20: IngestFigures;
  oneClient10: IngestFigures;
  manyClients: IngestFigures;
  parse: ParseFigures;
  bundles: BundleSize[];
  targets: Target[];
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function ingestFigures(
  shape: { clients: number; sourcesPerClient: number; maxConcurrency: number; latencyMs: number },
  runs: IngestRunMetrics[],
  peakRssBytes: number,
): IngestFigures {
  const wallMs = median(runs.map((r) => r.executionMs));
  const waves = Math.ceil(shape.clients / shape.maxConcurrency);
  const boundMs = waves * shape.latencyMs;
  const items = runs[0]?.itemsNew ?? 0;
  return {
    clients: shape.clients,
    sourcesPerClient: shape.sourcesPerClient,
    maxConcurrency: shape.maxConcurrency,
    repetitions: runs.length,
    wallMs,
    totalMs: median(runs.map((r) => r.totalMs)),
    slowestClientMs: median(runs.map((r) => r.slowestClientMs)),
    states: {
      listClientsMs: median(runs.map((r) => r.states.listClientsMs ?? Number.NaN)),
      ingestClientsMs: median(runs.map((r) => r.states.ingestClientsMs ?? Number.NaN)),
      aggregateStatsMs: median(runs.map((r) => r.states.aggregateStatsMs ?? Number.NaN)),
    },
    boundMs,
    ratio: wallMs / boundMs,
    items,
    itemsPerSecond: items / (wallMs / 1000),
    peakRssBytes,
    runs,
  };
}

const ms = (v: number) => `${Math.round(v)} ms`;

export function evaluateTargets(r: Omit<BenchReport, "targets">): Target[] {
  const a = r.oneClient20;
  const waves = Math.ceil(r.manyClients.clients / r.manyClients.maxConcurrency);
  const perWave = 2 * r.oneClient10.wallMs;
  const listClients = r.bundles.find((b) => b.lambda === "list-clients");
  const parsers = listClients?.parserLibraries.map((p) => p.name) ?? [];
  return [
    {
      id: "a",
      description: `1 client x ${a.sourcesPerClient} sources within 1.5x the ${a.boundMs} ms latency bound`,
      measured: `${ms(a.wallMs)} (${a.ratio.toFixed(2)}x)`,
      limit: `<= ${ms(1.5 * a.boundMs)}`,
      met: a.wallMs <= 1.5 * a.boundMs,
    },
    {
      id: "b",
      description: `${r.manyClients.clients} clients x ${r.manyClients.sourcesPerClient} sources within ${waves} waves x 2x one client's wall`,
      measured: ms(r.manyClients.wallMs),
      limit: `<= ${waves} x 2 x ${ms(r.oneClient10.wallMs)} = ${ms(waves * perWave)}`,
      met: r.manyClients.wallMs <= waves * perWave,
    },
    {
      id: "c",
      description: "feed parsing throughput on the well-formed corpus",
      measured: `${r.parse.mbPerSecond.toFixed(1)} MB/s`,
      limit: ">= 20 MB/s",
      met: r.parse.mbPerSecond >= 20,
    },
    {
      id: "rss",
      description: `peak RSS of the ${r.manyClients.clients}-client run`,
      measured: `${(r.manyClients.peakRssBytes / MIB).toFixed(0)} MiB`,
      limit: "< 512 MiB",
      met: r.manyClients.peakRssBytes < 512 * MIB,
    },
    {
      id: "bundle",
      description: "list-clients bundle free of parser libraries",
      measured: listClients ? (parsers.length === 0 ? "none" : parsers.join(", ")) : "no list-clients bundle",
      limit: "none",
      met: listClients !== undefined && parsers.length === 0,
    },
  ];
}

const mib = (bytes: number) => `${(bytes / MIB).toFixed(0)} MiB`;
const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

export function formatReport(r: BenchReport): string {
  const ingestRow = (name: string, f: IngestFigures): string[] => [
    name,
    `${f.clients} x ${f.sourcesPerClient}`,
    String(f.maxConcurrency),
    ms(f.wallMs),
    ms(f.totalMs),
    ms(f.boundMs),
    `${f.ratio.toFixed(2)}x`,
    String(f.items),
    f.itemsPerSecond.toFixed(0),
    "",
    mib(f.peakRssBytes),
  ];
  const p = r.parse;
  const scenarios = formatTable(
    [
      "scenario",
      "clients x sources",
      "MaxConc",
      "wall",
      "with local setup",
      "latency bound",
      "ratio",
      "items",
      "items/s",
      "parse MB/s",
      "peak RSS",
    ],
    [
      ingestRow("(a) one client", r.oneClient20),
      ingestRow("    one client (b's unit)", r.oneClient10),
      ingestRow("(b) many clients", r.manyClients),
      [
        "(c) parse corpus",
        `${p.documents} docs`,
        "",
        ms(p.seconds * 1000),
        "",
        "",
        "",
        String(p.entries),
        (p.entries / p.seconds).toFixed(0),
        p.mbPerSecond.toFixed(1),
        mib(p.peakRssBytes),
      ],
    ],
  );
  const bundles = formatTable(
    ["lambda", "bundle", "source map", "parser libraries", "heaviest packages"],
    r.bundles.map((b) => [
      b.lambda,
      kb(b.bytes),
      kb(b.sourceMapBytes),
      b.parserLibraries.length === 0
        ? "none"
        : b.parserLibraries.map((l) => `${l.name} ${kb(l.bytes)}`).join(", "),
      b.heaviestPackages.map((l) => `${l.name} ${kb(l.bytes)}`).join(", "),
    ]),
  );
  const targets = formatTable(
    ["target", "measured", "limit", "result"],
    r.targets.map((t) => [`(${t.id}) ${t.description}`, t.measured, t.limit, t.met ? "met" : "NOT MET"]),
  );
  const split = (name: string, f: IngestFigures) =>
    `${name}: List clients ${ms(f.states.listClientsMs)}, Ingest clients ${ms(f.states.ingestClientsMs)} ` +
    `(slowest client ${ms(f.slowestClientMs)}), Aggregate stats ${ms(f.states.aggregateStatsMs)}`;
  const slow = p.slowest.map((s) => `${s.file} ${s.mbPerSecond.toFixed(1)} MB/s`).join("; ");
  return [
    `Vectora ingest benchmark — Node ${r.environment.node}, ${r.environment.platform}, ${r.environment.cpus} CPUs, ${r.environment.durationS.toFixed(0)} s`,
    `Feeds: ${r.settings.itemsPerFeed} items, ${kb(r.settings.feedBytes)} each, ${r.settings.latencyMs} ms to first byte, on ${r.settings.hosts} loopback hosts`,
    "",
    scenarios,
    "",
    "wall = state-machine execution (median of the repetitions); with local setup = runLocal end to end (s3rver start, config upload).",
    split("(a)", r.oneClient20),
    split("(b's unit)", r.oneClient10),
    split("(b)", r.manyClients),
    `Slowest corpus documents per byte: ${slow}`,
    "",
    bundles,
    "",
    targets,
    "",
  ].join("\n");
}
