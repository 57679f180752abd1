import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { type ArticleDateSource, articleDate } from "../../shared/parse/article-date.ts";

/**
 * Scores `articleDate` over a folder of article pages described by its `expected.json`:
 * `{ "NAME.html": { "url": "...", "published": "YYYY-MM-DD" | null } }` (null: the page has no reliable
 * publication date). A returned date is correct when it falls on the expected UTC calendar day.
 */

const ManifestSchema = z.record(
  z.string(),
  z.object({
    url: z.string().url(),
    published: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .nullable(),
  }),
);

export interface PageOutcome {
  file: string;
  expected: string | null;
  /** The UTC day returned, or null. */
  got: string | null;
  source: ArticleDateSource | null;
  correct: boolean;
}

export interface FolderScore {
  folder: string;
  pages: number;
  /** Pages that have a publication date. */
  dated: number;
  /** Pages for which a date was returned. */
  returned: number;
  correct: number;
  /** correct / returned; 1 when nothing was returned. */
  precision: number;
  /** correct / dated; 1 when no page has a date. */
  recall: number;
  outcomes: PageOutcome[];
}

export function readManifest(dir: string): z.infer<typeof ManifestSchema> {
  return ManifestSchema.parse(JSON.parse(readFileSync(path.join(dir, "expected.json"), "utf8")));
}

function scorePage(dir: string, file: string, url: string, expected: string | null, now?: Date): PageOutcome {
  const found = articleDate(readFileSync(path.join(dir, file), "utf8"), url, { now });
  const got = found ? found.date.toISOString().slice(0, 10) : null;
  return { file, expected, got, source: found?.source ?? null, correct: got !== null && got === expected };
}

export function evaluateFolder(dir: string, opts: { now?: Date } = {}): FolderScore {
  const manifest = readManifest(dir);
  const outcomes = Object.entries(manifest).map(([file, page]) =>
    scorePage(dir, file, page.url, page.published, opts.now),
  );
  const dated = outcomes.filter((o) => o.expected !== null).length;
  const returned = outcomes.filter((o) => o.got !== null).length;
  const correct = outcomes.filter((o) => o.correct).length;
  return {
    folder: path.basename(dir),
    pages: outcomes.length,
    dated,
    returned,
    correct,
    precision: returned === 0 ? 1 : correct / returned,
    recall: dated === 0 ? 1 : correct / dated,
    outcomes,
  };
}

export function formatScore(score: FolderScore): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  return (
    `${score.folder}: ${score.pages} pages, ${score.dated} dated, ${score.returned} answered, ` +
    `${score.correct} correct; precision ${pct(score.precision)} (${score.correct}/${score.returned}), ` +
    `recall ${pct(score.recall)} (${score.correct}/${score.dated})`
  );
}

/** The pages answered wrongly or left unanswered, one line each. */
export function formatMisses(score: FolderScore): string[] {
  return score.outcomes
    .filter((o) => !o.correct && !(o.expected === null && o.got === null))
    .map((o) => `  ${o.file}: expected ${o.expected ?? "none"}, got ${o.got ?? "none"} (${o.source ?? "-"})`);
}
