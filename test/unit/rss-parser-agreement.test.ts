import { readFileSync } from "node:fs";
import path from "node:path";
import Parser from "rss-parser";
import { describe, expect, it } from "vitest";
import { canonicalUrl } from "../../shared/parse/canonical-url.ts";
import { decodeBody } from "../../shared/parse/charset.ts";
import { parseFeed } from "../../shared/parse/parse-feed.ts";
import { externalDir, titled } from "../support/external-material.ts";

/**
 * rss-parser is the project's reference feed reader; parseFeed replaces it on the hot path for speed and
 * leniency (see the comment at the top of shared/parse-feed.ts). On every corpus file rss-parser reads,
 * both must find the same entries: the same count, and the same link for each entry rss-parser gives an
 * absolute link (parseFeed also resolves relative ones, which rss-parser leaves as they are).
 */
const corpus = externalDir("VECTORA_CORPUS_DIR");
const CORPUS_DIR = corpus.dir ?? "";
const expected = (
  corpus.dir ? JSON.parse(readFileSync(path.join(CORPUS_DIR, "expected.json"), "utf8")) : []
) as {
  file: string;
  wellformed: boolean;
}[];
/** Share of comparable fields that must agree; the test prints the measured share. */
const AGREEMENT_FLOOR = 1;

describe.skipIf(!corpus.dir)(titled("parseFeed against rss-parser", corpus), () => {
  it("finds every entry rss-parser finds on the corpus, with the same links", async () => {
    const reference = new Parser();
    let compared = 0;
    let agreed = 0;
    const misses: string[] = [];
    let files = 0;
    for (const entry of expected.filter((e) => e.wellformed)) {
      const bytes = readFileSync(path.join(CORPUS_DIR, entry.file));
      const theirs = await reference.parseString(decodeBody(bytes, { kind: "xml" })).catch(() => null);
      if (!theirs) continue;
      files++;
      const ours = await parseFeed(bytes);
      compared++;
      if (ours.entries.length === theirs.items.length) agreed++;
      else misses.push(`${entry.file}: ${ours.entries.length} entries, rss-parser ${theirs.items.length}`);
      theirs.items.forEach((item, i) => {
        const link = item.link ? canonicalUrl(item.link) : null;
        if (!link || !item.link?.startsWith("http")) return;
        compared++;
        const mine = ours.entries[i]?.link;
        if (mine && canonicalUrl(mine) === link) agreed++;
        else misses.push(`${entry.file} #${i}: link ${mine} vs ${item.link}`);
      });
    }
    const share = agreed / compared;
    console.log(
      `rss-parser agreement: ${agreed}/${compared} (${(share * 100).toFixed(1)}%) over ${files} files` +
        (misses.length > 0 ? `\n  ${misses.slice(0, 20).join("\n  ")}` : ""),
    );
    expect(files).toBeGreaterThan(40);
    expect(share).toBeGreaterThanOrEqual(AGREEMENT_FLOOR);
  });
});
