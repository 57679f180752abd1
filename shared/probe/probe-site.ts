import { SourceError } from "../errors/source-errors.ts";
import { Fetcher, type FetchRequest } from "../fetch/fetcher.ts";
import { decodeBody } from "../parse/charset.ts";
import { extractListing } from "../parse/listing/generic-listing.ts";
import { parseFeed } from "../parse/parse-feed.ts";
import {
  candidateKey,
  childSitemapsByPromise,
  commonPathCandidates,
  type ListingCandidate,
  pageCandidates,
  parseHttpUrl,
  pathWords,
  readSitemap,
  robotsSitemaps,
  type Signal,
  sitemapCandidates,
  strongerTopic,
  type Topic,
  topicOfText,
} from "./candidates.ts";

export interface ProbeItem {
  title: string | null;
  date: string | null;
  date_source: string;
  url: string;
}

export interface Candidate {
  url: string;
  kind: "feed" | "page";
  items: number;
  /** Share of the items that carry a date, 0..1. */
  datedShare: number;
  newest: string | null;
  firstItems: ProbeItem[];
  /** Why it ranks where it does, in a line. */
  why: string;
  score: number;
}

export interface ProbeAttempt {
  url: string;
  how: string;
  result: string;
}

export interface ProbeReport {
  start: string;
  best: Candidate | null;
  runnersUp: Candidate[];
  tried: ProbeAttempt[];
  requests: number;
  catalogEntry: string | null;
}

export interface ProbeOptions {
  /** Requests per site, the start page, robots.txt and sitemaps included. */
  maxRequests?: number;
}

export const DEFAULT_MAX_REQUESTS = 15;

/** One retry at most and a short timeout: a probe is a look around, not an ingestion that must get through. */
export function probeFetcher(allowPrivateNetwork: boolean): Fetcher {
  return new Fetcher({
    allowPrivateNetwork,
    timeoutMs: 15_000,
    retry: { retries: 1, baseDelayMs: 500, maxDelayMs: 2_000, maxRetryAfterMs: 5_000 },
  });
}
const MAX_SITEMAPS = 2;
const RUNNERS_UP = 4;
const FIRST_ITEMS = 5;

interface Fetched {
  url: string;
  body: Buffer;
  contentType: string | null;
  attempt: ProbeAttempt;
}

/** Every request goes through here, so the budget and the record of attempts cannot be bypassed. */
class Session {
  requests = 0;
  readonly tried: ProbeAttempt[] = [];

  constructor(
    readonly fetcher: Fetcher,
    readonly maxRequests: number,
  ) {}

  get left(): number {
    return this.maxRequests - this.requests;
  }

  async get(url: string, kind: FetchRequest["kind"], how: string): Promise<Fetched | null> {
    if (this.left <= 0) return null;
    const attempt: ProbeAttempt = { url, how, result: "" };
    this.tried.push(attempt);
    try {
      const res = await this.fetcher.fetch({ url, kind });
      this.requests += Math.max(res.attempts, 1);
      if (res.status !== "ok") {
        attempt.result = "not modified";
        return null;
      }
      return { url: res.url, body: res.body, contentType: res.contentType, attempt };
    } catch (err) {
      this.requests += err instanceof SourceError ? Math.max(err.attempts, 1) : 1;
      attempt.result = failureText(err);
      return null;
    }
  }
}

function failureText(err: unknown): string {
  if (err instanceof SourceError) return `${err.outcome}: ${err.message.replace(`${err.url}: `, "")}`;
  return err instanceof Error ? err.message : String(err);
}

/** Candidates merged by URL: the strongest signal sets the order, every reason is kept. */
class CandidateQueue {
  readonly #byKey = new Map<string, ListingCandidate>();
  readonly #done = new Set<string>();

  add(candidates: readonly ListingCandidate[]): void {
    for (const candidate of candidates) {
      const key = candidateKey(candidate.url);
      const known = this.#byKey.get(key);
      if (!known) this.#byKey.set(key, { ...candidate });
      else this.#merge(known, candidate);
    }
  }

  #merge(known: ListingCandidate, other: ListingCandidate): void {
    // Dozens of linked articles would each repeat the folder's reason; one says it.
    const repeat = other.reason.startsWith("folder of linked") && known.reason.includes("folder of linked");
    if (!repeat && !known.reason.includes(other.reason)) known.reason = `${known.reason}; ${other.reason}`;
    known.topic = strongerTopic(known.topic, other.topic);
    if (other.prior > known.prior) {
      known.prior = other.prior;
      known.signal = other.signal;
      known.url = other.url;
    }
  }

  markDone(url: string): void {
    this.#done.add(candidateKey(url));
  }

  next(): ListingCandidate | null {
    let best: ListingCandidate | null = null;
    for (const [key, candidate] of this.#byKey) {
      if (this.#done.has(key)) continue;
      if (!best || candidate.prior > best.prior) best = candidate;
    }
    if (best) this.markDone(best.url);
    return best;
  }
}

interface Evaluated {
  url: string;
  kind: "feed" | "page";
  items: ProbeItem[];
  pdfShare: number;
  topic: Topic;
  signal: Signal;
  reason: string;
}

function looksLikeXml(body: Buffer, contentType: string | null): boolean {
  if (/xml|rss|atom/i.test(contentType ?? "")) return true;
  const head = body
    .subarray(0, 512)
    .toString("latin1")
    .replace(/^\uFEFF|^\xEF\xBB\xBF/, "")
    .trimStart();
  return /^<(\?xml|rss|feed|rdf:RDF)/i.test(head);
}

function share(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

async function readFeedItems(fetched: Fetched): Promise<{ items: ProbeItem[]; title: string | null }> {
  const feed = await parseFeed(fetched.body, { contentType: fetched.contentType, url: fetched.url });
  const items = feed.entries
    .filter((entry) => entry.link)
    .map((entry) => ({
      title: entry.title,
      date: entry.published,
      date_source: entry.dateSource,
      url: entry.link ?? "",
    }));
  return { items, title: feed.title };
}

function readPageItems(html: string, url: string): { items: ProbeItem[]; pdfShare: number } {
  const entries = extractListing(html, url);
  const items = entries.map((entry) => ({
    title: entry.title,
    date: entry.published,
    date_source: entry.dateSource,
    url: entry.link,
  }));
  return { items, pdfShare: share(entries.filter((entry) => entry.isPdf).length, entries.length) };
}

function describeItems(items: readonly ProbeItem[], kind: "feed" | "page"): string {
  const dated = items.filter((item) => item.date).length;
  const what = kind === "feed" ? "feed entries" : "listing items";
  return `${items.length} ${what}, ${Math.round(share(dated, items.length) * 100)}% dated`;
}

/** What a site's pages are evaluated with; kept apart so the start page is read without a second request. */
interface Context {
  session: Session;
  queue: CandidateQueue;
  evaluated: Evaluated[];
}

function isFeedUrl(url: string): boolean {
  return /(\/feed\/?$|\/rss\b|\.rss$|\/atom\b|feed\.xml$|rss\.xml$|atom\.xml$)/i.test(url);
}

async function evaluateFeed(fetched: Fetched, candidate: ListingCandidate, ctx: Context): Promise<void> {
  try {
    const { items, title } = await readFeedItems(fetched);
    fetched.attempt.result = describeItems(items, "feed");
    if (items.length === 0) return;
    const topic = strongerTopic(candidate.topic, title ? topicOfText(title) : "neutral");
    const blogByTitle = title !== null && topicOfText(title) === "blog";
    ctx.evaluated.push({
      url: fetched.url,
      kind: "feed",
      items,
      pdfShare: 0,
      topic: blogByTitle ? "blog" : topic,
      signal: candidate.signal,
      reason: candidate.reason,
    });
  } catch (err) {
    fetched.attempt.result = failureText(err);
  }
}

/** A feed declared by a press or news page carries that page's topic unless its own URL says otherwise. */
function declaredFeeds(html: string, fetched: Fetched, pageTopic: Topic): ListingCandidate[] {
  const by = new URL(fetched.url).pathname;
  return pageCandidates(html, fetched.url, by).map((candidate) =>
    candidate.signal === "declared_feed" && candidate.topic === "neutral"
      ? { ...candidate, topic: pageTopic === "blog" ? "neutral" : pageTopic }
      : candidate,
  );
}

function evaluatePage(fetched: Fetched, candidate: ListingCandidate, ctx: Context): void {
  const html = decodeBody(fetched.body, { contentType: fetched.contentType, kind: "html" });
  ctx.queue.add(declaredFeeds(html, fetched, candidate.topic));
  try {
    const { items, pdfShare } = readPageItems(html, fetched.url);
    fetched.attempt.result = describeItems(items, "page");
    ctx.evaluated.push({
      url: fetched.url,
      kind: "page",
      items,
      pdfShare,
      topic: candidate.topic,
      signal: candidate.signal,
      reason: candidate.reason,
    });
  } catch (err) {
    fetched.attempt.result = failureText(err);
  }
}

async function evaluateCandidate(candidate: ListingCandidate, ctx: Context): Promise<void> {
  const kind = candidate.signal === "declared_feed" || isFeedUrl(candidate.url) ? "feed" : "page";
  const fetched = await ctx.session.get(candidate.url, kind, candidate.reason);
  if (!fetched) return;
  ctx.queue.markDone(fetched.url);
  if (looksLikeXml(fetched.body, fetched.contentType)) await evaluateFeed(fetched, candidate, ctx);
  else evaluatePage(fetched, candidate, ctx);
}

async function readSitemaps(site: URL, declared: readonly string[], ctx: Context): Promise<void> {
  const pending = declared.length > 0 ? [...declared] : [new URL("/sitemap.xml", site).href];
  for (let read = 0; read < MAX_SITEMAPS; read += 1) {
    const url = pending.shift();
    if (!url) return;
    const fetched = await ctx.session.get(url, "feed", "sitemap");
    if (!fetched) continue;
    const sitemap = readSitemap(decodeBody(fetched.body, { contentType: fetched.contentType, kind: "xml" }));
    fetched.attempt.result = `${sitemap.kind}, ${sitemap.entries.length} entries`;
    if (sitemap.kind === "index") pending.unshift(...childSitemapsByPromise(sitemap));
    else ctx.queue.add(sitemapCandidates(sitemap, site));
  }
}

async function readRobots(site: URL, ctx: Context): Promise<string[]> {
  const fetched = await ctx.session.get(new URL("/robots.txt", site).href, "page", "robots.txt");
  if (!fetched) return [];
  const sitemaps = robotsSitemaps(fetched.body.toString("utf8"), fetched.url);
  fetched.attempt.result = `${sitemaps.length} Sitemap line(s)`;
  return sitemaps;
}

const START: ListingCandidate = {
  url: "",
  signal: "start_page",
  prior: 0,
  topic: "neutral",
  reason: "start page",
};

async function readStartPage(startUrl: string, ctx: Context): Promise<URL | null> {
  const fetched = await ctx.session.get(startUrl, "page", "start page");
  if (!fetched) return null;
  ctx.queue.markDone(startUrl);
  ctx.queue.markDone(fetched.url);
  const url = new URL(fetched.url);
  const topic = topicOfText(pathWords(url));
  const start = { ...START, url: fetched.url, topic: topic === "careers" ? "neutral" : topic };
  if (looksLikeXml(fetched.body, fetched.contentType)) await evaluateFeed(fetched, start, ctx);
  else evaluatePage(fetched, start, ctx);
  return url;
}

/**
 * Finds a site's news or press listing: the start page's declared feeds and press/news links, the
 * sitemaps robots.txt names (or /sitemap.xml), then common paths, fetched one at a time in that order of
 * promise and within a request budget; each answer is read as the ingestion would read it, and the
 * candidates are ranked on what they yield.
 */
export async function probeSite(
  startUrl: string,
  fetcher: Fetcher,
  opts: ProbeOptions = {},
): Promise<ProbeReport> {
  const ctx: Context = {
    session: new Session(fetcher, opts.maxRequests ?? DEFAULT_MAX_REQUESTS),
    queue: new CandidateQueue(),
    evaluated: [],
  };
  const site = await readStartPage(startUrl, ctx);
  if (site) {
    await readSitemaps(site, await readRobots(site, ctx), ctx);
    ctx.queue.add(commonPathCandidates(site.origin));
    for (let next = ctx.queue.next(); next && ctx.session.left > 0; next = ctx.queue.next()) {
      await evaluateCandidate(next, ctx);
    }
  }
  return report(startUrl, site, ctx);
}

const TOPIC_FACTOR: Record<Topic, number> = { press: 1, news: 0.95, neutral: 0.8, blog: 0.5, careers: 0.1 };
const FEED_FACTOR = 1.15;
const MAX_COUNTED_ITEMS = 20;
const YEAR_MS = 365 * 24 * 3600 * 1000;

function newestOf(items: readonly ProbeItem[]): string | null {
  let newest: string | null = null;
  for (const item of items) if (item.date && (!newest || item.date > newest)) newest = item.date;
  return newest;
}

/**
 * What the ingestion would get from it: dated items count most, PDFs and blogs less, a feed a little
 * more than the page it mirrors, and a section years behind the site's newest item less.
 */
function score(entry: Evaluated, siteNewest: string | null): number {
  const dated = share(entry.items.filter((item) => item.date).length, entry.items.length);
  const evidence = Math.min(entry.items.length, MAX_COUNTED_ITEMS) * (0.3 + 0.7 * dated);
  const newest = newestOf(entry.items);
  const behind = newest && siteNewest ? (Date.parse(siteNewest) - Date.parse(newest)) / YEAR_MS : 0;
  const kind = entry.kind === "feed" ? FEED_FACTOR : 1;
  return (
    (evidence * (1 - 0.7 * entry.pdfShare) * TOPIC_FACTOR[entry.topic] * kind) / (1 + Math.max(behind, 0))
  );
}

function why(entry: Evaluated, dated: number, newest: string | null): string {
  const topic = entry.topic === "neutral" ? "" : `, reads as ${entry.topic}`;
  const pdf = entry.pdfShare > 0 ? `, ${Math.round(entry.pdfShare * 100)}% PDFs` : "";
  const when = newest ? `, newest ${newest.slice(0, 10)}` : "";
  const kind = entry.kind === "feed" ? "a feed" : "an HTML listing";
  return `${kind}; ${entry.items.length} items, ${Math.round(dated * 100)}% dated${when}${pdf}${topic}; found by ${entry.reason}`;
}

function toCandidate(entry: Evaluated, siteNewest: string | null): Candidate {
  const dated = share(entry.items.filter((item) => item.date).length, entry.items.length);
  const newest = newestOf(entry.items);
  return {
    url: entry.url,
    kind: entry.kind,
    items: entry.items.length,
    datedShare: Math.round(dated * 100) / 100,
    newest,
    firstItems: entry.items.slice(0, FIRST_ITEMS),
    why: why(entry, dated, newest),
    score: Math.round(score(entry, siteNewest) * 100) / 100,
  };
}

/** One candidate per listing: a URL evaluated twice (after a redirect) keeps its better reading. */
function rank(evaluated: readonly Evaluated[]): Candidate[] {
  const siteNewest = newestOf(evaluated.flatMap((entry) => entry.items));
  const ranked = evaluated.map((entry) => toCandidate(entry, siteNewest)).sort((a, b) => b.score - a.score);
  const seen = new Set<string>();
  return ranked.filter((candidate) => {
    const key = candidateKey(candidate.url);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** "www.acme-pharma.example" -> "acme_pharma": the host without www and its last label. */
export function sourceKeyFor(url: URL): string {
  const host = url.hostname.toLowerCase().replace(/^www\./, "");
  const labels = host.split(".");
  const isAddress = /^[\d.]+$/.test(host) || host.includes(":");
  const name = isAddress || labels.length < 2 ? host : labels.slice(0, -1).join(".");
  return name.replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "") || "site";
}

/** A catalog entry ready to paste; URLs are quoted so that YAML reads them as plain strings. */
export function catalogEntryFor(best: Candidate, site: URL): string {
  const feed = best.kind === "feed";
  return [
    `- source_key: ${sourceKeyFor(site)}`,
    `  ingestion_mode: ${feed ? "rss" : "html"}`,
    `  ${feed ? "rss_url" : "html_url"}: ${JSON.stringify(best.url)}`,
    `  homepage_url: ${JSON.stringify(new URL("/", site).href)}`,
    "  enabled: true",
    "  source_type: press_corporate",
  ].join("\n");
}

function report(startUrl: string, site: URL | null, ctx: Context): ProbeReport {
  const ranked = rank(ctx.evaluated);
  const best = ranked[0] ?? null;
  const home = site ?? parseHttpUrl(startUrl);
  return {
    start: startUrl,
    best,
    runnersUp: ranked.slice(1, 1 + RUNNERS_UP),
    tried: ctx.session.tried,
    requests: ctx.session.requests,
    catalogEntry: best && home ? catalogEntryFor(best, home) : null,
  };
}
