import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { libraryText, mainText } from "../../shared/parse/main-text.ts";
import { evaluate, type FolderScore, formatScore, loadPages, scorePage } from "../support/main-text-eval.ts";

const PAGE_URL = "https://news.example/2026/03/story";

const PARAGRAPHS = [
  "The county board approved the housing plan on Monday night after a hearing that lasted more than four hours, with dozens of residents speaking for and against it.",
  "Under the plan the developer will build 312 homes on the former packing plant site, at least a fifth of them priced for households on modest incomes.",
  "Construction is expected to start in the autumn, and the first families could move in at the end of next year if the final approvals arrive on time.",
];

function page(article: string, furniture: { before?: string; after?: string } = {}): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Housing plan approved</title></head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>
${furniture.before ?? ""}
<main><article><h1>Housing plan approved</h1>${article}</article>${furniture.after ?? ""}</main>
<footer><p>Copyright 2026 Valley News. All rights reserved. <a href="/privacy">Privacy</a></p></footer>
</body></html>`;
}

const articleHtml = PARAGRAPHS.map((text) => `<p>${text}</p>`).join("\n");

describe("mainText", () => {
  it("returns the article paragraphs as plain text separated by blank lines", () => {
    expect(mainText(page(articleHtml), PAGE_URL)).toBe(PARAGRAPHS.join("\n\n"));
  });

  it("drops markup, decodes entities and collapses whitespace within a paragraph", () => {
    const html = page(
      `<p>Fish &amp; chips   <b>cost</b>\n more&nbsp;than <a href="/x">last year</a>, the caf&eacute; owners said on Tuesday morning while the market was opening.</p>${articleHtml}`,
    );
    expect(mainText(html, PAGE_URL)?.split("\n\n")[0]).toBe(
      "Fish & chips cost more than last year, the café owners said on Tuesday morning while the market was opening.",
    );
  });

  it("puts each list item on its own line", () => {
    const list =
      "<ul><li>312 homes on 48 acres</li><li>A new traffic signal</li><li>A stormwater basin</li></ul>";
    const text = mainText(page(`${articleHtml}<p>The conditions include:</p>${list}`), PAGE_URL);
    expect(text).toContain(
      "The conditions include:\n\n312 homes on 48 acres\nA new traffic signal\nA stormwater basin",
    );
  });

  it("drops the comments section", () => {
    const comments = `<section id="comments" class="comments-area"><h2>4 comments</h2><ol class="comment-list">
${["I live two blocks away and the traffic is already terrible every afternoon at rush hour.", "Thank you for covering this so thoroughly, we have been looking for a home for years."].map((c) => `<li class="comment"><p>${c}</p></li>`).join("")}
</ol></section>`;
    const text = mainText(page(articleHtml, { after: comments }), PAGE_URL) ?? "";
    expect(text).toBe(PARAGRAPHS.join("\n\n"));
    expect(text).not.toContain("rush hour");
  });

  it("drops share bars, related stories, newsletter boxes and cookie banners", () => {
    const share = `<div class="share-bar"><span>Share this article</span><a href="#">Facebook</a><a href="#">Email</a></div>`;
    const newsletter = `<div class="newsletter-signup"><h3>The Morning Brief</h3><p>Get the most important local news in your inbox every weekday morning, free of charge.</p></div>`;
    const related = `<section class="related-stories"><h2>Related</h2><p><a href="/a">School board weighs new boundaries as enrolment keeps growing</a></p></section>`;
    const cookie = `<div id="cookie-consent"><p>We use cookies to personalise content and ads and to analyse our traffic. You can accept all cookies or choose which ones to allow in the settings.</p><button>Accept</button></div>`;
    const html = page(`${share}${articleHtml}${newsletter}`, { after: `${related}${cookie}` });
    expect(mainText(html, PAGE_URL)).toBe(PARAGRAPHS.join("\n\n"));
  });

  it("drops a 'read more' line inside the article body", () => {
    const readMore = `<p><strong>Read more:</strong> <a href="/older">State signs off on cleanup of former packing plant site</a></p>`;
    const html = page(`<p>${PARAGRAPHS[0]}</p>${readMore}<p>${PARAGRAPHS[1]}</p><p>${PARAGRAPHS[2]}</p>`);
    expect(mainText(html, PAGE_URL)).toBe(PARAGRAPHS.join("\n\n"));
  });

  it("cuts at maxLength on a word boundary, without an ellipsis", () => {
    const full = PARAGRAPHS.join("\n\n");
    for (const maxLength of [40, 41, 100, 163, 250]) {
      const text = mainText(page(articleHtml), PAGE_URL, { maxLength }) ?? "";
      expect(text.length).toBeLessThanOrEqual(maxLength);
      expect(full.startsWith(text)).toBe(true);
      expect(full.charAt(text.length)).toMatch(/\s/);
      expect(text).toBe(text.trimEnd());
    }
  });

  it("keeps a text that fits within maxLength whole", () => {
    const full = PARAGRAPHS.join("\n\n");
    expect(mainText(page(articleHtml), PAGE_URL, { maxLength: full.length })).toBe(full);
  });

  it("cuts at 2000 characters by default", () => {
    const long = Array.from({ length: 40 }, (_, i) => `<p>Paragraph ${i} ${PARAGRAPHS[i % 3]}</p>`).join("");
    const text = mainText(page(long), PAGE_URL) ?? "";
    expect(text.length).toBeLessThanOrEqual(2000);
    expect(text.length).toBeGreaterThan(1900);
  });

  it("rejects a maxLength below one", () => {
    expect(() => mainText(page(articleHtml), PAGE_URL, { maxLength: 0 })).toThrow(RangeError);
    expect(() => mainText(page(articleHtml), PAGE_URL, { maxLength: Number.NaN })).toThrow(RangeError);
  });

  it("returns null for a page with no article body", () => {
    const notFound = page(
      `<p>Sorry, the page you are looking for does not exist.</p><p><a href="/">Back to the homepage</a></p>`,
    );
    const shell = `<!DOCTYPE html><html><head><title>App</title></head><body><div id="root"></div><script>window.__STATE__ = {"story": "${PARAGRAPHS[0]}"}</script></body></html>`;
    const listing = page(
      `<ul>${Array.from({ length: 12 }, (_, i) => `<li><a href="/pr/${i}">Valley Mills announces result number ${i} of its expansion programme</a> <span>March ${i + 1}, 2026</span></li>`).join("")}</ul>`,
    );
    const consentWall = `<!DOCTYPE html><html><body><div class="consent-wall"><h2>Before you continue</h2><p>We use cookies and data to deliver and maintain our services, measure audience engagement and site statistics, and, if you accept all, to develop new services and show personalised ads.</p><button>Accept all</button></div></body></html>`;
    for (const html of ["", "   ", notFound, shell, listing, consentWall])
      expect(mainText(html, PAGE_URL)).toBeNull();
  });

  it("reads markup that leaves out the html and body tags", () => {
    expect(mainText(articleHtml, PAGE_URL)).toBe(PARAGRAPHS.join("\n\n"));
    expect(mainText(`<title>Housing</title>\n${articleHtml}`, PAGE_URL)).toBe(PARAGRAPHS.join("\n\n"));
    expect(mainText(`<html><head><title>Housing</title></head>${articleHtml}</html>`, PAGE_URL)).toBe(
      PARAGRAPHS.join("\n\n"),
    );
  });

  it("keeps a short article of a few paragraphs", () => {
    const short = `<p>${PARAGRAPHS[0]}</p><p>${PARAGRAPHS[1]}</p>`;
    expect(mainText(page(short), PAGE_URL)).toBe(`${PARAGRAPHS[0]}\n\n${PARAGRAPHS[1]}`);
  });

  it("reads a page whose unclosed tags nest thousands of levels deep", () => {
    const deep = `<html><body>${"<div>".repeat(3000)}${articleHtml}${"</div>".repeat(3000)}</body></html>`;
    const text = mainText(deep, PAGE_URL) ?? "";
    for (const paragraph of PARAGRAPHS) expect(text).toContain(paragraph);
  });
});

describe("main-text extraction on the article fixtures", () => {
  const root = join(import.meta.dirname, "../fixtures/articles/body");
  const ours = (html: string, url: string) => mainText(html, url, { maxLength: Number.POSITIVE_INFINITY });
  const results = new Map<string, { ours: FolderScore; library: FolderScore }>();

  function score(folder: string): { ours: FolderScore; library: FolderScore } {
    const cached = results.get(folder);
    if (cached) return cached;
    const pages = loadPages(join(root, folder));
    const result = { ours: evaluate(pages, ours), library: evaluate(pages, libraryText) };
    console.log(formatScore(`${folder} mainText`, result.ours));
    console.log(formatScore(`${folder} Readability alone`, result.library));
    results.set(folder, result);
    return result;
  }

  it("has at least 36 pages, 12 of them held out", () => {
    const tuning = loadPages(join(root, "tuning")).length;
    const holdout = loadPages(join(root, "holdout")).length;
    expect(holdout).toBeGreaterThanOrEqual(12);
    expect(tuning + holdout).toBeGreaterThanOrEqual(36);
  });

  it("scores a perfect extraction 1 and an empty one 0", () => {
    expect(scorePage("one two three four five", "One two, three four five.")).toEqual({
      precision: 1,
      recall: 1,
    });
    expect(scorePage(null, "one two three four five")).toEqual({ precision: 0, recall: 0 });
  });

  it("tuning pages: F1 at least 0.98 and no worse than Readability alone", () => {
    const { ours: mine, library } = score("tuning");
    expect(mine.f1).toBeGreaterThanOrEqual(0.98);
    expect(mine.f1).toBeGreaterThanOrEqual(library.f1 - 0.005);
  });

  it("holdout pages: F1 at least 0.98 and no worse than Readability alone", () => {
    const { ours: mine, library } = score("holdout");
    expect(mine.f1).toBeGreaterThanOrEqual(0.98);
    expect(mine.f1).toBeGreaterThanOrEqual(library.f1 - 0.005);
  });
});
