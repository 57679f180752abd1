import { describe, expect, it } from "vitest";
import { parseHtmlExtractors } from "../../shared/config/html-extractors.ts";
import { strptimeToTokens } from "../../shared/config/strptime.ts";
import { formatProblem } from "../../shared/config/validation.ts";
import { parseDate, toIsoUtc } from "../../shared/parse/dates.ts";

const FILE = "canonical/sources/html_extractors.yaml";

describe("strptime date formats", () => {
  it.each([
    ["%B %d, %Y", "January 15, 2025", "2025-01-15"],
    ["%Y.%m.%d", "2025.01.15", "2025-01-15"],
    ["%d/%m/%Y", "5/1/2025", "2025-01-05"],
    ["%d %b %Y %H:%M", "15 Jan 2025 09:30", "2025-01-15T09:30"],
  ])("reads %s as dates.ts reads its tokens (%s)", (pattern, text, day) => {
    const converted = strptimeToTokens(pattern);
    expect(converted.ok).toBe(true);
    const date = converted.ok ? parseDate(text, { format: converted.format }) : null;
    expect(date && toIsoUtc(date)).toContain(day);
  });

  it("names a directive it cannot convert", () => {
    expect(strptimeToTokens("%A %d %B %Y")).toEqual({ ok: false, directive: "%A" });
  });
});

describe("html_extractors.yaml", () => {
  const text = [
    "extractors:",
    "  peptron:",
    "    description: board",
    "    selectors:",
    '      container: "table.board_list, main"',
    '      item: "tr, li"',
    '      title: "td.subject a, a"',
    '      url: "td.subject a, a"',
    '      date: "td.date, time"',
    '      description: "td.content"',
    '    date_format: "%Y.%m.%d"',
    '    base_url: "https://www.peptron.co.kr"',
    "    ssl_verify: false",
    "    max_items: 20",
    "global_settings:",
    "  default_max_items: 15",
    '  default_date_patterns: ["%Y-%m-%d", "%A %d"]',
    "  fallback_selectors: { item: article }",
  ].join("\n");

  it("maps the seed's selectors, date formats and caps onto the catalog's html block", () => {
    const { extractors, errors } = parseHtmlExtractors(FILE, text);
    expect(errors).toEqual([]);
    expect(extractors.defaultMaxItems).toBe(15);
    expect(extractors.bySource.get("peptron")).toEqual({
      html: {
        container: "table.board_list, main",
        item: "tr, li",
        link: "td.subject a, a",
        title: "td.subject a, a",
        date: { selector: "td.date, time" },
        summary: "td.content",
        alternatives: true,
        date_formats: ["YYYY.M.D", "YYYY-M-D"],
      },
      max_items: 20,
    });
  });

  it("warns that certificates are always verified and names unsupported date directives", () => {
    const { warnings } = parseHtmlExtractors(FILE, text);
    expect(warnings.map(formatProblem)).toEqual([
      `${FILE}: global_settings.default_date_patterns.1: %A is not supported: ignored`,
      `${FILE}: extractors.peptron.ssl_verify: certificates are always verified: ignored`,
    ]);
  });

  it("treats a missing file as no extractors", () => {
    const reading = parseHtmlExtractors(FILE, "");
    expect(reading.errors).toEqual([]);
    expect(reading.extractors.bySource.size).toBe(0);
  });
});
