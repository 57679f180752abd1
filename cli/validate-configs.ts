import { existsSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { load } from "cheerio/slim";
import { type ClientConfig, clientIdFromKey, parseClientConfig } from "../shared/config/client-config.ts";
import { parseHtmlExtractors } from "../shared/config/html-extractors.ts";
import { parseProfileConfig, sourceProfileProblems } from "../shared/config/ingestion-profiles.ts";
import { referenceProblems } from "../shared/config/resolve-sources.ts";
import { CATALOG_KEY, parseSourceCatalog, type SourceCatalog } from "../shared/config/source-catalog.ts";
import { type HtmlSelectors, withoutEmptyStrings } from "../shared/config/source-entry.ts";
import type { ValidationProblem } from "../shared/config/validation.ts";
import { parseYamlFile } from "../shared/config/yaml-file.ts";
import { datePatternProblem } from "../shared/parse/date-patterns.ts";
import { HTML_EXTRACTORS_KEY, INGESTION_PROFILES_KEY, SCOPES_PREFIX } from "../shared/store/keys.ts";
import { discoversFromHomepage } from "../shared/workflow/discovered-listing.ts";
import { compileExcludePatterns } from "../shared/workflow/item-filters.ts";
import { UsageError } from "./usage-error.ts";

const CATALOG_NAME = basename(CATALOG_KEY);
const HTML_EXTRACTORS_NAME = basename(HTML_EXTRACTORS_KEY);

export interface ValidationReport {
  /** Files read, in the order checked. */
  files: string[];
  /** What cannot run: a client, a catalog entry, an extractor. */
  problems: ValidationProblem[];
  /** What runs anyway or is ignored: misplaced or duplicated entries, settings that are not honoured. */
  warnings: ValidationProblem[];
  /** Client files checked without a catalog, so their bouquet and source references were not. */
  unreferenced: string[];
  /** Enabled sources with a homepage and no listing URL: what `validate --probe` looks at. */
  homepageOnly: { file: string; source_key: string; homepage_url: string }[];
}

/** A CSS selector cheerio cannot compile throws when applied, even to an empty document. */
function selectorProblem(selector: string): string | null {
  try {
    load("")(selector);
    return null;
  } catch (err) {
    return `selector "${selector}" is not valid CSS: ${(err as Error).message}`;
  }
}

function htmlSelectorProblems(file: string, path: string, html: HtmlSelectors): ValidationProblem[] {
  const fields: [string, string | undefined][] = [
    ["container", html.container],
    ["item", html.item],
    ["link", html.link],
    ["title", html.title],
    ["summary", html.summary],
    ["date.selector", html.date?.selector],
  ];
  const problems: ValidationProblem[] = [];
  for (const [field, selector] of fields) {
    const message = selector === undefined ? null : selectorProblem(selector);
    if (message) problems.push({ file, path: `${path}.${field}`, message });
  }
  return problems;
}

function selectorProblems(file: string, catalog: SourceCatalog): ValidationProblem[] {
  return catalog.sources.flatMap((source) =>
    source.html ? htmlSelectorProblems(file, `sources.${source.source_key}.html`, source.html) : [],
  );
}

/** Date patterns that cannot be used are left out at run time: the source still runs. */
function datePatternWarnings(file: string, catalog: SourceCatalog): ValidationProblem[] {
  return catalog.sources.flatMap((source) =>
    (source.date_extraction_patterns ?? []).flatMap((pattern, i) => {
      const message = datePatternProblem(pattern);
      return message
        ? [
            {
              file,
              path: `sources.${source.source_key}.date_extraction_patterns.${i}`,
              message: `${message}: ignored`,
            },
          ]
        : [];
    }),
  );
}

/** Each exclude pattern as ingest compiles it (with its word boundaries), not only as written. */
function patternProblems(file: string, config: ClientConfig): ValidationProblem[] {
  const patterns = config.source_config.content_filters?.exclude_patterns ?? [];
  return patterns.flatMap((pattern, i) => {
    try {
      compileExcludePatterns([pattern]);
      return [];
    } catch (err) {
      return [
        {
          file,
          path: `source_config.content_filters.exclude_patterns.${i}`,
          message: `is not a valid regular expression: ${(err as Error).message}`,
        },
      ];
    }
  });
}

async function isDir(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isDirectory() ?? false;
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isFile() ?? false;
}

/** A file's catalog: the one of the config folder it sits in (`X/clients/a.yaml` -> `X/canonical/...`). */
function catalogNextTo(clientFile: string): string {
  return join(dirname(dirname(clientFile)), ...CATALOG_KEY.split("/"));
}

interface Targets {
  clients: string[];
  catalogs: string[];
  /** html_extractors.yaml files found beside the catalogs. */
  extractors: string[];
  /** client file -> its catalog file */
  catalogOf: Map<string, string>;
  problems: ValidationProblem[];
}

async function expand(paths: readonly string[]): Promise<Targets> {
  const t: Targets = { clients: [], catalogs: [], extractors: [], catalogOf: new Map(), problems: [] };
  const addCatalog = (file: string) => {
    if (t.catalogs.includes(file)) return;
    t.catalogs.push(file);
    const extractors = join(dirname(file), HTML_EXTRACTORS_NAME);
    if (existsSync(extractors)) t.extractors.push(extractors);
  };
  for (const path of paths) {
    if (await isDir(path)) {
      const catalog = join(path, ...CATALOG_KEY.split("/"));
      const clientsDir = join(path, "clients");
      const names = (await readdir(clientsDir).catch(() => [] as string[])).sort();
      if (!(await exists(catalog)) && names.length === 0) {
        throw new UsageError(`${path}: neither clients/*.yaml nor ${CATALOG_KEY} (not a config folder)`);
      }
      if (await exists(catalog)) addCatalog(catalog);
      else
        t.problems.push({
          file: catalog,
          path: "",
          message: "missing: every client needs the source catalog",
        });
      for (const name of names) {
        const file = join(clientsDir, name);
        if (name.endsWith(".yml")) {
          t.problems.push({
            file,
            path: "",
            message: "is ignored: client configs must be named {client_id}.yaml",
          });
        } else if (name.endsWith(".yaml") && !t.clients.includes(file)) {
          t.clients.push(file);
          if (await exists(catalog)) t.catalogOf.set(file, catalog);
        }
      }
    } else if (await exists(path)) {
      if (basename(path) === CATALOG_NAME) addCatalog(path);
      else if (!t.clients.includes(path)) {
        t.clients.push(path);
        const catalog = catalogNextTo(path);
        if (await exists(catalog)) {
          addCatalog(catalog);
          t.catalogOf.set(path, catalog);
        }
      }
    } else {
      throw new UsageError(`${path}: no such file or directory`);
    }
  }
  const [onlyCatalog, ...others] = t.catalogs;
  for (const client of t.clients) {
    if (!t.catalogOf.has(client) && onlyCatalog && others.length === 0) t.catalogOf.set(client, onlyCatalog);
  }
  return t;
}

/**
 * Validates client configs and source catalogs as ingest reads them: the schemas (duplicate source keys and
 * unknown bouquet members included), each client's bouquet and source references against its catalog, CSS
 * selectors, exclude patterns, and client file names.
 */
export async function validateConfigPaths(paths: readonly string[]): Promise<ValidationReport> {
  const targets = await expand(paths);
  const report: ValidationReport = {
    files: [],
    problems: [...targets.problems],
    warnings: [],
    unreferenced: [],
    homepageOnly: [],
  };
  const catalogs = new Map<string, SourceCatalog>();
  for (const file of targets.catalogs) {
    const catalog = await checkCatalog(file, report);
    if (catalog) catalogs.set(file, catalog);
  }
  for (const file of targets.clients) await checkClient(file, targets, catalogs, report);
  report.files = [...targets.catalogs, ...targets.extractors, ...report.files, ...targets.clients];
  return report;
}

async function checkCatalog(file: string, report: ValidationReport): Promise<SourceCatalog | null> {
  const result = parseSourceCatalog(file, await readFile(file, "utf8"));
  if (!result.ok) {
    report.problems.push(...result.problems);
    return null;
  }
  report.problems.push(...result.errors, ...selectorProblems(file, result.catalog));
  report.warnings.push(...result.warnings, ...datePatternWarnings(file, result.catalog));
  const extractorsFile = join(dirname(file), HTML_EXTRACTORS_NAME);
  if (await exists(extractorsFile))
    checkExtractors(extractorsFile, await readFile(extractorsFile, "utf8"), result.catalog, report);
  await checkProfiles(file, report);
  for (const source of result.catalog.sources) {
    if (source.enabled && discoversFromHomepage(source)) {
      report.homepageOnly.push({ file, source_key: source.source_key, homepage_url: source.homepage_url });
    }
  }
  return result.catalog;
}

/**
 * The catalog's entries as the file holds them, empty strings dropped: problems name `sources[i]` by its
 * place in the file, which the runnable entries (invalid and duplicate ones left out) would not keep.
 */
async function catalogEntries(catalogFile: string): Promise<Record<string, unknown>[]> {
  const yaml = parseYamlFile(catalogFile, await readFile(catalogFile, "utf8"));
  const sources = yaml.ok ? (yaml.value as { sources?: unknown } | null)?.sources : undefined;
  return Array.isArray(sources)
    ? sources.map((entry) => (withoutEmptyStrings(entry) ?? {}) as Record<string, unknown>)
    : [];
}

async function readScopeFiles(scopesDir: string): Promise<{ file: string; text: string }[]> {
  const names = (await readdir(scopesDir).catch(() => [] as string[]))
    .filter((n) => /\.ya?ml$/.test(n))
    .sort();
  return Promise.all(
    names.map(async (name) => ({
      file: join(scopesDir, name),
      text: await readFile(join(scopesDir, name), "utf8"),
    })),
  );
}

/**
 * The keyword profiles beside the catalog (canonical/ingestion, canonical/scopes), when there are any: a
 * wrong mode, group or scope name is an error; a source naming a profile that exists but cannot apply runs
 * unfiltered, a warning.
 */
async function checkProfiles(catalogFile: string, report: ValidationReport): Promise<void> {
  const root = dirname(dirname(dirname(catalogFile)));
  const profilesFile = join(root, ...INGESTION_PROFILES_KEY.split("/"));
  const scopes = await readScopeFiles(join(root, ...SCOPES_PREFIX.split("/")));
  const profiles = (await exists(profilesFile))
    ? { file: profilesFile, text: await readFile(profilesFile, "utf8") }
    : undefined;
  if (!profiles && scopes.length === 0) return;
  report.files.push(...(profiles ? [profilesFile] : []), ...scopes.map((f) => f.file));
  const parsed = parseProfileConfig({ profiles, scopes });
  report.problems.push(...parsed.problems);
  report.warnings.push(...parsed.warnings);
  for (const problem of sourceProfileProblems(
    catalogFile,
    await catalogEntries(catalogFile),
    parsed.config,
  )) {
    if (problem.message.startsWith("unknown ingestion profile")) report.problems.push(problem);
    else report.warnings.push(problem);
  }
}

function checkExtractors(file: string, text: string, catalog: SourceCatalog, report: ValidationReport): void {
  const reading = parseHtmlExtractors(file, text);
  report.problems.push(...reading.errors);
  report.warnings.push(...reading.warnings);
  const keys = new Set([...catalog.sources.map((s) => s.source_key), ...catalog.invalid.keys()]);
  for (const [key, extraction] of reading.extractors.bySource) {
    report.problems.push(...htmlSelectorProblems(file, `extractors.${key}.selectors`, extraction.html));
    if (!keys.has(key)) {
      report.warnings.push({
        file,
        path: `extractors.${key}`,
        message: "no catalog source has this key: ignored",
      });
    }
  }
}

async function checkClient(
  file: string,
  targets: Targets,
  catalogs: Map<string, SourceCatalog>,
  report: ValidationReport,
): Promise<void> {
  if (clientIdFromKey(`clients/${basename(file)}`) === null) {
    report.problems.push({
      file,
      path: "",
      message: "file name is not a valid client id ({client_id}.yaml)",
    });
  }
  const result = parseClientConfig(file, await readFile(file, "utf8"));
  if (!result.ok) {
    report.problems.push(...result.problems);
    return;
  }
  report.problems.push(...patternProblems(file, result.config));
  const catalogFile = targets.catalogOf.get(file);
  const catalog = catalogFile ? catalogs.get(catalogFile) : undefined;
  if (catalog) report.problems.push(...referenceProblems(file, result.config, catalog));
  else if (!catalogFile) report.unreferenced.push(file);
}
