import * as z from "zod";
import { SOURCE_ERROR_CLASSES, type SourceErrorClass } from "../errors/source-errors.ts";

/** A source that failed this many runs in a row is flagged in the run summary. */
export const FAILING_STREAK = 3;

export const SourceOutcomeSchema = z.enum(["ok", "not_modified", "empty", ...SOURCE_ERROR_CLASSES]);
export type SourceOutcome = z.infer<typeof SourceOutcomeSchema>;

export function isFailure(outcome: SourceOutcome): outcome is SourceErrorClass {
  return outcome !== "ok" && outcome !== "not_modified" && outcome !== "empty";
}

export const DiscoveredListingSchema = z.object({
  url: z.string(),
  kind: z.enum(["feed", "page"]),
  at: z.string(),
});
export type DiscoveredListing = z.infer<typeof DiscoveredListingSchema>;

/**
 * What an article page gave the last time it was read for a date: its validators and that date. An entry
 * dropped by the window (its article dated it too old) is not in the ledger, so the next listing change
 * would fetch its article again; with these the request is conditional and a 304 reuses the date.
 */
export const ArticleMemoSchema = z.object({
  etag: z.string().nullable(),
  last_modified: z.string().nullable(),
  published_at: z.string().nullable(),
  date_source: z.enum(["page_meta", "content_text", "url", "none"]),
});
export type ArticleMemo = z.infer<typeof ArticleMemoSchema>;

/** Memos kept per source, the most recent ones: a listing shows a few dozen entries at most. */
export const MAX_ARTICLE_MEMOS = 200;

export const SourceStateSchema = z.object({
  etag: z.string().nullable().default(null),
  last_modified: z.string().nullable().default(null),
  /** sha256 of the last body parsed, for servers that ignore conditional requests. */
  body_sha256: z.string().nullable().default(null),
  last_attempt_at: z.string().nullable().default(null),
  last_success_at: z.string().nullable().default(null),
  last_outcome: SourceOutcomeSchema.nullable().default(null),
  last_error_class: SourceOutcomeSchema.nullable().default(null),
  last_error: z.string().nullable().default(null),
  consecutive_failures: z.number().int().min(0).default(0),
  /** An HTML source's page declared this feed and it served: later runs read the feed directly. */
  discovered_feed_url: z.string().optional(),
  /** A homepage-only source's listing (page or feed) as discovery chose it, and when. */
  discovered_listing: DiscoveredListingSchema.optional(),
  /** Article pages read for a date, by the hash of their canonical URL (see ArticleMemoSchema). */
  articles: z.record(z.string(), ArticleMemoSchema).optional(),
});
export type SourceState = z.infer<typeof SourceStateSchema>;

/** `state/{client_id}/sources.json`. */
export const SourcesStateSchema = z.object({
  sources: z.record(z.string(), SourceStateSchema).default({}),
});
export type SourcesState = z.infer<typeof SourcesStateSchema>;

export interface SourceAttempt {
  outcome: SourceOutcome;
  at: string;
  etag: string | null;
  lastModified: string | null;
  bodySha256: string | null;
  error: string | null;
  /** A feed the page declared that served (kept), null when the page itself served (cleared). */
  discoveredFeedUrl?: string | null;
  /** A homepage-only source's newly discovered listing; undefined keeps the one held. */
  discoveredListing?: DiscoveredListing;
  /** Article pages read for a date this run, added to the ones held. */
  articles?: Record<string, ArticleMemo>;
}

function discoveredFeed(base: SourceState, attempt: SourceAttempt): { discovered_feed_url?: string } {
  const url = attempt.discoveredFeedUrl === undefined ? base.discovered_feed_url : attempt.discoveredFeedUrl;
  return url ? { discovered_feed_url: url } : {};
}

/** This run's memos after the ones held, the oldest dropped past MAX_ARTICLE_MEMOS. */
function mergedMemos(
  held: Record<string, ArticleMemo> | undefined,
  fresh: Record<string, ArticleMemo> | undefined,
): Record<string, ArticleMemo> | undefined {
  if (!fresh || Object.keys(fresh).length === 0) return held;
  const entries = [
    ...Object.entries(held ?? {}).filter(([key]) => !(key in fresh)),
    ...Object.entries(fresh),
  ];
  return Object.fromEntries(entries.slice(-MAX_ARTICLE_MEMOS));
}

/** Health bookkeeping: validators move only on success, so a failed run never forgets them. */
export function nextSourceState(previous: SourceState | undefined, attempt: SourceAttempt): SourceState {
  const base = previous ?? SourceStateSchema.parse({});
  // A source the run had no time left to start says nothing about the source: its health stays as it was.
  if (attempt.outcome === "deadline")
    return { ...base, last_attempt_at: attempt.at, last_outcome: "deadline" };
  if (isFailure(attempt.outcome)) {
    return {
      ...base,
      last_attempt_at: attempt.at,
      last_outcome: attempt.outcome,
      last_error_class: attempt.outcome,
      last_error: attempt.error,
      consecutive_failures: base.consecutive_failures + 1,
    };
  }
  const { discovered_feed_url: _previousFeed, ...rest } = base;
  const listing = attempt.discoveredListing ?? base.discovered_listing;
  const articles = mergedMemos(base.articles, attempt.articles);
  return {
    ...rest,
    etag: attempt.etag ?? base.etag,
    last_modified: attempt.lastModified ?? base.last_modified,
    body_sha256: attempt.bodySha256 ?? base.body_sha256,
    last_attempt_at: attempt.at,
    last_success_at: attempt.at,
    last_outcome: attempt.outcome,
    consecutive_failures: 0,
    ...discoveredFeed(base, attempt),
    ...(listing ? { discovered_listing: listing } : {}),
    ...(articles ? { articles } : {}),
  };
}
