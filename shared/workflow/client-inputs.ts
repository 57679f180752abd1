import { z } from "zod";
import { type ClientConfig, loadClientConfig } from "../config/client-config.ts";
import { type HtmlExtractors, parseHtmlExtractors } from "../config/html-extractors.ts";
import { loadSourceCatalog, type SourceCatalog } from "../config/source-catalog.ts";
import { StoredDataInvalidError } from "../errors/store-errors.ts";
import { CatalogInvalidError, ClientNotFoundError } from "../errors/workflow-errors.ts";
import type { Runtime } from "../lambda/runtime.ts";
import {
  CATALOG_KEY,
  clientConfigKey,
  HTML_EXTRACTORS_KEY,
  seenLedgerKey,
  sourcesStateKey,
} from "../store/keys.ts";
import { type SeenLedger, SeenLedgerSchema } from "../store/seen-ledger.ts";
import { type SourcesState, SourcesStateSchema } from "../store/source-state.ts";

/** Everything a client's run reads before it fetches: its config, the catalog, and its state. */
export interface ClientInputs {
  config: ClientConfig;
  catalog: SourceCatalog;
  extractors: HtmlExtractors;
  sourcesState: SourcesState;
  ledger: SeenLedger;
}

async function readClientConfig(clientId: string, rt: Runtime): Promise<ClientConfig> {
  const key = clientConfigKey(clientId);
  const stored = await rt.store.getText(rt.configBucket, key);
  if (!stored)
    throw new ClientNotFoundError(`no config for client '${clientId}' at s3://${rt.configBucket}/${key}`);
  return loadClientConfig(key, stored.text);
}

async function readCatalog(rt: Runtime): Promise<SourceCatalog> {
  const stored = await rt.store.getText(rt.configBucket, CATALOG_KEY);
  if (!stored) throw new CatalogInvalidError(`no source catalog at s3://${rt.configBucket}/${CATALOG_KEY}`);
  const reading = loadSourceCatalog(CATALOG_KEY, stored.text);
  if (reading.warnings.length + reading.errors.length > 0) {
    rt.logger.warn("source catalog has entries that need attention", {
      errors: reading.errors.length,
      warnings: reading.warnings.length,
    });
  }
  return reading.catalog;
}

/** Optional: a bucket without html_extractors.yaml simply has no extractors. */
async function readExtractors(rt: Runtime): Promise<HtmlExtractors> {
  const stored = await rt.store.getText(rt.configBucket, HTML_EXTRACTORS_KEY);
  const reading = stored
    ? parseHtmlExtractors(HTML_EXTRACTORS_KEY, stored.text)
    : parseHtmlExtractors(HTML_EXTRACTORS_KEY, "");
  return reading.extractors;
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

/** Independent reads: one round trip, not one per file. */
export async function readClientInputs(clientId: string, rt: Runtime): Promise<ClientInputs> {
  const [config, catalog, extractors, sourcesState, ledger] = await Promise.all([
    readClientConfig(clientId, rt),
    readCatalog(rt),
    readExtractors(rt),
    readState(rt, sourcesStateKey(clientId), SourcesStateSchema, { sources: {} }),
    readState(rt, seenLedgerKey(clientId), SeenLedgerSchema, { seen: {} }),
  ]);
  return { config, catalog, extractors, sourcesState, ledger };
}
