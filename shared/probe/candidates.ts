import * as cheerio from "cheerio/slim";
import { discoverFeeds } from "../parse/listing/feed-links.ts";
import { collapseWhitespace } from "../parse/whitespace.ts";

/** What a link, a path or a feed title says it leads to; careers pages are never candidates. */
export type Topic = "press" | "news" | "neutral" | "blog" | "careers";

export type Signal = "start_page" | "declared_feed" | "nav_link" | "sitemap" | "common_path";

export interface ListingCandidate {
  url: string;
  signal: Signal;
  /** The order candidates are fetched in, before anything about them is known. */
  prior: number;
  topic: Topic;
  /** Why it is a candidate, for the report: `nav link "Press releases"`. */
  reason: string;
}

/** Each list is matched on lower-cased text without accents, hyphens and underscores read as spaces. */
const WORDS: Record<Exclude<Topic, "neutral">, readonly string[]> = {
  careers: [
    "careers",
    "career",
    "jobs",
    "job",
    "vacancies",
    "join us",
    "work with us",
    "karriere",
    "stellenangebote",
    "jobs und karriere",
    "emploi",
    "emplois",
    "offres d emploi",
    "recrutement",
    "carrieres",
    "carriere",
    "empleo",
    "trabaja con nosotros",
    "karriar",
    "lediga jobb",
    "jobba hos oss",
    "채용",
    "인재채용",
    "採用",
    "求人",
  ],
  press: [
    "press",
    "press releases",
    "press release",
    "pressroom",
    "newsroom",
    "press room",
    "press centre",
    "press center",
    "news releases",
    "communiques",
    "communique",
    "communiques de presse",
    "salle de presse",
    "espace presse",
    "presse",
    "pressemitteilungen",
    "pressemitteilung",
    "pressemeldungen",
    "sala de prensa",
    "notas de prensa",
    "comunicados",
    "comunicados de prensa",
    "prensa",
    "pressmeddelanden",
    "pressrum",
    "comunicati stampa",
    "persberichten",
    "보도자료",
    "プレスリリース",
    "ニュースリリース",
    "報道発表",
    "新闻稿",
  ],
  news: [
    "news",
    "latest news",
    "company news",
    "media",
    "announcements",
    "actualites",
    "actualite",
    "nouvelles",
    "aktuelles",
    "aktuell",
    "neuigkeiten",
    "nachrichten",
    "noticias",
    "novedades",
    "actualidad",
    "nyheter",
    "aktuellt",
    "notizie",
    "nieuws",
    "뉴스",
    "새소식",
    "소식",
    "ニュース",
    "お知らせ",
    "新闻",
  ],
  blog: ["blog", "blogg", "stories", "insights", "magazine", "podcast"],
};

/** Checked in this order: a careers word anywhere disqualifies, a press word beats a news word. */
const TOPIC_ORDER = ["careers", "press", "news", "blog"] as const;

const TOPIC_RANK: Record<Topic, number> = { press: 4, news: 3, neutral: 2, blog: 1, careers: 0 };

/** Documents, images and archives are files, not listings. */
const FILE_PATH = /\.(pdf|docx?|xlsx?|pptx?|zip|jpe?g|png|gif|svg|mp4|mp3)$/i;

/** NFD splits Hangul syllables too, but keywords go through the same steps, so they still match. */
function normaliseWords(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[-_/.+&|:,;!?()[\]'"’«»]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

const NORMALISED: Record<Exclude<Topic, "neutral">, readonly string[]> = {
  careers: WORDS.careers.map(normaliseWords),
  press: WORDS.press.map(normaliseWords),
  news: WORDS.news.map(normaliseWords),
  blog: WORDS.blog.map(normaliseWords),
};

/** Latin words must stand alone ("news" is not in "newsletter"); scripts without spaces match inside. */
function containsWord(haystack: string, word: string): boolean {
  if (/^[\p{Script=Latin}\d ]+$/u.test(word)) return ` ${haystack} `.includes(` ${word} `);
  return haystack.includes(word);
}

export function topicOfText(text: string): Topic {
  const words = normaliseWords(text);
  if (!words) return "neutral";
  for (const topic of TOPIC_ORDER) {
    if (NORMALISED[topic].some((word) => containsWord(words, word))) return topic;
  }
  return "neutral";
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The path's words, extensions dropped: "/en/press-releases.html" reads "en press releases". */
export function pathWords(url: URL): string {
  return url.pathname
    .split("/")
    .map((segment) => safeDecode(segment).replace(/\.(html?|php|aspx?|jsp)$/i, ""))
    .join(" ");
}

export function strongerTopic(a: Topic, b: Topic): Topic {
  return TOPIC_RANK[a] >= TOPIC_RANK[b] ? a : b;
}

/** www.example.com and example.com are one site; the port is kept, it is part of where the site lives. */
function siteKey(url: URL): string {
  return url.host.toLowerCase().replace(/^www\./, "");
}

export function parseHttpUrl(href: string, base?: string): URL | null {
  try {
    const url = new URL(href.trim(), base);
    return url.protocol === "http:" || url.protocol === "https:" ? url : null;
  } catch {
    return null;
  }
}

/** One key per listing: fragment, query and trailing slash do not make another page. */
export function candidateKey(url: string): string {
  const parsed = parseHttpUrl(url);
  if (!parsed) return url;
  return `${siteKey(parsed)}${parsed.pathname.replace(/\/+$/, "") || "/"}${parsed.search}`;
}

const NAV_PRIOR: Record<Topic, number> = { press: 80, news: 70, neutral: 0, blog: 35, careers: 0 };
const FEED_PRIOR: Record<Topic, number> = { press: 95, news: 92, neutral: 90, blog: 45, careers: 0 };
const SITEMAP_PRIOR: Record<Topic, number> = { press: 55, news: 50, neutral: 0, blog: 25, careers: 0 };

/** Navigation labels are short; an article title that happens to say "media" is not one. */
function labelTopic(text: string): Topic {
  const words = normaliseWords(text);
  const short = words.split(" ").length <= 5 && words.length <= 40;
  const topic = topicOfText(words);
  return short || topic === "careers" ? topic : "neutral";
}

function hasCareersSegment(url: URL): boolean {
  return url.pathname.split("/").some((segment) => labelTopic(safeDecode(segment)) === "careers");
}

function navCandidate(url: URL, topic: Topic, reason: string, discount: number): ListingCandidate | null {
  const prior = NAV_PRIOR[topic] - discount;
  return prior > 0 ? { url: url.href, signal: "nav_link", prior, topic, reason } : null;
}

/**
 * A link named like a press room is a candidate itself; a link to an article inside a press or news
 * folder ("/news/2025/launch/") makes the folder a candidate, ranked below named links.
 */
function linkCandidate(href: string, text: string, page: URL): ListingCandidate | null {
  const url = parseHttpUrl(href, page.href);
  if (!url || siteKey(url) !== siteKey(page) || FILE_PATH.test(url.pathname)) return null;
  url.hash = "";
  const byText = labelTopic(text);
  if (byText === "careers" || hasCareersSegment(url)) return null;
  const section = sectionOf(url);
  const label = collapseWhitespace(text).slice(0, 40) || url.pathname;
  if (section?.own) return navCandidate(url, strongerTopic(byText, section.topic), `link "${label}"`, 0);
  if (byText !== "neutral") return navCandidate(url, byText, `link "${label}"`, 0);
  if (!section) return null;
  return navCandidate(new URL(section.path, url), section.topic, `folder of linked ${url.pathname}`, 25);
}

/** Same-site links whose text or path names a press room, a news section or (lower) a blog. */
export function linkCandidates(html: string, pageUrl: string): ListingCandidate[] {
  const $ = cheerio.load(html);
  const page = parseHttpUrl(pageUrl);
  if (!page) return [];
  const found: ListingCandidate[] = [];
  for (const element of $("a[href]").toArray()) {
    const link = $(element);
    const text = `${link.text()} ${link.attr("title") ?? ""} ${link.attr("aria-label") ?? ""}`;
    const candidate = linkCandidate(link.attr("href") ?? "", text, page);
    if (candidate) found.push(candidate);
  }
  return found;
}

/** The feeds a page declares; one whose URL says blog (or careers) is kept but ranked as such. */
export function feedCandidates(html: string, pageUrl: string, declaredBy: string): ListingCandidate[] {
  return discoverFeeds(html, pageUrl).flatMap((url) => {
    const parsed = parseHttpUrl(url);
    const topic = parsed ? topicOfText(pathWords(parsed)) : "neutral";
    if (topic === "careers") return [];
    return [
      {
        url,
        signal: "declared_feed",
        prior: FEED_PRIOR[topic],
        topic,
        reason: `feed declared by ${declaredBy}`,
      },
    ];
  });
}

/** Every candidate a page offers: its declared feeds and its press, news and blog links. */
export function pageCandidates(html: string, pageUrl: string, declaredBy: string): ListingCandidate[] {
  return [...feedCandidates(html, pageUrl, declaredBy), ...linkCandidates(html, pageUrl)];
}

const COMMON_PATHS = ["/press/", "/newsroom/", "/press-releases/", "/news/", "/media/", "/feed/"];

/** Guesses tried last, when no page or sitemap said where the news is. */
export function commonPathCandidates(origin: string): ListingCandidate[] {
  return COMMON_PATHS.map((path, index) => {
    const url = new URL(path, origin);
    const topic = path === "/feed/" ? "neutral" : topicOfText(pathWords(url));
    return { url: url.href, signal: "common_path", prior: 20 - index, topic, reason: `common path ${path}` };
  });
}

/** `Sitemap:` lines of a robots.txt, resolved against it. */
export function robotsSitemaps(robotsTxt: string, robotsUrl: string): string[] {
  const found: string[] = [];
  for (const line of robotsTxt.split(/\r?\n/)) {
    const match = /^\s*sitemap\s*:\s*(\S+)/i.exec(line);
    const url = match?.[1] ? parseHttpUrl(match[1], robotsUrl) : null;
    if (url) found.push(url.href);
  }
  return found;
}

export interface SitemapEntry {
  loc: string;
  /** `<lastmod>`, or a news sitemap's `<news:publication_date>`. */
  lastmod: string | null;
}

export interface Sitemap {
  kind: "index" | "urlset" | "other";
  entries: SitemapEntry[];
}

function tagText(block: string, tag: string): string | null {
  const match = new RegExp(`<${tag}[^>]*>\\s*(?:<!\\[CDATA\\[)?([^<\\]]*)`, "i").exec(block);
  const text = match?.[1]?.trim();
  return text ? text.replace(/&amp;/g, "&") : null;
}

/** Sitemaps are flat enough for patterns; what matters is each `<loc>` and its date. */
export function readSitemap(xml: string): Sitemap {
  const kind = /<sitemapindex[\s>]/i.test(xml) ? "index" : /<urlset[\s>]/i.test(xml) ? "urlset" : "other";
  const tag = kind === "index" ? "sitemap" : "url";
  const entries: SitemapEntry[] = [];
  for (const match of xml.matchAll(new RegExp(`<${tag}[\\s>][\\s\\S]*?</${tag}>`, "gi"))) {
    const loc = tagText(match[0], "loc");
    if (loc)
      entries.push({
        loc,
        lastmod: tagText(match[0], "lastmod") ?? tagText(match[0], "news:publication_date"),
      });
  }
  return { kind, entries };
}

/** Child sitemaps of an index, news and post sitemaps first: the ones that list articles. */
export function childSitemapsByPromise(index: Sitemap): string[] {
  const promise = (loc: string) => (/news|press|post|article/i.test(loc) ? 0 : 1);
  return index.entries.map((entry) => entry.loc).sort((a, b) => promise(a) - promise(b));
}

interface SectionTally {
  url: string;
  topic: Topic;
  count: number;
  newest: string | null;
}

/** The deepest ancestor-or-self of a URL whose segment names a press or news section (year folders skipped). */
function sectionOf(url: URL): { path: string; topic: Topic; own: boolean } | null {
  const segments = url.pathname.split("/").filter(Boolean);
  for (let end = segments.length; end > 0; end -= 1) {
    const segment = segments[end - 1] ?? "";
    const topic = labelTopic(safeDecode(segment).replace(/\.(html?|php|aspx?|jsp)$/i, ""));
    if (topic === "press" || topic === "news" || topic === "blog") {
      const own = end === segments.length;
      const path = own ? url.pathname : `/${segments.slice(0, end).join("/")}/`;
      return { path, topic, own };
    }
  }
  return null;
}

function tally(sections: Map<string, SectionTally>, entry: SitemapEntry, site: URL): void {
  const url = parseHttpUrl(entry.loc, site.href);
  if (!url || siteKey(url) !== siteKey(site) || FILE_PATH.test(url.pathname)) return;
  const section = sectionOf(url);
  if (!section) return;
  const sectionUrl = new URL(section.path, url).href;
  const key = candidateKey(sectionUrl);
  const current = sections.get(key) ?? { url: sectionUrl, topic: section.topic, count: 0, newest: null };
  current.count += 1;
  if (entry.lastmod && (!current.newest || entry.lastmod > current.newest)) current.newest = entry.lastmod;
  sections.set(key, current);
}

/**
 * Sections of the site that a sitemap shows: a URL that is itself a press or news page, or the folder
 * that holds many article URLs. Sections with more URLs and recent lastmods are tried first.
 */
export function sitemapCandidates(sitemap: Sitemap, site: URL): ListingCandidate[] {
  const sections = new Map<string, SectionTally>();
  for (const entry of sitemap.entries) tally(sections, entry, site);
  return [...sections.values()].map((section) => ({
    url: section.url,
    signal: "sitemap",
    prior: SITEMAP_PRIOR[section.topic] + Math.min(section.count, 10) / 2,
    topic: section.topic,
    reason: `sitemap: ${section.count} URL(s) under ${new URL(section.url).pathname}${
      section.newest ? `, newest lastmod ${section.newest.slice(0, 10)}` : ""
    }`,
  }));
}
