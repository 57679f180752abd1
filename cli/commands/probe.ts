import { type Candidate, type ProbeReport, probeFetcher, probeSite } from "../../shared/probe/probe-site.ts";
import { defineCommand } from "../command.ts";
import type { Io } from "../io.ts";
import { UsageError } from "../usage-error.ts";

function startUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.protocol === "http:" || url.protocol === "https:") return url.href;
  } catch {
    // Reported below with the argument as given.
  }
  throw new UsageError(`probe: '${raw}' is not an http(s) URL`);
}

function printCandidate(candidate: Candidate, io: Io): void {
  io.out(`${candidate.url} (${candidate.kind}, score ${candidate.score})`);
  io.out(`  why: ${candidate.why}`);
}

function printReport(report: ProbeReport, io: Io): void {
  if (!report.best) {
    io.out(`no usable news listing found on ${report.start} (${report.requests} requests)`);
    for (const attempt of report.tried) io.out(`  ${attempt.url} [${attempt.how}]: ${attempt.result}`);
    return;
  }
  io.out("Best listing:");
  printCandidate(report.best, io);
  for (const item of report.best.firstItems) {
    io.out(`  - ${item.date?.slice(0, 10) ?? "undated   "}  ${item.title ?? "(no title)"}  ${item.url}`);
  }
  if (report.runnersUp.length > 0) io.out("\nRunners-up:");
  for (const candidate of report.runnersUp) printCandidate(candidate, io);
  io.out(`\nCatalog entry (${report.requests} requests):\n${report.catalogEntry ?? ""}`);
}

export const probe = defineCommand({
  name: "probe",
  usage: ["URL [--json] [--allow-private-network]"],
  description: [
    "Find a site's news or press listing from its homepage (or any page): declared feeds, press and news",
    "links, sitemaps and common paths, at most 15 requests; print the best listing with its first items,",
    "the runners-up and a catalog entry. --json prints the whole report as one JSON document.",
  ],
  options: {
    json: { type: "boolean", default: false },
    "allow-private-network": { type: "boolean", default: false },
  },
  positionals: { exactlyOne: "URL" },
  async handler({ values, positionals }, io) {
    const url = startUrl(positionals[0] ?? "");
    const fetcher = probeFetcher(values["allow-private-network"]);
    try {
      const report = await probeSite(url, fetcher);
      if (values.json) io.out(JSON.stringify(report, null, 2));
      else printReport(report, io);
      return report.best ? 0 : 1;
    } finally {
      fetcher.close();
    }
  },
});
