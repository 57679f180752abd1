import type { z } from "zod";
import { type ClientConfig, loadClientConfig } from "../config/client-config.ts";
import type { HtmlExtractors } from "../config/html-extractors.ts";
import type { SourceCatalog } from "../config/source-catalog.ts";
import { ClientNotFoundError } from "../errors/workflow-errors.ts";
import type { CompiledProfiles } from "../filter/profile-filter.ts";
import type { Runtime } from "../lambda/runtime.ts";
import { clientConfigKey, dailyItemsKey, seenLedgerKey, sourcesStateKey } from "../store/keys.ts";
import type { StoredText } from "../store/s3-store.ts";
import { type SeenLedger, SeenLedgerSchema } from "../store/seen-ledger.ts";
import { type SourcesState, SourcesStateSchema } from "../store/source-state.ts";
import type { IngestItem } from "./execution-input.ts";
import { readRunProfiles, readSourceConfig } from "./shared-config.ts";

/** What a client's fetches need, read before they start: its config, the catalog, the extractors, its state. */
export interface FetchInputs {
  config: ClientConfig;
  catalog: SourceCatalog;
  extractors: HtmlExtractors;
  sourcesState: SourcesState;
}

/** Everything a client's run reads: what the fetches need, then what selecting and storing need. */
export interface ClientInputs extends FetchInputs {
  ledger: SeenLedger;
  /** The keyword profiles of canonical/ingestion and canonical/scopes, compiled once; null without them. */
  profiles: CompiledProfiles | null;
  /**
   * The data objects the run will update, as read now (null when absent): the writes start from them
   * instead of reading each again, one after the other, at the end.
   */
  stored: Map<string, StoredText | null>;
}

export interface ClientReads {
  fetching: FetchInputs;
  /**
   * All the inputs, once the ledger, the day's items and the profiles are read too. Those reads run while
   * the sources are fetched: the fetches wait only for the four files they need (fewer requests before
   * the first fetch, and a shorter wait for the slowest of them), and the rest is there long before
   * the selection. A failed read fails the client where this is awaited.
   */
  all: Promise<ClientInputs>;
}

async function readClientConfig(clientId: string, rt: Runtime): Promise<ClientConfig> {
  const key = clientConfigKey(clientId);
  const stored = await rt.store.getText(rt.configBucket, key);
  if (!stored)
    throw new ClientNotFoundError(`no config for client '${clientId}' at s3://${rt.configBucket}/${key}`);
  return loadClientConfig(key, stored.text);
}

/**
 * State files are bookkeeping, not deliverables: one that is not valid JSON or not of its schema is logged
 * and started afresh (and replaced by this run's write), instead of failing the client on every run.
 */
function parseState<T>(
  rt: Runtime,
  key: string,
  stored: StoredText | null,
  schema: z.ZodType<T>,
  empty: T,
): T {
  if (!stored) return empty;
  try {
    return schema.parse(JSON.parse(stored.text));
  } catch (err) {
    rt.logger.warn("state file unreadable, starting afresh", {
      key,
      error: (err as Error).message.slice(0, 300),
    });
    return empty;
  }
}

async function readData(rt: Runtime, keys: readonly string[]): Promise<Map<string, StoredText | null>> {
  const texts = await Promise.all(keys.map((key) => rt.store.getText(rt.dataBucket, key)));
  return new Map(keys.map((key, i) => [key, texts[i] ?? null]));
}

/** Independent reads in parallel; the shared files once per run (see shared-config.ts). */
export async function readClientInputs(item: IngestItem, rt: Runtime): Promise<ClientReads> {
  const stateKey = sourcesStateKey(item.client_id);
  const [config, sources, stateStored] = await Promise.all([
    readClientConfig(item.client_id, rt),
    readSourceConfig(item.run_id, rt),
    rt.store.getText(rt.dataBucket, stateKey),
  ]);
  const fetching: FetchInputs = {
    config,
    ...sources,
    sourcesState: parseState(rt, stateKey, stateStored, SourcesStateSchema, { sources: {} }),
  };
  const all = readDeliveryInputs(item, rt, fetching, [stateKey, stateStored]);
  // Awaited only after the fetches: marked handled now, so that a failure meanwhile is not an unhandled
  // rejection (which ends the process) but the client's error when it is awaited.
  all.catch(() => undefined);
  return { fetching, all };
}

async function readDeliveryInputs(
  item: IngestItem,
  rt: Runtime,
  fetching: FetchInputs,
  state: [string, StoredText | null],
): Promise<ClientInputs> {
  const ledgerKey = seenLedgerKey(item.client_id);
  const [profiles, stored] = await Promise.all([
    readRunProfiles(item.run_id, rt),
    readData(rt, [ledgerKey, dailyItemsKey(item.client_id, item.window_end)]),
  ]);
  return {
    ...fetching,
    ledger: parseState(rt, ledgerKey, stored.get(ledgerKey) ?? null, SeenLedgerSchema, { seen: {} }),
    profiles,
    stored: stored.set(...state),
  };
}
