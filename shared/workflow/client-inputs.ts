import type { z } from "zod";
import { type ClientConfig, loadClientConfig } from "../config/client-config.ts";
import { type HtmlExtractors, parseHtmlExtractors } from "../config/html-extractors.ts";
import { loadProfileFiles, type ProfileFiles, parseProfileConfig } from "../config/ingestion-profiles.ts";
import { parsedOnce } from "../config/parsed-once.ts";
import { loadSourceCatalog, type SourceCatalog } from "../config/source-catalog.ts";
import { formatProblem } from "../config/validation.ts";
import { CatalogInvalidError, ClientNotFoundError } from "../errors/workflow-errors.ts";
import { type CompiledProfiles, compileProfiles } from "../filter/profile-filter.ts";
import type { Runtime } from "../lambda/runtime.ts";
import {
  CATALOG_KEY,
  clientConfigKey,
  dailyItemsKey,
  HTML_EXTRACTORS_KEY,
  INGESTION_PROFILES_KEY,
  SCOPES_PREFIX,
  seenLedgerKey,
  sourcesStateKey,
} from "../store/keys.ts";
import type { StoredText } from "../store/s3-store.ts";
import { type SeenLedger, SeenLedgerSchema } from "../store/seen-ledger.ts";
import { type SourcesState, SourcesStateSchema } from "../store/source-state.ts";
import type { IngestItem } from "./execution-input.ts";

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

const readCatalogText = parsedOnce((text) => loadSourceCatalog(CATALOG_KEY, text));
const readExtractorsText = parsedOnce((text) => parseHtmlExtractors(HTML_EXTRACTORS_KEY, text));

async function readCatalog(rt: Runtime): Promise<SourceCatalog> {
  const stored = await rt.store.getText(rt.configBucket, CATALOG_KEY);
  if (!stored) throw new CatalogInvalidError(`no source catalog at s3://${rt.configBucket}/${CATALOG_KEY}`);
  const reading = readCatalogText(stored.text);
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
  return readExtractorsText(stored?.text ?? "").extractors;
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

/**
 * Optional: a bucket without ingestion_profiles.yaml has no profile filter. Problems in the files leave the
 * profiles they touch out (validate names them); the others still apply.
 */
async function readProfiles(rt: Runtime): Promise<CompiledProfiles | null> {
  const [profiles, scopeKeys] = await Promise.all([
    rt.store.getText(rt.configBucket, INGESTION_PROFILES_KEY),
    rt.store.listKeys(rt.configBucket, SCOPES_PREFIX),
  ]);
  if (!profiles) return null;
  const read = async (key: string) =>
    key === INGESTION_PROFILES_KEY
      ? profiles.text
      : ((await rt.store.getText(rt.configBucket, key))?.text ?? "");
  const files = await loadProfileFiles([INGESTION_PROFILES_KEY, ...scopeKeys], read);
  return compiledOnce(files, rt);
}

/**
 * The branches of a run read the same files: a process (a warm Lambda, the local runner) compiles them once
 * and reuses the result while their text is unchanged.
 */
let lastCompiled: { texts: string; profiles: CompiledProfiles } | null = null;

function compiledOnce(files: ProfileFiles, rt: Runtime): CompiledProfiles {
  const texts = JSON.stringify([files.profiles, files.scopes]);
  if (lastCompiled?.texts === texts) return lastCompiled.profiles;
  const parsed = parseProfileConfig(files);
  if (parsed.problems.length > 0) {
    rt.logger.warn("ingestion profiles have problems; the profiles concerned are not applied", {
      problems: parsed.problems.slice(0, 20).map(formatProblem),
    });
  }
  lastCompiled = { texts, profiles: compileProfiles(parsed.config) };
  return lastCompiled.profiles;
}

async function readData(rt: Runtime, keys: readonly string[]): Promise<Map<string, StoredText | null>> {
  const texts = await Promise.all(keys.map((key) => rt.store.getText(rt.dataBucket, key)));
  return new Map(keys.map((key, i) => [key, texts[i] ?? null]));
}

/** Independent reads: one round trip, not one per file. */
export async function readClientInputs(item: IngestItem, rt: Runtime): Promise<ClientInputs> {
  const stateKey = sourcesStateKey(item.client_id);
  const ledgerKey = seenLedgerKey(item.client_id);
  const [config, catalog, extractors, profiles, stored] = await Promise.all([
    readClientConfig(item.client_id, rt),
    readCatalog(rt),
    readExtractors(rt),
    readProfiles(rt),
    readData(rt, [stateKey, ledgerKey, dailyItemsKey(item.client_id, item.window_end)]),
  ]);
  return {
    config,
    catalog,
    extractors,
    profiles,
    sourcesState: parseState(rt, stateKey, stored.get(stateKey) ?? null, SourcesStateSchema, { sources: {} }),
    ledger: parseState(rt, ledgerKey, stored.get(ledgerKey) ?? null, SeenLedgerSchema, { seen: {} }),
    stored,
  };
}
