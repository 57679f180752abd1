import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ParseError } from "../../shared/errors/source-errors.ts";
import { type ParsedFeed, parseFeed } from "../../shared/parse/parse-feed.ts";
import { externalDir, titled } from "../support/external-material.ts";

/** The conformance corpus lives outside the repository (see its README.md for the schema). */
const corpus = externalDir("VECTORA_CORPUS_DIR");
const CORPUS_DIR = corpus.dir ?? "";

/** Share of expected fields that must match; set to what the parser reaches, rounded down. */
const FLOOR = 0.99;

/**
 * The URLs the corpus README says these feeds are served from; their relative links are expected
 * resolved against them. Every other file is parsed without a URL.
 */
const FEED_URLS: Record<string, string> = {
  "feeds/005-github-gulp-releases-atom.atom": "https://github.com/gulpjs/gulp/releases.atom",
  "feeds/061-huggingface-relative-guid-no-link.xml": "https://huggingface.co/blog/feed.xml",
  "feeds/062-intertwingly-relative-links-atom.atom": "http://intertwingly.net/blog/index.atom",
  "feeds/068-arcgames-relative-links-2digit-year.xml": "http://www.arcgames.com",
};

const ExpectedItemSchema = z.object({
  index: z.number().int().nonnegative(),
  title: z.string().nullable().optional(),
  link: z.string().nullable().optional(),
  published: z.string().nullable().optional(),
  id: z.string().nullable().optional(),
});

const ExpectedFileSchema = z.object({
  file: z.string(),
  parse_outcome: z.enum(["ok", "recover", "error-or-partial", "error"]),
  expect: z.object({
    title: z.string().nullable().optional(),
    item_count: z.number().int().nonnegative().optional(),
    items: z.array(ExpectedItemSchema).optional(),
  }),
});
type ExpectedFile = z.infer<typeof ExpectedFileSchema>;

interface FieldResult {
  field: string;
  matched: boolean;
  expected: unknown;
  actual: unknown;
}

function same(field: string, expected: string | null, actual: string | null | undefined): boolean {
  if (expected === null) return actual === null || actual === undefined;
  if (actual === null || actual === undefined) return false;
  if (field.endsWith(".published")) return Date.parse(expected) === Date.parse(actual);
  return expected.trim() === actual.trim();
}

function compare(expected: ExpectedFile, feed: ParsedFeed): FieldResult[] {
  const results: FieldResult[] = [];
  const check = (field: string, want: string | null, got: string | null | undefined) =>
    results.push({ field, matched: same(field, want, got), expected: want, actual: got });
  const { title, item_count: itemCount, items = [] } = expected.expect;
  if (title !== undefined) check("title", title, feed.title);
  if (itemCount !== undefined) {
    const got = feed.entries.length;
    results.push({ field: "item_count", matched: got === itemCount, expected: itemCount, actual: got });
  }
  for (const item of items) {
    const entry = feed.entries[item.index];
    for (const key of ["title", "link", "published", "id"] as const) {
      const want = item[key];
      if (want === undefined) continue;
      check(`items.${item.index}.${key}`, want, entry ? entry[key] : undefined);
    }
  }
  return results;
}

function expectedFieldNames(expected: ExpectedFile): string[] {
  const { title, item_count: itemCount, items = [] } = expected.expect;
  const names: string[] = [];
  if (title !== undefined) names.push("title");
  if (itemCount !== undefined) names.push("item_count");
  for (const item of items) {
    for (const key of ["title", "link", "published", "id"] as const) {
      if (item[key] !== undefined) names.push(`items.${item.index}.${key}`);
    }
  }
  return names;
}

async function score(expected: ExpectedFile): Promise<FieldResult[]> {
  const bytes = new Uint8Array(readFileSync(path.join(CORPUS_DIR, expected.file)));
  const url = FEED_URLS[expected.file];
  let feed: ParsedFeed;
  try {
    feed = await parseFeed(bytes, url ? { url } : {});
  } catch (error) {
    const clean = error instanceof ParseError;
    if (expected.parse_outcome === "error") {
      return [{ field: "error", matched: clean, expected: "FeedParseError", actual: String(error) }];
    }
    // "error-or-partial": a clean error is an accepted answer for every listed field.
    const accepted = clean && expected.parse_outcome === "error-or-partial";
    return expectedFieldNames(expected).map((field) => ({
      field,
      matched: accepted,
      expected: "a value",
      actual: String(error),
    }));
  }
  if (expected.parse_outcome === "error") {
    return [
      {
        field: "error",
        matched: false,
        expected: "FeedParseError",
        actual: `${feed.entries.length} entries`,
      },
    ];
  }
  return compare(expected, feed);
}

describe.skipIf(!corpus.dir)(titled("parseFeed over the conformance corpus", corpus), () => {
  const files = corpus.dir
    ? z
        .array(ExpectedFileSchema)
        .parse(JSON.parse(readFileSync(path.join(CORPUS_DIR, "expected.json"), "utf8")))
    : [];

  it("covers every corpus file", () => {
    expect(files).toHaveLength(80);
  });

  it(`matches at least ${FLOOR * 100}% of the expected fields`, async () => {
    let total = 0;
    let matched = 0;
    const misses: string[] = [];
    for (const expected of files) {
      const results = await score(expected);
      total += results.length;
      for (const result of results) {
        if (result.matched) matched += 1;
        else {
          misses.push(
            `${expected.file} ${result.field}: expected ${JSON.stringify(result.expected)}, got ${JSON.stringify(result.actual)}`,
          );
        }
      }
    }
    const share = matched / total;
    console.log(
      `corpus: ${matched}/${total} expected fields matched (${(share * 100).toFixed(1)}%)` +
        (misses.length > 0 ? `\nmisses:\n  ${misses.join("\n  ")}` : ""),
    );
    expect(share).toBeGreaterThanOrEqual(FLOOR);
  });
});
