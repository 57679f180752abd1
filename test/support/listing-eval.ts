import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { z } from "zod";
import { NoListingFoundError } from "../../shared/errors/source-errors.ts";
import { canonicalUrl } from "../../shared/parse/canonical-url.ts";
import { extractListing } from "../../shared/parse/listing/generic-listing.ts";
import type { PageEntry } from "../../shared/parse/parse-page.ts";

/** `NAME.expected.json` beside each `NAME.html` fixture. */
export const ListingExpectationSchema = z.object({
  url: z.url({ protocol: /^https?$/ }),
  items: z.array(
    z.object({
      link: z.url({ protocol: /^https?$/ }),
      title: z.string().min(1),
      published: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/)
        .nullable(),
    }),
  ),
  no_listing: z.boolean().optional(),
});
export type ListingExpectation = z.infer<typeof ListingExpectationSchema>;

export interface PageEvaluation {
  name: string;
  expected: number;
  found: number;
  correct: number;
  titleMatches: number;
  dateMatches: number;
  /** The page expects no listing and the extractor said so with NoListingFoundError. */
  refusedAsExpected: boolean;
  /** Any other error, or a NoListingFoundError on a page that has a listing. */
  error: string | null;
  missed: string[];
  extra: string[];
}

export interface FolderEvaluation {
  folder: string;
  pages: PageEvaluation[];
  precision: number;
  recall: number;
  f1: number;
  /** Share of the correctly found items whose title matches (whitespace-normalised, case-insensitive). */
  titleShare: number;
  /** Share of the correctly found items whose date falls on the expected UTC day (or both have none). */
  dateShare: number;
  noListingPages: number;
  noListingRefused: number;
}

function sameTitle(found: string | null, expected: string): boolean {
  const normalise = (text: string) => text.replace(/\s+/g, " ").trim().toLowerCase();
  return found !== null && normalise(found) === normalise(expected);
}

function sameDay(found: string | null, expected: string | null): boolean {
  if (found === null || expected === null) return found === expected;
  return new Date(found).toISOString().slice(0, 10) === expected;
}

function run(html: string, url: string): { entries: PageEntry[]; error: unknown } {
  try {
    return { entries: extractListing(html, url), error: null };
  } catch (error) {
    return { entries: [], error };
  }
}

function compare(name: string, expectation: ListingExpectation, html: string): PageEvaluation {
  const { entries, error } = run(html, expectation.url);
  const expectedByKey = new Map(
    expectation.items.map((item) => [canonicalUrl(item.link) ?? item.link, item]),
  );
  const foundKeys = new Set<string>();
  let correct = 0;
  let titleMatches = 0;
  let dateMatches = 0;
  const extra: string[] = [];
  for (const entry of entries) {
    const key = canonicalUrl(entry.link) ?? entry.link;
    if (foundKeys.has(key)) continue;
    foundKeys.add(key);
    const expected = expectedByKey.get(key);
    if (!expected) {
      extra.push(entry.link);
      continue;
    }
    correct++;
    if (sameTitle(entry.title, expected.title)) titleMatches++;
    if (sameDay(entry.published, expected.published)) dateMatches++;
  }
  const refusedAsExpected = expectation.no_listing === true && error instanceof NoListingFoundError;
  return {
    name,
    expected: expectation.items.length,
    found: foundKeys.size,
    correct,
    titleMatches,
    dateMatches,
    refusedAsExpected,
    error: error && !refusedAsExpected ? String(error) : null,
    missed: [...expectedByKey.keys()].filter((key) => !foundKeys.has(key)),
    extra,
  };
}

function ratio(part: number, whole: number, empty: number): number {
  return whole === 0 ? empty : part / whole;
}

/** Runs extractListing over every `*.html` of a fixture folder and scores the article links it finds. */
export function evaluateListingFolder(dir: string): FolderEvaluation {
  const pages = readdirSync(dir)
    .filter((file) => file.endsWith(".html"))
    .sort()
    .map((file) => {
      const name = file.replace(/\.html$/, "");
      const expectation = ListingExpectationSchema.parse(
        JSON.parse(readFileSync(join(dir, `${name}.expected.json`), "utf8")),
      );
      return compare(name, expectation, readFileSync(join(dir, file), "utf8"));
    });
  const sum = (pick: (page: PageEvaluation) => number) =>
    pages.reduce((total, page) => total + pick(page), 0);
  const correct = sum((page) => page.correct);
  const precision = ratio(
    correct,
    sum((page) => page.found),
    1,
  );
  const recall = ratio(
    correct,
    sum((page) => page.expected),
    1,
  );
  return {
    folder: basename(dir),
    pages,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    titleShare: ratio(
      sum((page) => page.titleMatches),
      correct,
      0,
    ),
    dateShare: ratio(
      sum((page) => page.dateMatches),
      correct,
      0,
    ),
    noListingPages: pages.filter((page) => page.expected === 0).length,
    noListingRefused: sum((page) => (page.refusedAsExpected ? 1 : 0)),
  };
}

export function formatEvaluation(evaluation: FolderEvaluation): string {
  const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
  return (
    `${evaluation.folder}: ${evaluation.pages.length} pages, precision ${pct(evaluation.precision)}, ` +
    `recall ${pct(evaluation.recall)}, F1 ${evaluation.f1.toFixed(3)}, titles ${pct(evaluation.titleShare)}, ` +
    `dates ${pct(evaluation.dateShare)}, no-listing pages refused ${evaluation.noListingRefused}/${evaluation.noListingPages}`
  );
}
