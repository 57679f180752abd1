import pLimit from "p-limit";
import type { ResolvedSources } from "../config/resolve-sources.ts";
import type { Source } from "../config/source-catalog.ts";
import { Fetcher } from "../fetch/fetcher.ts";
import type { Runtime } from "../lambda/runtime.ts";
import { urlKey } from "../store/item-id.ts";
import type { SeenLedger } from "../store/seen-ledger.ts";
import type { ClientReads, FetchInputs } from "./client-inputs.ts";
import type { IngestItem } from "./execution-input.ts";
import { type Candidate, ingestSource, misconfiguredResult } from "./ingest-source.ts";
import { type Window, windowVerdict } from "./item-filters.ts";
import type { SourceResult } from "./select-items.ts";

/**
 * All of a client's sources are in flight together (the run waits for the slowest source, not a sum of
 * waves); the bound only keeps a client with hundreds of sources from opening hundreds of sockets.
 * Politeness to each publisher is the Fetcher's per-host limit.
 */
const MAX_SOURCES_IN_FLIGHT = 64;

/**
 * Time kept back at the end of an invocation: a request already started can take the fetch timeout, and
 * the writes need a few seconds. Past it no new source or article fetch starts.
 */
const DEFAULT_DEADLINE_MARGIN_MS = 45_000;

/** False once the invocation's remaining time is below the margin; always true without a deadline. */
function canStartFetches(rt: Runtime): () => boolean {
  const remaining = rt.remainingMs;
  if (!remaining) return () => true;
  const margin = rt.deadlineMarginMs ?? DEFAULT_DEADLINE_MARGIN_MS;
  return () => remaining() > margin;
}

/**
 * Article requests are spent on candidates that can become items: never delivered before, and undated
 * (the article may date them) or inside the run's window.
 */
function wantedCandidates(ledger: SeenLedger, window: Window): (c: Candidate) => boolean {
  return (c) => {
    if (ledger.seen[urlKey(c.canonical)] !== undefined) return false;
    const verdict = windowVerdict(c.published_at, window, "balanced");
    return verdict === "in_window" || verdict === "undated_kept";
  };
}

/** Every source the client names ends with one result, in the order the config names them. */
export async function fetchSources(
  resolved: ResolvedSources,
  item: IngestItem,
  reads: ClientReads,
  window: Window,
  rt: Runtime,
): Promise<SourceResult[]> {
  const wanted = reads.all.then((inputs) => wantedCandidates(inputs.ledger, window));
  // Awaited only by sources whose articles are read; a failed read fails the client where `all` is awaited.
  wanted.catch(() => undefined);
  const fetched = await fetchRunnable(resolved.sources, item, reads.fetching, wanted, rt);
  const at = rt.now().toISOString();
  return [...fetched, ...resolved.misconfigured.map((m) => misconfiguredResult(m, at))];
}

async function fetchRunnable(
  sources: readonly Source[],
  item: IngestItem,
  inputs: FetchInputs,
  wanted: Promise<(c: Candidate) => boolean>,
  rt: Runtime,
): Promise<SourceResult[]> {
  const fetcher = new Fetcher(rt.fetchPolicy, { canStart: canStartFetches(rt), now: rt.now });
  const limit = pLimit(MAX_SOURCES_IN_FLIGHT);
  const minWordCount = inputs.config.source_config.content_filters?.min_word_count;
  try {
    return await Promise.all(
      sources.map((source) =>
        limit(async () => ({
          source,
          run: await ingestSource(source, {
            fetcher,
            previous: inputs.sourcesState.sources[source.source_key],
            forceRefresh: item.force_refresh,
            now: rt.now,
            wanted,
            minWordCount,
          }),
        })),
      ),
    );
  } finally {
    fetcher.close();
  }
}
