import type { Source } from "../config/source-catalog.ts";
import { NoListingFoundError } from "../errors/source-errors.ts";
import { probeSite } from "../probe/probe-site.ts";
import type { DiscoveredListing } from "../store/source-state.ts";
import type { DocumentFetch } from "./source-document.ts";

/** A chosen listing that stops serving is looked for again, but at most this often: discovery costs requests. */
export const REDISCOVERY_INTERVAL_MS = 24 * 3600 * 1000;

/** A source with a homepage and no listing URL: the listing is discovered, as `vectora probe` finds it. */
export function discoversFromHomepage(source: Source): source is Source & { homepage_url: string } {
  return source.ingestion_mode === "html" && !source.html_url && Boolean(source.homepage_url);
}

export function mayRediscover(known: DiscoveredListing, now: Date): boolean {
  return now.getTime() - Date.parse(known.at) >= REDISCOVERY_INTERVAL_MS;
}

/** The homepage's best listing, or `no_listing_found` saying what each attempt gave. */
export async function discoverListing(
  homepage: string,
  f: DocumentFetch,
  now: Date,
): Promise<DiscoveredListing> {
  const report = await probeSite(homepage, f.fetcher);
  f.attempts.count += report.requests;
  if (!report.best) {
    const tried = report.tried.map((t) => `${t.url}: ${t.result}`).join("; ");
    throw new NoListingFoundError(
      homepage,
      `discovery from the homepage found none (${tried.slice(0, 600)})`,
    );
  }
  return { url: report.best.url, kind: report.best.kind, at: now.toISOString() };
}
