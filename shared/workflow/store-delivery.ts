import { StoredDataInvalidError } from "../errors/store-errors.ts";
import type { Runtime } from "../lambda/runtime.ts";
import { mergeDailyItems } from "../store/daily-items.ts";
import { type Item, ItemListSchema } from "../store/item.ts";
import { dailyItemsKey, seenLedgerKey, sourcesStateKey } from "../store/keys.ts";
import { recordSeen, SeenLedgerSchema } from "../store/seen-ledger.ts";
import {
  nextSourceState,
  type SourceAttempt,
  type SourcesState,
  SourcesStateSchema,
} from "../store/source-state.ts";
import type { ClientInputs } from "./client-inputs.ts";
import type { IngestItem } from "./execution-input.ts";
import type { Selection, SourceResult } from "./select-items.ts";

export interface Delivery {
  /** Items that were not in the day's file yet. */
  added: number;
  /** The source state as stored after this run (or as it would be, in a dry run). */
  state: SourcesState;
}

function stateOrEmpty<T>(schema: { safeParse(v: unknown): { data?: T } }, empty: T): (stored: unknown) => T {
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

/** Each source's attempt; an unfinished source keeps its validators as they were (see Selection). */
export function sourceAttempts(
  results: readonly SourceResult[],
  selection: Selection,
): Map<string, SourceAttempt> {
  return new Map(
    results.map(({ source, run }) => [
      source.source_key,
      selection.unfinished.has(source.source_key)
        ? { ...run.attempt, etag: null, lastModified: null, bodySha256: null }
        : run.attempt,
    ]),
  );
}

function applyAttempts(attempts: Map<string, SourceAttempt>): (current: SourcesState) => SourcesState {
  return (current) => {
    const sources = { ...current.sources };
    for (const [key, attempt] of attempts) sources[key] = nextSourceState(current.sources[key], attempt);
    return { sources };
  };
}

async function mergeItems(
  item: IngestItem,
  items: Item[],
  inputs: ClientInputs,
  rt: Runtime,
): Promise<number> {
  const key = dailyItemsKey(item.client_id, item.window_end);
  let added = 0;
  const merge = (existing: Item[]) => {
    const merged = mergeDailyItems(existing, items);
    added = merged.added;
    return merged.items;
  };
  await rt.store.updateJson(rt.dataBucket, key, parseStoredItems(key), merge, {
    known: inputs.stored.get(key),
  });
  return added;
}

/**
 * Writes happen items first, then the seen ledger, then source state, so a crash in between can
 * re-deliver an item into the same day's file (merged away by id) but never lose one. Each write merges
 * into what is stored now, so an overlapping run's updates stay.
 */
export async function storeDelivery(
  item: IngestItem,
  selection: Selection,
  attempts: Map<string, SourceAttempt>,
  inputs: ClientInputs,
  now: Date,
  rt: Runtime,
): Promise<Delivery> {
  const apply = applyAttempts(attempts);
  if (item.dry_run) return { added: selection.items.length, state: apply(inputs.sourcesState) };
  let added = 0;
  if (selection.items.length > 0) {
    added = await mergeItems(item, selection.items, inputs, rt);
    const ledgerKey = seenLedgerKey(item.client_id);
    await rt.store.updateJson(
      rt.dataBucket,
      ledgerKey,
      stateOrEmpty(SeenLedgerSchema, { seen: {} }),
      (current) => recordSeen(current, selection.urlKeys, now),
      { known: inputs.stored.get(ledgerKey) },
    );
  }
  const stateKey = sourcesStateKey(item.client_id);
  const state = await rt.store.updateJson(
    rt.dataBucket,
    stateKey,
    stateOrEmpty(SourcesStateSchema, { sources: {} }),
    apply,
    { known: inputs.stored.get(stateKey) },
  );
  return { added, state };
}
