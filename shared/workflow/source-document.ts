import { createHash } from "node:crypto";
import type { Fetcher, FetchRequest, FetchResult } from "../fetch/fetcher.ts";
import type { DiscoveredListing, SourceState } from "../store/source-state.ts";
import type { Extraction, SourceCandidates } from "./source-candidates.ts";

/** Validators of the document that served, kept so the next run can ask for it conditionally. */
export interface Validators {
  etag: string | null;
  lastModified: string | null;
  bodySha256: string | null;
}

/** What one source's documents gave this run. */
export interface SourceDocument extends SourceCandidates {
  validators: Validators;
  extraction?: Extraction;
  /**
   * The feed a page declared and that served: the next run goes straight to it. null clears a feed that
   * stopped serving; undefined leaves the state as it was.
   */
  discoveredFeedUrl?: string | null;
  /** A homepage-only source's listing, when this run discovered it. */
  discoveredListing?: DiscoveredListing;
  /** What a reader of the report should know (a broken selector, a dead discovered feed). */
  notes: string[];
}

export type Fetched =
  | { status: "ok"; res: Extract<FetchResult, { status: "ok" }>; validators: Validators }
  | { status: "not_modified"; validators: Validators };

export interface DocumentFetch {
  fetcher: Fetcher;
  previous: SourceState | undefined;
  forceRefresh: boolean;
  userAgent?: string;
  /** Counts HTTP attempts over every document the source needed. */
  attempts: { count: number };
}

/**
 * A conditional GET with the previous validators (unless forced or told not to), and a body that hashes
 * like the last one parsed counts as not modified too: some servers ignore conditional requests.
 */
export async function fetchDocument(
  url: string,
  kind: FetchRequest["kind"],
  f: DocumentFetch,
  conditional: boolean,
): Promise<Fetched> {
  const ask = conditional && !f.forceRefresh && f.previous !== undefined;
  const validators = ask ? { etag: f.previous?.etag, lastModified: f.previous?.last_modified } : undefined;
  const res = await f.fetcher.fetch({ url, kind, validators, userAgent: f.userAgent });
  f.attempts.count += res.attempts;
  if (res.status === "not_modified") {
    return {
      status: "not_modified",
      validators: { etag: res.etag, lastModified: res.lastModified, bodySha256: null },
    };
  }
  const bodySha256 = createHash("sha256").update(res.body).digest("hex");
  const fresh = { etag: res.etag, lastModified: res.lastModified, bodySha256 };
  if (ask && f.previous?.body_sha256 === bodySha256) return { status: "not_modified", validators: fresh };
  return { status: "ok", res, validators: fresh };
}
