import type { ClientConfig } from "../config/client-config.ts";
import { sourceProfileName } from "../config/ingestion-profiles.ts";
import type { Source } from "../config/source-catalog.ts";
import { type CompiledProfiles, profileVerdict } from "../filter/profile-filter.ts";
import type { Item } from "../store/item.ts";
import { contentHash, itemId, urlKey } from "../store/item-id.ts";
import type { SeenLedger } from "../store/seen-ledger.ts";
import type { IngestItem } from "./execution-input.ts";
import type { Candidate, SourceRunResult } from "./ingest-source.ts";
import { compileExcludePatterns, contentVerdict, type Window, windowVerdict } from "./item-filters.ts";

/** Why candidates did not become new items, for the per-client detail. */
export interface DropCounts {
  before_window: number;
  after_window: number;
  undated: number;
  too_short: number;
  excluded: number;
  /** Dropped by the source's ingestion profile (or the strict fallback), see `dropped_items`. */
  profile: number;
  duplicate_in_run: number;
  already_seen: number;
}

/** One candidate that did not become an item, and what dropped it: an editor's answer to "where is it?". */
export interface DroppedCandidate {
  source_key: string;
  title: string;
  url: string;
  published_at: string | null;
  reason: keyof DropCounts;
  /** The profile rule (profile drops) or the exclude pattern (excluded). */
  rule?: string;
  /** The term that matched, when a term dropped it. */
  term?: string;
}

/** A source's candidates by outcome: kept, and dropped per rule. */
export interface SourceRetention {
  kept: number;
  dropped: Record<string, number>;
}

export interface Selection {
  /**
   * Sources with entries this run set aside that a later run may want (newer than the window's end, or
   * undated under strict): their validators must not advance, or the next run's 304 would hide them.
   */
  unfinished: Set<string>;
  items: Item[];
  /** The ledger keys of `items`, in the same order. */
  urlKeys: string[];
  dropped: DropCounts;
  /** The first MAX_DROPPED_LISTED drops with their reason; the counts cover them all. */
  droppedItems: DroppedCandidate[];
  retention: Map<string, SourceRetention>;
  found: number;
}

/** A source of the client and how its run ended. */
export interface SourceResult {
  source: Source;
  run: SourceRunResult;
}

/** Enough for an editor looking for a story; a client with thousands of drops still stores a small file. */
export const MAX_DROPPED_LISTED = 500;

type Verdict =
  | { keep: true }
  | { keep: false; drop: keyof DropCounts; unfinished?: true; rule?: string; term?: string };

/** The rules one candidate passes, in order; dedup first so a duplicate is never counted twice. */
class Selector {
  readonly #inRun = new Set<string>();
  readonly #excludes: RegExp[];

  constructor(
    readonly item: IngestItem,
    readonly config: ClientConfig,
    readonly ledger: SeenLedger,
    readonly window: Window,
    readonly profiles: CompiledProfiles | null,
  ) {
    this.#excludes = compileExcludePatterns(config.source_config.content_filters?.exclude_patterns ?? []);
  }

  verdict(c: Candidate, key: string, source: Source): Verdict {
    if (this.#inRun.has(key)) return { keep: false, drop: "duplicate_in_run" };
    this.#inRun.add(key);
    // Broad mode re-delivers undated items every run: without a date, "new" can't be told from "seen".
    if (this.ledger.seen[key] && !(c.published_at === null && this.item.ingestion_mode === "broad"))
      return { keep: false, drop: "already_seen" };
    const inWindow = windowVerdict(c.published_at, this.window, this.item.ingestion_mode);
    if (inWindow === "after_window") return { keep: false, drop: "after_window", unfinished: true };
    if (inWindow === "undated_dropped") return { keep: false, drop: "undated", unfinished: true };
    if (inWindow === "before_window") return { keep: false, drop: "before_window" };
    const content = contentVerdict(
      c.title,
      c.content,
      this.config.source_config.content_filters,
      this.#excludes,
    );
    if (!content.keep) {
      return {
        keep: false,
        drop: content.reason,
        ...(content.reason === "excluded" ? { rule: content.detail } : {}),
      };
    }
    return this.#profileVerdict(c, source);
  }

  #profileVerdict(c: Candidate, source: Source): Verdict {
    if (!this.profiles) return { keep: true };
    const verdict = profileVerdict(
      this.profiles,
      { title: c.title, content: c.content },
      sourceProfileName(source),
      this.item.ingestion_mode,
    );
    if (verdict.keep) return { keep: true };
    return {
      keep: false,
      drop: "profile",
      rule: verdict.rule,
      ...(verdict.term ? { term: verdict.term } : {}),
    };
  }
}

function emptyDrops(): DropCounts {
  return {
    before_window: 0,
    after_window: 0,
    undated: 0,
    too_short: 0,
    excluded: 0,
    profile: 0,
    duplicate_in_run: 0,
    already_seen: 0,
  };
}

function recordDrop(
  selection: Selection,
  source: Source,
  c: Candidate,
  verdict: Extract<Verdict, { keep: false }>,
): void {
  selection.dropped[verdict.drop]++;
  if (verdict.unfinished) selection.unfinished.add(source.source_key);
  const retention = retentionOf(selection, source.source_key);
  const label = verdict.drop === "profile" && verdict.rule ? `profile: ${verdict.rule}` : verdict.drop;
  retention.dropped[label] = (retention.dropped[label] ?? 0) + 1;
  if (selection.droppedItems.length >= MAX_DROPPED_LISTED) return;
  selection.droppedItems.push({
    source_key: source.source_key,
    title: c.title,
    url: c.url,
    published_at: c.published_at,
    reason: verdict.drop,
    ...(verdict.rule ? { rule: verdict.rule } : {}),
    ...(verdict.term ? { term: verdict.term } : {}),
  });
}

function retentionOf(selection: Selection, sourceKey: string): SourceRetention {
  let retention = selection.retention.get(sourceKey);
  if (!retention) {
    retention = { kept: 0, dropped: {} };
    selection.retention.set(sourceKey, retention);
  }
  return retention;
}

/** Window, ingestion mode, content filters, ingestion profiles, then dedup within the run and the ledger. */
export function selectItems(
  results: readonly SourceResult[],
  item: IngestItem,
  config: ClientConfig,
  ledger: SeenLedger,
  now: Date,
  window: Window,
  profiles: CompiledProfiles | null = null,
): Selection {
  const selector = new Selector(item, config, ledger, window, profiles);
  const selection: Selection = {
    unfinished: new Set(),
    items: [],
    urlKeys: [],
    dropped: emptyDrops(),
    droppedItems: [],
    retention: new Map(),
    found: 0,
  };
  const ingestedAt = now.toISOString();
  for (const { source, run } of results) {
    for (const c of run.candidates) {
      selection.found++;
      const key = urlKey(c.canonical);
      const verdict = selector.verdict(c, key, source);
      if (!verdict.keep) {
        recordDrop(selection, source, c, verdict);
        continue;
      }
      retentionOf(selection, source.source_key).kept++;
      selection.items.push(toItem(c, source, ingestedAt));
      selection.urlKeys.push(key);
    }
  }
  return selection;
}

function toItem(c: Candidate, source: Source, ingestedAt: string): Item {
  return {
    item_id: itemId(source.source_key, c.canonical),
    source_key: source.source_key,
    source_type: source.source_type,
    title: c.title,
    content: c.content,
    url: c.url,
    published_at: c.published_at,
    date_source: c.date_source,
    ingested_at: ingestedAt,
    language: source.default_language,
    content_hash: contentHash(c.title, c.content),
    metadata: { ...c.metadata, canonical_url: c.canonical },
  };
}
