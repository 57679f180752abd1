import { describe, expect, it } from "vitest";
import {
  compileDatePatterns,
  dateFromPatterns,
  datePatternProblem,
} from "../../shared/parse/date-patterns.ts";
import { parsePage } from "../../shared/parse/parse-page.ts";

describe("a source's date_extraction_patterns", () => {
  const patterns = compileDatePatterns([
    "Published:\\s*(\\d{4}-\\d{2}-\\d{2})",
    "(\\w+ \\d{1,2}, \\d{4})\\w*",
    "(?P<broken>x)",
    "no group here",
  ]);

  it("keeps the patterns that compile and capture, and says why the others are left out", () => {
    expect(patterns).toHaveLength(2);
    expect(datePatternProblem("(?P<broken>x)")).toMatch(/not a valid regular expression/);
    expect(datePatternProblem("no group here")).toBe("has no capture group around the date");
  });

  it("reads the date a pattern captures, the first that reads winning", () => {
    expect(dateFromPatterns("MedinCell news December 9, 2025December", patterns)?.toISOString()).toBe(
      "2025-12-09T00:00:00.000Z",
    );
    expect(dateFromPatterns("Published: 2025-03-04 — Date: May 1, 2025", patterns)?.toISOString()).toBe(
      "2025-03-04T00:00:00.000Z",
    );
    expect(dateFromPatterns("nothing dated", patterns)).toBeNull();
  });

  it("are tried on an item's text before the generic date finder", () => {
    const html = `<ul><li class="n"><a href="/a">Results</a> <span>Webcast 2026-12-01 · released 5 Nov 2026</span></li></ul>`;
    const withPattern = parsePage(
      html,
      "https://x.example/news/",
      { item: "li.n", link: "a" },
      {
        datePatterns: compileDatePatterns(["released (\\d{1,2} \\w+ \\d{4})"]),
      },
    );
    expect(withPattern[0]?.published?.slice(0, 10)).toBe("2026-11-05");
    expect(withPattern[0]?.dateSource).toBe("content_text");
    const without = parsePage(html, "https://x.example/news/", { item: "li.n", link: "a" });
    expect(without[0]?.published?.slice(0, 10)).toBe("2026-12-01");
  });
});
