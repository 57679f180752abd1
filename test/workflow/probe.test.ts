import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Fetcher } from "../../shared/fetch/fetcher.ts";
import { DEFAULT_MAX_REQUESTS, type ProbeReport, probeSite } from "../../shared/probe/probe-site.ts";
import { cli } from "../support/cli.ts";

const SITES = fileURLToPath(new URL("../fixtures/probe-sites/", import.meta.url));

interface Expectation {
  listing: string | null;
  items: number;
  /** The page the probe starts from, when it is not the homepage. */
  start?: string;
  holdout?: boolean;
  /** Publication dates of the listing's items as a reader sees them, in listing order; null where none shows. */
  dates?: (string | null)[];
}

const EXPECTED = JSON.parse(readFileSync(join(SITES, "expected.json"), "utf8")) as Record<
  string,
  Expectation
>;

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".php": "text/html; charset=utf-8",
  ".xml": "application/xml",
  ".txt": "text/plain",
  ".pdf": "application/pdf",
};

function existingFile(file: string): boolean {
  return existsSync(file) && statSync(file).isFile();
}

/** A path names a file of the site; a directory is its index.html, or index.xml for a feed at "/feed/". */
function fileFor(site: string, pathname: string): string | null {
  const path = normalize(decodeURIComponent(pathname));
  const names = path.endsWith("/") ? [`${path}index.html`, `${path}index.xml`] : [path];
  const files = names.map((name) => join(SITES, site, name));
  return files.find((file) => file.startsWith(join(SITES, site)) && existingFile(file)) ?? null;
}

/** Sitemaps and feeds need absolute URLs, which depend on the port: files say {{origin}} instead. */
function serveSite(site: string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://fixture");
    const file = fileFor(site, url.pathname);
    if (!file) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    const origin = `http://${req.headers.host}`;
    const type = TYPES[extname(file)] ?? "text/plain";
    res.writeHead(200, { "content-type": type });
    res.end(readFileSync(file, "utf8").replaceAll("{{origin}}", origin));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

function origin(server: http.Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

interface DateCheck {
  /** Compared items that have an expected date. */
  expected: number;
  correct: number;
  /** Returned dates that differ from the expected one, as "item n: got X, expected Y". */
  wrong: string[];
}

interface Outcome {
  site: string;
  expected: Expectation;
  report: ProbeReport;
  right: boolean;
  dates: DateCheck;
}

function isRight(report: ProbeReport, expected: Expectation): boolean {
  if (expected.listing === null) return report.best === null;
  return report.best !== null && new URL(report.best.url).pathname === expected.listing;
}

/** Feeds give a time of day, pages often only a day: the UTC day is what both can agree on. */
function utcDay(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? `unparsable ${iso}` : new Date(time).toISOString().slice(0, 10);
}

/**
 * Items are matched by position, as expected.json gives the dates in listing order but not the URLs.
 * Only a right listing is checked: another page's items have other dates.
 */
function checkDates(report: ProbeReport, expected: Expectation, right: boolean): DateCheck {
  const check: DateCheck = { expected: 0, correct: 0, wrong: [] };
  const dates = expected.dates ?? [];
  if (!right || !report.best) return check;
  report.best.firstItems.slice(0, dates.length).forEach((item, i) => {
    const want = dates[i] ?? null;
    const got = item.date === null ? null : utcDay(item.date);
    if (want !== null) check.expected++;
    if (got !== null && got === want) check.correct++;
    // A missing date is a miss, not a wrong date; a date where the page shows none is wrong.
    if (got !== null && got !== want) check.wrong.push(`item ${i + 1}: got ${got}, expected ${want}`);
  });
  return check;
}

function figures(outcomes: readonly Outcome[]): string {
  const part = (holdout: boolean) => outcomes.filter((o) => Boolean(o.expected.holdout) === holdout);
  const rate = (list: readonly Outcome[]) => `${list.filter((o) => o.right).length}/${list.length}`;
  const requests = outcomes.map((o) => o.report.requests);
  const mean = requests.reduce((a, b) => a + b, 0) / requests.length;
  const items = outcomes.map((o) => `${o.report.best?.items ?? 0}/${o.expected.items}`).join(" ");
  const dated = (list: readonly Outcome[]) => {
    const sum = (pick: (check: DateCheck) => number) => list.reduce((n, o) => n + pick(o.dates), 0);
    return `${sum((c) => c.correct)}/${sum((c) => c.expected)}`;
  };
  return `probe: right listing tuning ${rate(part(false))}, holdout ${rate(part(true))}; items found/expected ${items}; dated correctly tuning ${dated(part(false))}, holdout ${dated(part(true))}; requests max ${Math.max(...requests)} mean ${mean.toFixed(1)}`;
}

describe("probeSite on fixture sites", () => {
  const servers = new Map<string, http.Server>();
  const outcomes: Outcome[] = [];
  const fetcher = new Fetcher({
    allowPrivateNetwork: true,
    retry: { retries: 0, baseDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0 },
  });

  beforeAll(async () => {
    const sites = readdirSync(SITES).filter((name) => statSync(join(SITES, name)).isDirectory());
    for (const site of sites) servers.set(site, await serveSite(site));
    for (const [site, expected] of Object.entries(EXPECTED)) {
      const server = servers.get(site);
      if (!server) throw new Error(`expected.json names ${site}, which has no folder`);
      const report = await probeSite(`${origin(server)}${expected.start ?? "/"}`, fetcher);
      const right = isRight(report, expected);
      outcomes.push({ site, expected, report, right, dates: checkDates(report, expected, right) });
    }
    console.log(figures(outcomes));
    for (const o of outcomes.filter((x) => !x.right))
      console.log(`  wrong: ${o.site} -> ${o.report.best?.url ?? "null"} (${o.report.best?.why ?? ""})`);
    for (const o of outcomes.filter((x) => x.dates.wrong.length > 0))
      console.log(`  wrong dates: ${o.site}: ${o.dates.wrong.join("; ")}`);
  });

  afterAll(async () => {
    fetcher.close();
    await Promise.all([...servers.values()].map((s) => new Promise((r) => s.close(r))));
  });

  it("stays within the request budget on every site", () => {
    for (const o of outcomes) expect(o.report.requests, o.site).toBeLessThanOrEqual(DEFAULT_MAX_REQUESTS);
  });

  it("finds the right listing on at least 80% of the tuning sites", () => {
    const tuning = outcomes.filter((o) => !o.expected.holdout);
    expect(tuning.filter((o) => o.right).length / tuning.length).toBeGreaterThanOrEqual(0.8);
  });

  it("returns no wrong date on the tuning sites", () => {
    for (const o of outcomes.filter((x) => !x.expected.holdout)) expect(o.dates.wrong, o.site).toEqual([]);
  });

  it("gives no best listing for a site with nothing, and says what each attempt gave", () => {
    const nothing = outcomes.find((o) => o.site === "en-orrin-nothing");
    expect(nothing?.report.best).toBeNull();
    expect(nothing?.report.catalogEntry).toBeNull();
    expect(nothing?.report.tried.length).toBeGreaterThan(3);
    for (const attempt of nothing?.report.tried ?? []) expect(attempt.result).not.toBe("");
  });

  it("prints a catalog entry through the command line", async () => {
    const server = servers.get("fr-verdane-communiques");
    if (!server) throw new Error("fixture site missing");
    const r = await cli(["probe", `${origin(server)}/`, "--allow-private-network"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Best listing:");
    expect(r.stdout).toContain(`  html_url: "${origin(server)}/fr/communiques/"`);
    expect(r.stdout).toContain("  ingestion_mode: html");
  });
});
