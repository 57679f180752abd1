import { describe, expect, it } from "vitest";
import {
  compileTermIndex,
  compileTerms,
  normalizeText,
  termKey,
  termProblem,
} from "../../shared/filter/term-matcher.ts";

function found(terms: string[], text: string): string[] {
  return compileTerms(terms).find(normalizeText(text));
}

describe("whole words only", () => {
  it.each([
    ["oral", "a moral duty"],
    ["oral", "colonial history"],
    ["event", "prevention first"],
    ["LAI", "the claims were upheld"],
    ["6-month", "a 16-month study"],
    ["q4w", "q4w2 dosing"],
  ])("%s does not match in %j", (term, text) => {
    expect(found([term], text)).toEqual([]);
  });

  it.each([
    ["oral", "an oral dose"],
    ["oral", "Oral, then injected"],
    ["event", "(event)"],
    ["LAI", "LAI-based products"],
    ["6-month", "a 6-month study"],
  ])("%s matches in %j", (term, text) => {
    expect(found([term], text)).toEqual([term]);
  });
});

describe("spelling variants", () => {
  it.each([
    "long acting",
    "long-acting",
    "LONG-ACTING",
    "long\u2010acting",
    "long\u2011acting",
    "long\u2013acting",
    "long - acting",
    "long\u00A0acting",
    "long\nacting",
  ])("%j matches the term long-acting", (text) => {
    expect(found(["long-acting"], text)).toEqual(["long-acting"]);
  });

  it("drops soft hyphens, which only hint where a word may break", () => {
    expect(found(["extended-release"], "ex\u00ADtended-re\u00ADlease")).toEqual(["extended-release"]);
  });

  it("ignores the registered and trademark signs on either side", () => {
    expect(found(["Invega Sustenna"], "Invega Sustenna® is approved")).toEqual(["Invega Sustenna"]);
    expect(found(["Invega Sustenna®"], "Invega Sustenna is approved")).toEqual(["Invega Sustenna®"]);
    expect(found(["NanoCoat"], "NanoCoat™-based depot")).toEqual(["NanoCoat"]);
    expect(found(["BEPO"], "the BEPO®technology")).toEqual(["BEPO"]);
  });

  it("compares accented letters whatever their encoding, and in any case", () => {
    const decomposed = "LABORATOIRES E\u0301MERAUDE";
    expect(found(["Laboratoires Émeraude"], decomposed)).toEqual(["Laboratoires Émeraude"]);
    expect(found(["Müller-Brandt AG"], "MÜLLER BRANDT AG reported")).toEqual(["Müller-Brandt AG"]);
    expect(found(["Müller-Brandt AG"], "Müller-Brandtx AG")).toEqual([]);
  });

  it("reads curly apostrophes as straight ones and ignores punctuation at a term's edges", () => {
    expect(found(["Lee's Pharmaceutical"], "Lee’s Pharmaceutical Holdings")).toEqual([
      "Lee's Pharmaceutical",
    ]);
    expect(found(["LeaderMed Health Group Ltd;"], "LeaderMed Health Group Ltd announced")).toEqual([
      "LeaderMed Health Group Ltd;",
    ]);
    expect(found(["ASTA Medica (Baxter)"], "ASTA Medica (Baxter) said")).toEqual(["ASTA Medica (Baxter)"]);
  });
});

describe("scripts without spaces between words", () => {
  it("lets a Korean term take a particle but not a prefix", () => {
    expect(found(["한빛제약"], "한빛제약은 밝혔다")).toEqual(["한빛제약"]);
    expect(found(["한빛제약"], "한빛제약, 임상 착수")).toEqual(["한빛제약"]);
    expect(found(["한빛제약"], "신한빛제약은")).toEqual([]);
    expect(found(["한빛제약"], "한빛제약X")).toEqual([]);
  });

  it("matches Chinese and Japanese terms inside a run of text", () => {
    expect(found(["长效注射剂"], "公司宣布其长效注射剂获批")).toEqual(["长效注射剂"]);
    expect(found(["持効性注射剤"], "新しい持効性注射剤を発売")).toEqual(["持効性注射剤"]);
  });
});

describe("several terms", () => {
  it("prefers the longest term at a position and falls back when it is not a whole word", () => {
    const terms = ["long-acting", "long-acting injectable"];
    expect(found(terms, "a long-acting injectable")).toEqual(["long-acting injectable"]);
    expect(found(terms, "long-acting injectables")).toEqual(["long-acting"]);
  });

  it("reports each declared term once, in order of first occurrence", () => {
    const terms = ["subcutaneous", "depot", "aripiprazole"];
    const text = "An aripiprazole depot, given subcutaneous; the depot lasts.";
    expect(found(terms, text)).toEqual(["aripiprazole", "depot", "subcutaneous"]);
  });

  it("counts spellings that normalise alike as one term, reporting the first declared", () => {
    const matcher = compileTerms(["PharmaShell®", "PharmaShell", "Pharmashell", "pharma shell"]);
    expect(matcher.size).toBe(2);
    expect(matcher.find(normalizeText("the PHARMASHELL platform"))).toEqual(["PharmaShell®"]);
    expect(termKey("Long-Acting®")).toBe(termKey("long acting"));
  });

  it("gives the earliest term with first()", () => {
    const matcher = compileTerms(["zeta", "alpha", "seeks.*engineer"]);
    expect(matcher.first(normalizeText("alpha then zeta"))).toBe("alpha");
    expect(matcher.first(normalizeText("it seeks an engineer; alpha"))).toBe("seeks.*engineer");
    expect(matcher.first(normalizeText("nothing here"))).toBeNull();
  });

  it("never joins the title and the content into one phrase", () => {
    expect(compileTerms(["long acting"]).find(normalizeText("long", "acting"))).toEqual([]);
  });

  it("escapes characters that mean something in a regular expression", () => {
    expect(found(["Merck & Co", "C++ (x)", "a|b"], "Merck & Co and a|b")).toEqual(["Merck & Co", "a|b"]);
  });
});

describe("several lists in one index", () => {
  const index = compileTermIndex([
    ["administration", "injectable"],
    ["oral administration", "long acting injectable"],
    ["long acting", "Long-Acting"],
    ["seeks.*engineer", "engineer"],
  ]);

  it("finds each list's terms as if the list were scanned alone", () => {
    const scan = index.scan(
      normalizeText("Oral administration of a long-acting injectable; it seeks an engineer."),
    );
    expect(scan.find(0)).toEqual(["administration", "injectable"]);
    expect(scan.find(1)).toEqual(["oral administration", "long acting injectable"]);
    expect(scan.find(2)).toEqual(["long acting"]);
    expect(scan.find(3)).toEqual(["seeks.*engineer", "engineer"]);
    expect(scan.first(1)).toBe("oral administration");
    expect(scan.first(5)).toBeNull();
  });

  it("counts distinct terms per list and overall", () => {
    expect(index.sizes).toEqual([2, 2, 1, 2]);
    expect(index.size).toBe(7);
  });

  it("finds terms that start inside a longer term of another list", () => {
    const nested = compileTermIndex([
      ["acting injectable"],
      ["long acting injectable"],
      ["长效"],
      ["效注射"],
    ]);
    const scan = nested.scan(normalizeText("a long acting injectable and 长效注射"));
    expect([0, 1, 2, 3].map((l) => scan.find(l))).toEqual([
      ["acting injectable"],
      ["long acting injectable"],
      ["长效"],
      ["效注射"],
    ]);
  });
});

describe("gaps written as .*", () => {
  const gap = ["seeks.*engineer"];

  it("matches words later in the same sentence", () => {
    expect(found(gap, "Nordvik seeks an experienced process engineer.")).toEqual(gap);
  });

  it("does not cross a sentence end, a long stretch or a word boundary", () => {
    expect(found(gap, "Nordvik seeks partners. The engineer left.")).toEqual([]);
    expect(found(gap, `Nordvik seeks ${"very ".repeat(20)}good engineer`)).toEqual([]);
    expect(found(gap, "Nordvik seeks engineering talent")).toEqual([]);
    expect(found(gap, "Nordvik reseeks an engineer")).toEqual([]);
  });
});

describe("termProblem", () => {
  it("rejects terms that can never match", () => {
    expect(termProblem("®")).toBe("has no letters or digits");
    expect(termProblem(" - ")).toBe("has no letters or digits");
    expect(termProblem(".*engineer")).toMatch(/both sides/);
    expect(termProblem("seeks.*engineer")).toBeNull();
    expect(compileTerms(["®", "depot"]).size).toBe(1);
  });
});
