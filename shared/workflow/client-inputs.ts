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
import { readSharedConfig } from "./shared-config.ts";

/** Everything a client's run reads before it fetches: its config, the catalog, and its state. */
export interface ClientInputs {
  config: ClientConfig;
  catalog: SourceCatalog;
  extractors: HtmlExtractors;
  sourcesState: SourcesState;
  ledger: SeenLedger;
  /** The keyword profiles of canonical/ingestion and canonical/scopes, compiled once; null without them. */
  profiles: CompiledProfiles | null;
  /**
   * The data objects the run will update, as read now (null when absent): the writes start from them
   * instead of reading each again, one after the other, at the end.
   */
  stored: Map<string, StoredText | null>;
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

/** Independent reads: one round trip, not one per file; the shared files once per run (see readSharedConfig). */
export async function readClientInputs(item: IngestItem, rt: Runtime): Promise<ClientInputs> {
  const stateKey = sourcesStateKey(item.client_id);
  const ledgerKey = seenLedgerKey(item.client_id);
  const [config, shared, stored] = await Promise.all([
    readClientConfig(item.client_id, rt),
    readSharedConfig(item.run_id, rt),
    readData(rt, [stateKey, ledgerKey, dailyItemsKey(item.client_id, item.window_end)]),
  ]);
  return {
    config,
    ...shared,
    sourcesState: parseState(rt, stateKey, stored.get(stateKey) ?? null, SourcesStateSchema, { sources: {} }),
    ledger: parseState(rt, ledgerKey, stored.get(ledgerKey) ?? null, SeenLedgerSchema, { seen: {} }),
    stored,
  };
}
