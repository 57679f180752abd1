import { formatTable } from "../../cli/table.ts";
import type { BundleSize } from "./bundle-size.ts";
import type { IngestRunMetrics } from "./ingest-scenario.ts";
import type { ParseRatios } from "./parse-throughput.ts";
import type { ProfileMatching } from "./tasks.ts";

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
  items: number;
  peakRssBytes: number;
  runs: IngestRunMetrics[];
}

/**
 * Each figure compared with a peer measured in the same run, so a loaded machine moves both sides: the
 * stable keys of `--json`'s `ratios`.
 */
export interface Ratios {
  /** parseFeed throughput ÷ rss-parser's, on the corpus documents rss-parser reads. Higher is better. */
  parse_vs_rss_parser: number;
  /** parseFeed throughput ÷ htmlparser2's bare xmlMode tokenizer on the same bytes (the limit). */
  parse_vs_tokenizer: number;
  /** One client × 20 sources at the injected latency: wall ÷ that latency (the bound). Lower is better. */
  one_client_vs_latency: number;
  /** 100 clients × 10 sources at MaxConcurrency 10: wall ÷ (10 waves × one such client's wall). */
  many_clients_vs_waves: number;
}

export interface Target {
  key: string;
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
    repetitions: number;
  };
  ratios: Ratios;
  parse: ParseRatios & { peakRssBytes: number };
  oneClient20: IngestFigures;
  oneClient10: IngestFigures;
  manyClients: IngestFigures;
  profileMatching: ProfileMatching;
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
  shape: { clients: number; sourcesPerClient: number; maxConcurrency: number },
  runs: IngestRunMetrics[],
  peakRssBytes: number,
): IngestFigures {
  return {
    ...shape,
    repetitions: runs.length,
    wallMs: median(runs.map((r) => r.executionMs)),
    totalMs: median(runs.map((r) => r.totalMs)),
    slowestClientMs: median(runs.map((r) => r.slowestClientMs)),
    states: {
      listClientsMs: median(runs.map((r) => r.states.listClientsMs ?? Number.NaN)),
      ingestClientsMs: median(runs.map((r) => r.states.ingestClientsMs ?? Number.NaN)),
      aggregateStatsMs: median(runs.map((r) => r.states.aggregateStatsMs ?? Number.NaN)),
    },
    items: runs[0]?.itemsNew ?? 0,
    peakRssBytes,
    runs,
  };
}

export function ratios(
  r: Pick<BenchReport, "parse" | "oneClient20" | "oneClient10" | "manyClients">,
  latencyMs: number,
): Ratios {
  const waves = Math.ceil(r.manyClients.clients / r.manyClients.maxConcurrency);
  return {
    parse_vs_rss_parser: r.parse.parse_vs_rss_parser,
    parse_vs_tokenizer: r.parse.parse_vs_tokenizer,
    one_client_vs_latency: r.oneClient20.wallMs / latencyMs,
    many_clients_vs_waves: r.manyClients.wallMs / (waves * r.oneClient10.wallMs),
  };
}

const x = (v: number) => `${v.toFixed(2)}x`;
const kb = (bytes: number) => `${(bytes / 1000).toFixed(0)} kB`;

export function evaluateTargets(r: Omit<BenchReport, "targets">): Target[] {
  const ingest = r.bundles.find((b) => b.lambda === "ingest-client");
  const peakRss = Math.max(r.manyClients.peakRssBytes, r.oneClient20.peakRssBytes);
  const target = (key: string, description: string, value: number, limit: string, met: boolean): Target => ({
    key,
    description,
    measured: x(value),
    limit,
    met,
  });
  return [
    target(
      "parse_vs_rss_parser",
      "parseFeed ÷ rss-parser",
      r.ratios.parse_vs_rss_parser,
      ">= 2.5x",
      r.ratios.parse_vs_rss_parser >= 2.5,
    ),
    target(
      "parse_vs_tokenizer",
      "parseFeed ÷ bare tokenizer",
      r.ratios.parse_vs_tokenizer,
      ">= 0.7x",
      r.ratios.parse_vs_tokenizer >= 0.7,
    ),
    target(
      "one_client_vs_latency",
      "1 client x 20 sources ÷ latency",
      r.ratios.one_client_vs_latency,
      "<= 1.25x",
      r.ratios.one_client_vs_latency <= 1.25,
    ),
    target(
      "many_clients_vs_waves",
      "100 x 10 ÷ (10 waves x one client)",
      r.ratios.many_clients_vs_waves,
      "<= 1.5x",
      r.ratios.many_clients_vs_waves <= 1.5,
    ),
    {
      key: "profile_matching_us_per_item",
      description: `profile verdict, ${r.profileMatching.terms} terms`,
      measured: `${r.profileMatching.usPerItem.toFixed(0)} µs/item`,
      limit: "< 1000 µs",
      met: r.profileMatching.usPerItem < 1000,
    },
    {
      key: "ingest_bundle",
      description: "ingest-client bundle",
      measured: ingest ? kb(ingest.bytes) : "none",
      limit: "<= 1000 kB",
      met: ingest !== undefined && ingest.bytes <= 1_000_000,
    },
    {
      key: "list_clients_parser_free",
      description: "list-clients bundle without HTML/XML parsers or the main-text extractor",
      measured: (() => {
        const list = r.bundles.find((b) => b.lambda === "list-clients");
        if (!list) return "no list-clients bundle";
        return list.parserLibraries.length === 0
          ? "none"
          : list.parserLibraries.map((p) => p.name).join(", ");
      })(),
      limit: "none",
      met: r.bundles.some((b) => b.lambda === "list-clients" && b.parserLibraries.length === 0),
    },
    {
      key: "peak_rss",
      description: "peak RSS of the ingest runs",
      measured: `${(peakRss / MIB).toFixed(0)} MiB`,
      limit: "< 512 MiB",
      met: peakRss < 512 * MIB,
    },
  ];
}

export function formatReport(r: BenchReport): string {
  const ingestRow = (name: string, f: IngestFigures): string[] => [
    name,
    `${f.clients} x ${f.sourcesPerClient}`,
    String(f.maxConcurrency),
    `${Math.round(f.wallMs)} ms`,
    `${Math.round(f.states.listClientsMs)} / ${Math.round(f.states.ingestClientsMs)} / ${Math.round(f.states.aggregateStatsMs)} ms`,
    String(f.items),
    `${(f.peakRssBytes / MIB).toFixed(0)} MiB`,
  ];
  const scenarios = formatTable(
    [
      "scenario",
      "clients x sources",
      "MaxConc",
      "wall (median)",
      "list / ingest / aggregate",
      "items",
      "peak RSS",
    ],
    [
      ingestRow("one client", r.oneClient20),
      ingestRow("one client (wave unit)", r.oneClient10),
      ingestRow("many clients", r.manyClients),
    ],
  );
  const p = r.parse;
  const parse = `parse: parseFeed ${p.parseFeedMBps.toFixed(1)} MB/s, rss-parser ${p.rssParserMBps.toFixed(1)} MB/s, tokenizer ${p.tokenizerMBps.toFixed(1)} MB/s on ${p.documents} documents (${(p.bytes / 1e6).toFixed(1)} MB)`;
  const bundles = formatTable(
    ["lambda", "bundle", "load (median of 10)", "heaviest packages"],
    r.bundles.map((b) => [
      b.lambda,
      kb(b.bytes),
      `${b.loadMs.toFixed(0)} ms`,
      b.heaviestPackages.map((l) => `${l.name} ${kb(l.bytes)}`).join(", "),
    ]),
  );
  const targets = formatTable(
    ["key", "what", "measured", "target", "result"],
    r.targets.map((t) => [t.key, t.description, t.measured, t.limit, t.met ? "met" : "NOT MET"]),
  );
  return [
    `Vectora ingest benchmark — Node ${r.environment.node}, ${r.environment.platform}, ${r.environment.cpus} CPUs, ${r.environment.durationS.toFixed(0)} s`,
    `Feeds: ${r.settings.itemsPerFeed} items, ${kb(r.settings.feedBytes)} each, ${r.settings.latencyMs} ms to first byte, ${r.settings.hosts} loopback hosts; medians of ${r.settings.repetitions} runs after a warm-up`,
    "",
    scenarios,
    parse,
    `profiles: ${r.profileMatching.usPerItem.toFixed(0)} µs per item (${r.profileMatching.terms} terms, ${r.profileMatching.items} items)`,
    "",
    bundles,
    "",
    targets,
    "",
  ].join("\n");
}
