import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { libraryText, mainText } from "../../shared/parse/main-text.ts";
import { evaluateFolder as evaluateDating, formatScore as formatDating } from "../support/dating-eval.ts";
import { evaluateListingFolder, formatEvaluation } from "../support/listing-eval.ts";
import { evaluate as evaluateText, formatScore as formatText, loadPages } from "../support/main-text-eval.ts";

/**
 * The blind folders were written by someone who never saw the extractors, after they were built: the
 * figures that say how the extractors do on pages nobody tuned them on. Floors are the measured values
 * rounded down, so a regression shows.
 */
const FIXTURES = join(import.meta.dirname, "..", "fixtures");

describe("extraction on blind pages", () => {
  it("finds the article links of listings it was never tuned on (F1 >= 0.95)", () => {
    const result = evaluateListingFolder(join(FIXTURES, "listings", "blind"));
    console.log(formatEvaluation(result));
    expect(result.f1).toBeGreaterThanOrEqual(0.95);
    expect(result.titleShare).toBeGreaterThanOrEqual(0.99);
  });

  it("dates blind article pages with no wrong date (precision 1) and recall >= 0.87", () => {
    const score = evaluateDating(join(FIXTURES, "articles", "dating", "blind"), {
      now: new Date("2025-06-01T00:00:00Z"),
    });
    console.log(formatDating(score));
    expect(score.precision).toBe(1);
    expect(score.recall).toBeGreaterThanOrEqual(0.87);
  });

  it("extracts blind article bodies at F1 >= 0.92, and better than the library alone", () => {
    const pages = loadPages(join(FIXTURES, "articles", "body", "blind"));
    const ours = evaluateText(pages, (html, url) =>
      mainText(html, url, { maxLength: Number.POSITIVE_INFINITY }),
    );
    const library = evaluateText(pages, libraryText);
    console.log(`${formatText("blind mainText", ours)}\n${formatText("blind Readability alone", library)}`);
    expect(ours.f1).toBeGreaterThanOrEqual(0.92);
    expect(ours.f1).toBeGreaterThanOrEqual(library.f1);
  });
});
