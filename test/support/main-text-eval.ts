import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Scores main-text extraction the way article-extraction benchmarks do: both texts become multisets
 * of 4-token shingles, so a page is judged on which passages it kept and dropped, not on spacing,
 * punctuation or paragraph breaks.
 */

export interface ArticlePage {
  name: string;
  html: string;
  gold: string;
  /** Page URL handed to the extractor; the fixtures are offline, so only its form matters. */
  url: string;
}

export interface PageScore {
  name: string;
  precision: number;
  recall: number;
  ms: number;
}

export interface FolderScore {
  pages: PageScore[];
  /** Mean of the per-page precisions. */
  precision: number;
  /** Mean of the per-page recalls. */
  recall: number;
  /** Harmonic mean of the two means. */
  f1: number;
  medianMs: number;
}

export type Extractor = (html: string, url: string) => string | null;

const SHINGLE_SIZE = 4;

export function tokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
}

/** Texts shorter than one shingle count as a single shingle of all their tokens. */
export function shingles(text: string, size = SHINGLE_SIZE): Map<string, number> {
  const words = tokens(text);
  const bag = new Map<string, number>();
  const last = Math.max(words.length - size, 0);
  if (words.length === 0) return bag;
  for (let i = 0; i <= last; i++) {
    const key = words.slice(i, i + size).join(" ");
    bag.set(key, (bag.get(key) ?? 0) + 1);
  }
  return bag;
}

function size(bag: Map<string, number>): number {
  let total = 0;
  for (const count of bag.values()) total += count;
  return total;
}

function overlap(a: Map<string, number>, b: Map<string, number>): number {
  let common = 0;
  for (const [key, count] of a) common += Math.min(count, b.get(key) ?? 0);
  return common;
}

/** An empty or missing extraction scores zero on both counts: every page in the sets has an article. */
export function scorePage(extracted: string | null, gold: string): { precision: number; recall: number } {
  const got = shingles(extracted ?? "");
  const want = shingles(gold);
  const common = overlap(got, want);
  const gotSize = size(got);
  const wantSize = size(want);
  return {
    precision: gotSize === 0 ? 0 : common / gotSize,
    recall: wantSize === 0 ? 0 : common / wantSize,
  };
}

export function f1(precision: number, recall: number): number {
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

export function loadPages(dir: string): ArticlePage[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith(".html"))
    .sort()
    .map((file) => {
      const name = file.slice(0, -".html".length);
      return {
        name,
        html: readFileSync(join(dir, file), "utf8"),
        gold: readFileSync(join(dir, `${name}.gold.txt`), "utf8"),
        url: `https://fixtures.example/articles/${name}`,
      };
    });
}

export function evaluate(pages: ArticlePage[], extract: Extractor): FolderScore {
  const scores = pages.map((page) => {
    const started = performance.now();
    const text = extract(page.html, page.url);
    const ms = performance.now() - started;
    return { name: page.name, ...scorePage(text, page.gold), ms };
  });
  const precision = mean(scores.map((score) => score.precision));
  const recall = mean(scores.map((score) => score.recall));
  return {
    pages: scores,
    precision,
    recall,
    f1: f1(precision, recall),
    medianMs: median(scores.map((s) => s.ms)),
  };
}

function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return 0;
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

export function formatScore(label: string, score: FolderScore): string {
  const pct = (value: number): string => value.toFixed(3);
  return `${label}: P ${pct(score.precision)} R ${pct(score.recall)} F1 ${pct(score.f1)} (${score.pages.length} pages, median ${score.medianMs.toFixed(1)} ms/page)`;
}
