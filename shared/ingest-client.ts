import pLimit from "p-limit";
import { type ClientConfig, clientConfigKey, loadClientConfig } from "./client-config.ts";
import { dailyItemsKey, mergeDailyItems } from "./daily-items.ts";
import { ClientNotFoundError } from "./errors.ts";
import type { IngestItem } from "./execution-input.ts";
import { Fetcher } from "./fetch-source.ts";
import { type Candidate, ingestSource, type SourceReport, type SourceRunResult } from "./ingest-source.ts";
import { type Item, ItemListSchema } from "./item.ts";
import { compileExcludePatterns, contentVerdict, periodWindow, windowVerdict } from "./item-filters.ts";
import { contentHash, itemId, urlKey } from "./item-id.ts";
import { resolveSources } from "./resolve-sources.ts";
import type { Runtime } from "./runtime.ts";
import { recordSeen, type SeenLedger, SeenLedgerSchema, seenLedgerKey } from "./seen-ledger.ts";
import { CATALOG_KEY, loadSourceCatalog, type Source } from "./source-catalog.ts";
import {
  FAILING_STREAK,
  isFailure,
  nextSourceState,
  type SourcesState,
  SourcesStateSchema,
  sourcesStateKey,
} from "./source-state.ts";

/**
 * All of a client's sources are in flight together (the run waits for the slowest source, not a sum of
 * waves); the bound only keeps a client with hundreds of sources from opening hundreds of sockets.
 * Politeness to each publisher is the Fetcher's per-host limit.
 */
const MAX_SOURCES_IN_FLIGHT = 64;

/** A client with sources, all of which failed: the branch fails so the run shows it, after state is saved. */
export class AllSourcesFailedError extends Error {
  override readonly name = "AllSourcesFailed";
}

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
  outside_window: number;
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
  if (!stored) throw new ClientNotFoundError(`no source catalog at s3://${rt.configBucket}/${CATALOG_KEY}`);
  return loadSourceCatalog(CATALOG_KEY, stored.text);
}

/** State files are bookkeeping, not deliverables: an unreadable one is logged and started afresh. */
async function readState<T>(rt: Runtime, key: string, parse: (v: unknown) => T, empty: T): Promise<T> {
  const stored = await rt.store.getJson(rt.dataBucket, key);
  if (!stored) return empty;
  try {
    return parse(stored.value);
  } catch (err) {
    rt.logger.warn("state file unreadable, starting afresh", { key, error: (err as Error).message });
    return empty;
  }
}

interface Selection {
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
    outside_window: 0,
    undated: 0,
    too_short: 0,
    excluded: 0,
    duplicate_in_run: 0,
    already_seen: 0,
  };
  const inRun = new Set<string>();
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
      if (inWindow === "outside_window") {
        dropped.outside_window++;
        continue;
      }
      if (inWindow === "undated_dropped") {
        dropped.undated++;
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
  return { items, urlKeys, dropped, found };
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
  const config = await readClientConfig(item.client_id, rt);
  const catalog = await readCatalog(rt);
  const resolved = resolveSources(clientConfigKey(item.client_id), config, catalog);
  const [sourcesState, ledger] = await Promise.all([
    readState(rt, sourcesStateKey(item.client_id), (v) => SourcesStateSchema.parse(v), { sources: {} }),
    readState(rt, seenLedgerKey(item.client_id), (v) => SeenLedgerSchema.parse(v), { seen: {} }),
  ]);

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
  const nextState: SourcesState = { sources: { ...sourcesState.sources } };
  const reports: SourceReport[] = results.map(({ source, run }) => {
    const state = nextSourceState(sourcesState.sources[source.source_key], run.attempt);
    nextState.sources[source.source_key] = state;
    return {
      ...run.report,
      consecutive_failures: state.consecutive_failures,
      last_success_at: state.last_success_at,
      last_error_class: state.last_error_class,
    };
  });

  let added = selection.items.length;
  if (!item.dry_run) {
    if (selection.items.length > 0) {
      await rt.store.updateJson(
        rt.dataBucket,
        dailyItemsKey(item.client_id, item.window_end),
        (v) => (v === null ? [] : ItemListSchema.parse(v)),
        (existing) => {
          const merged = mergeDailyItems(existing, selection.items);
          added = merged.added;
          return merged.items;
        },
      );
      await rt.store.updateJson(
        rt.dataBucket,
        seenLedgerKey(item.client_id),
        (v) => (v === null ? { seen: {} } : SeenLedgerSchema.parse(v)),
        (current) => recordSeen(current, selection.urlKeys, now),
      );
    }
    await rt.store.putJson(rt.dataBucket, sourcesStateKey(item.client_id), nextState);
  }

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
