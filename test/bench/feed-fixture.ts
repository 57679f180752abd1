/** Deterministic, realistic RSS 2.0 documents for the benchmark's publisher. */

export interface BenchFeedSpec {
  /** Distinguishes the feed's title and item links from every other feed of the run. */
  slug: string;
  items: number;
  /** Every item is dated inside the 7 days before this instant. */
  windowEnd: Date;
  /** Words in each item's description; sets the document size. */
  descriptionWords: number;
}

const WORDS = (
  "the agency said a phase three trial of the long acting injectable met its primary endpoint " +
  "with patients receiving monthly doses showing sustained plasma levels and fewer relapses " +
  "analysts expect regulators to review the filing next year while the company expands " +
  "manufacturing capacity for extended release formulations across europe and north america"
).split(" ");

const HOUR_MS = 3_600_000;

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function words(seed: number, count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(WORDS[(seed * 7 + i * 13) % WORDS.length] ?? "news");
  return out.join(" ");
}

export function benchFeedXml(spec: BenchFeedSpec): string {
  const site = `https://news.example.com/${spec.slug}`;
  const items: string[] = [];
  for (let i = 0; i < spec.items; i++) {
    // Spread over the last six days, newest first, as publishers list them.
    const published = new Date(spec.windowEnd.getTime() - (1 + i * 7) * HOUR_MS);
    const link = `${site}/${published.toISOString().slice(0, 10)}/story-${i}`;
    const title = `${spec.slug} story ${i}: ${words(i, 8)}`;
    const body = `<p>${words(i + 1, spec.descriptionWords)}</p><p>Read more at <a href="${link}">${spec.slug}</a>.</p>`;
    items.push(
      [
        "<item>",
        `<title>${escapeXml(title)}</title>`,
        `<link>${link}</link>`,
        `<guid isPermaLink="true">${link}</guid>`,
        `<pubDate>${published.toUTCString()}</pubDate>`,
        `<dc:creator>Newsroom ${i % 5}</dc:creator>`,
        `<category>Pipeline</category><category>Regulatory</category>`,
        `<description><![CDATA[${body}]]></description>`,
        "</item>",
      ].join("\n    "),
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>${spec.slug} news</title>
    <link>${site}/</link>
    <atom:link href="${site}/feed.xml" rel="self" type="application/rss+xml"/>
    <description>Benchmark feed ${spec.slug}</description>
    <language>en</language>
    <lastBuildDate>${spec.windowEnd.toUTCString()}</lastBuildDate>
  ${items.join("\n  ")}
  </channel>
</rss>
`;
}
