import pLimit from "p-limit";
import { z } from "zod";
import { type ClientConfig, clientConfigKey, loadClientConfig } from "../config/client-config.ts";
import { resolveSources } from "../config/resolve-sources.ts";
import { CATALOG_KEY, loadSourceCatalog, type Source } from "../config/source-catalog.ts";
import { StoredDataInvalidError } from "../errors/store-errors.ts";
import {
  AllSourcesFailedError,
  CatalogInvalidError,
  ClientNotFoundError,
} from "../errors/workflow-errors.ts";
import { Fetcher } from "../fetch/fetcher.ts";
import type { Runtime } from "../lambda/runtime.ts";
import { dailyItemsKey, mergeDailyItems } from "../store/daily-items.ts";
import { type Item, ItemListSchema } from "../store/item.ts";
import { contentHash, itemId, urlKey } from "../store/item-id.ts";
import { recordSeen, type SeenLedger, SeenLedgerSchema, seenLedgerKey } from "../store/seen-ledger.ts";
import {
  FAILING_STREAK,
  isFailure,
  nextSourceState,
  type SourcesState,
  SourcesStateSchema,
  sourcesStateKey,
} from "../store/source-state.ts";
import type { IngestItem } from "./execution-input.ts";
import { type Candidate, ingestSource, type SourceReport, type SourceRunResult } from "./ingest-source.ts";
import { compileExcludePatterns, contentVerdict, periodWindow, windowVerdict } from "./select-items.ts";

/**
 * All of a client's sources are in flight together (the run waits for the slowest source, not a sum of
 * waves); the bound only keeps a client with hundreds of sources from opening hundreds of sockets.
 * Politeness to each publisher is the Fetcher's per-host limit.
 */
const MAX_SOURCES_IN_FLIGHT = 64;

/** A client with sources, all of which failed: the branch fails so the run shows it, after state is saved. */

/**
 * What a branch returns through the state machine: counters only, about 100 bytes, so 1,000 branches fit
 * in one state's 256 KB. A source counter that is zero is left out; `inactive` and `failing_sources`
 * appear only when they say something.
 */
export interface ClientResult {
  client_id: string;
  status: "succeeded";
  items_new: number;
  items_found: number;
  sources_ok?: number;
  sources_not_modified?: number;
  sources_empty?: number;
  sources_failed?: number;
  /** The client ran because it was named, although `client_profile.active` is false. */
  inactive?: true;
  /** Sources that failed FAILING_STREAK runs in a row or more. */
  failing_sources?: string[];
  duration_ms: number;
}

function nonZero(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
}

/** Why candidates did not become new items, for the per-client detail. */
export interface DropCounts {
  before_window: number;
  after_window: number;
  undated: number;
  too_short: number;
  excluded: number;
  duplicate_in_run: number;
  already_seen: number;
}

export function clientDetailKey(runId: string, clientId: string): string {
  return `runs/${runId}/clients/${clientId}.json`;
}

async function readClientConfig(clientId: string, rt: Runtime): Promise<ClientConfig> {
  const key = clientConfigKey(clientId);
  const stored = await rt.store.getText(rt.configBucket, key);
  if (!stored)
    throw new ClientNotFoundError(`no config for client '${clientId}' at s3://${rt.configBucket}/${key}`);
  return loadClientConfig(key, stored.text);
}

async function readCatalog(rt: Runtime) {
  const stored = await rt.store.getText(rt.configBucket, CATALOG_KEY);
  if (!stored) throw new CatalogInvalidError(`no source catalog at s3://${rt.configBucket}/${CATALOG_KEY}`);
  return loadSourceCatalog(CATALOG_KEY, stored.text);
}

/**
 * State files are bookkeeping, not deliverables: one that is not valid JSON or not of its schema is logged
 * and started afresh (and replaced by this run's write), instead of failing the client on every run.
 */
async function readState<T>(rt: Runtime, key: string, schema: z.ZodType<T>, empty: T): Promise<T> {
  try {
    const stored = await rt.store.getJson(rt.dataBucket, key);
    return stored ? schema.parse(stored.value) : empty;
  } catch (err) {
    if (!(err instanceof StoredDataInvalidError || err instanceof z.ZodError)) throw err;
    rt.logger.warn("state file unreadable, starting afresh", { key, error: err.message.slice(0, 300) });
    return empty;
  }
}

function stateOrEmpty<T>(schema: z.ZodType<T>, empty: T): (stored: unknown) => T {
  return (stored) => schema.safeParse(stored).data ?? empty;
}

/** The day's items are deliverables: never replaced when they can't be read, the client fails instead. */
function parseStoredItems(key: string): (stored: unknown) => Item[] {
  return (stored) => {
    if (stored === null) return [];
    const parsed = ItemListSchema.safeParse(stored ?? "not JSON");
    if (!parsed.success) {
      throw new StoredDataInvalidError(
        `${key} does not hold a list of items; left untouched: ${parsed.error.message.slice(0, 200)}`,
      );
    }
    return parsed.data;
  };
}

interface Selection {
  /**
   * Sources with entries this run set aside that a later run may want (newer than the window's end, or
   * undated under strict): their validators must not advance, or the next run's 304 would hide them.
   */
  unfinished: Set<string>;
  items: Item[];
  /** The ledger keys of `items`, in the same order. */
  urlKeys: string[];
  dropped: DropCounts;
  found: number;
}

/** Window, ingestion mode, content filters, then dedup within the run and against the ledger. */
function selectItems(
  results: readonly { source: Source; run: SourceRunResult }[],
  item: IngestItem,
  config: ClientConfig,
  ledger: SeenLedger,
  now: Date,
): Selection {
  const window = periodWindow(item.window_end, item.period_days ?? config.pipeline.default_period_days);
  const filters = config.source_config.content_filters;
  const excludes = compileExcludePatterns(filters?.exclude_patterns ?? []);
  const dropped: DropCounts = {
    before_window: 0,
    after_window: 0,
    undated: 0,
    too_short: 0,
    excluded: 0,
    duplicate_in_run: 0,
    already_seen: 0,
  };
  const inRun = new Set<string>();
  const unfinished = new Set<string>();
  const items: Item[] = [];
  const urlKeys: string[] = [];
  let found = 0;
  const ingestedAt = now.toISOString();
  for (const { source, run } of results) {
    for (const c of run.candidates) {
      found++;
      const key = urlKey(c.canonical);
      if (inRun.has(key)) {
        dropped.duplicate_in_run++;
        continue;
      }
      inRun.add(key);
      // Broad mode re-delivers undated items every run: without a date, "new" can't be told from "seen".
      if (ledger.seen[key] && !(c.published_at === null && item.ingestion_mode === "broad")) {
        dropped.already_seen++;
        continue;
      }
      const inWindow = windowVerdict(c.published_at, window, item.ingestion_mode);
      if (inWindow === "after_window" || inWindow === "undated_dropped") {
        dropped[inWindow === "after_window" ? "after_window" : "undated"]++;
        unfinished.add(source.source_key);
        continue;
      }
      if (inWindow === "before_window") {
        dropped.before_window++;
        continue;
      }
      const verdict = contentVerdict(c.title, c.content, filters, excludes);
      if (!verdict.keep) {
        dropped[verdict.reason === "too_short" ? "too_short" : "excluded"]++;
        continue;
      }
      items.push(toItem(c, source, ingestedAt));
      urlKeys.push(key);
    }
  }
  return { unfinished, items, urlKeys, dropped, found };
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

/**
 * Ingest one client: resolve its sources, fetch them all concurrently, keep the items of the window that
 * were never delivered before, and merge them into the day's file. Writes happen items first, then the
 * seen ledger, then source state, so a crash in between can re-deliver an item into the same day's file
 * (merged away by id) but never lose one.
 */
export async function ingestClient(item: IngestItem, runtime: Runtime): Promise<ClientResult> {
  const started = Date.now();
  const rt: Runtime = {
    ...runtime,
    logger: runtime.logger.createChild({
      persistentKeys: { run_id: item.run_id, client_id: item.client_id },
    }),
  };
  // Four independent reads: one round trip, not four.
  const [config, catalog, sourcesState, ledger] = await Promise.all([
    readClientConfig(item.client_id, rt),
    readCatalog(rt),
    readState(rt, sourcesStateKey(item.client_id), SourcesStateSchema, { sources: {} }),
    readState(rt, seenLedgerKey(item.client_id), SeenLedgerSchema, { seen: {} }),
  ]);
  const resolved = resolveSources(clientConfigKey(item.client_id), config, catalog);

  const fetcher = new Fetcher(rt.fetchPolicy);
  const limit = pLimit(MAX_SOURCES_IN_FLIGHT);
  const results = await Promise.all(
    resolved.sources.map((source) =>
      limit(async () => ({
        source,
        run: await ingestSource(source, {
          fetcher,
          previous: sourcesState.sources[source.source_key],
          forceRefresh: item.force_refresh,
          now: rt.now,
          isSeen: (canonical) => ledger.seen[urlKey(canonical)] !== undefined,
        }),
      })),
    ),
  ).finally(() => fetcher.close());

  const now = rt.now();
  const selection = selectItems(results, item, config, ledger, now);
  // Validators of an unfinished source stay as they were (see Selection.unfinished).
  const attempts = new Map(
    results.map(({ source, run }) => [
      source.source_key,
      selection.unfinished.has(source.source_key)
        ? { ...run.attempt, etag: null, lastModified: null, bodySha256: null }
        : run.attempt,
    ]),
  );
  const applyAttempts = (current: SourcesState): SourcesState => {
    const sources = { ...current.sources };
    for (const [key, attempt] of attempts) sources[key] = nextSourceState(current.sources[key], attempt);
    return { sources };
  };

  let added = selection.items.length;
  let finalState = applyAttempts(sourcesState);
  if (!item.dry_run) {
    if (selection.items.length > 0) {
      const itemsKey = dailyItemsKey(item.client_id, item.window_end);
      await rt.store.updateJson(rt.dataBucket, itemsKey, parseStoredItems(itemsKey), (existing) => {
        const merged = mergeDailyItems(existing, selection.items);
        added = merged.added;
        return merged.items;
      });
      await rt.store.updateJson(
        rt.dataBucket,
        seenLedgerKey(item.client_id),
        stateOrEmpty(SeenLedgerSchema, { seen: {} }),
        (current) => recordSeen(current, selection.urlKeys, now),
      );
    }
    // Applied to the state as stored now, not as read at the start: an overlapping run's updates stay.
    finalState = await rt.store.updateJson(
      rt.dataBucket,
      sourcesStateKey(item.client_id),
      stateOrEmpty(SourcesStateSchema, { sources: {} }),
      applyAttempts,
    );
  }
  const reports: SourceReport[] = results.map(({ source, run }) => {
    const state = finalState.sources[source.source_key];
    return {
      ...run.report,
      consecutive_failures: state?.consecutive_failures ?? 0,
      last_success_at: state?.last_success_at ?? null,
      last_error_class: state?.last_error_class ?? null,
    };
  });

  const count = (pred: (r: SourceReport) => boolean) => reports.filter(pred).length;
  const failing = reports.filter((r) => r.consecutive_failures >= FAILING_STREAK).map((r) => r.source_key);
  const sourcesFailed = count((r) => isFailure(r.outcome));
  const result: ClientResult = {
    client_id: item.client_id,
    status: "succeeded",
    items_new: added,
    items_found: selection.found,
    ...nonZero({
      sources_ok: count((r) => r.outcome === "ok"),
      sources_not_modified: count((r) => r.outcome === "not_modified"),
      sources_empty: count((r) => r.outcome === "empty"),
      sources_failed: sourcesFailed,
    }),
    ...(config.client_profile.active ? {} : { inactive: true as const }),
    ...(failing.length > 0 ? { failing_sources: failing } : {}),
    duration_ms: Date.now() - started,
  };
  if (!item.dry_run) {
    await rt.store.putJson(rt.dataBucket, clientDetailKey(item.run_id, item.client_id), {
      item,
      result,
      window: periodWindow(item.window_end, item.period_days ?? config.pipeline.default_period_days),
      dropped: selection.dropped,
      sources: reports,
      skipped_sources: resolved.skipped,
      items_key: dailyItemsKey(item.client_id, item.window_end),
    });
  }
  rt.logger.info("client ingested", { ...result });
  if (reports.length > 0 && sourcesFailed === reports.length) {
    const detail = reports.map((r) => `${r.source_key}: ${r.outcome}`).join(", ");
    throw new AllSourcesFailedError(
      `all ${reports.length} sources of '${item.client_id}' failed (${detail})`,
    );
  }
  return result;
}
