import { type HtmlExtractors, parseHtmlExtractors } from "../config/html-extractors.ts";
import { loadProfileFiles, type ProfileFiles, parseProfileConfig } from "../config/ingestion-profiles.ts";
import { parsedOnce } from "../config/parsed-once.ts";
import { loadSourceCatalog, type SourceCatalog } from "../config/source-catalog.ts";
import { formatProblem } from "../config/validation.ts";
import { CatalogInvalidError } from "../errors/workflow-errors.ts";
import { type CompiledProfiles, compileProfiles } from "../filter/profile-filter.ts";
import type { Runtime } from "../lambda/runtime.ts";
import { CATALOG_KEY, HTML_EXTRACTORS_KEY, INGESTION_PROFILES_KEY, SCOPES_PREFIX } from "../store/keys.ts";

/** The shared files that say what a client fetches and how: the catalog and the extractors. */
export interface SourceConfig {
  catalog: SourceCatalog;
  extractors: HtmlExtractors;
}

interface RunRead<T> {
  run: string;
  reading: Promise<T>;
}

/**
 * The shared files as a run reads them, kept per store: a process that serves several branches of one run
 * (a warm Lambda takes one after another, the local runner takes them all) reads them once for the run,
 * so its branches see one version of them and spend no requests on them after the first. A read that
 * failed is not kept: the branch's retry reads again. A new run reads afresh.
 */
function oncePerRun<T>(
  reads: WeakMap<object, RunRead<T>>,
  read: (rt: Runtime) => Promise<T>,
): (runId: string, rt: Runtime) => Promise<T> {
  return (runId, rt) => {
    const run = `${rt.configBucket}/${runId}`;
    const kept = reads.get(rt.store);
    if (kept?.run === run) return kept.reading;
    const reading = read(rt);
    reads.set(rt.store, { run, reading });
    reading.catch(() => {
      if (reads.get(rt.store)?.reading === reading) reads.delete(rt.store);
    });
    return reading;
  };
}

/** The catalog and the extractors, which a client needs before its first fetch. */
export const readSourceConfig = oncePerRun(new WeakMap<object, RunRead<SourceConfig>>(), readSourceFiles);

/**
 * The keyword profiles of canonical/ingestion and canonical/scopes, compiled once; null without them. Only
 * the selection needs them, so a client reads them while its sources are fetched.
 */
export const readRunProfiles = oncePerRun(
  new WeakMap<object, RunRead<CompiledProfiles | null>>(),
  readProfiles,
);

async function readSourceFiles(rt: Runtime): Promise<SourceConfig> {
  const [catalog, extractors] = await Promise.all([readCatalog(rt), readExtractors(rt)]);
  return { catalog, extractors };
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
