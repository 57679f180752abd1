import { readdir, readFile, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { load } from "cheerio";
import { type ClientConfig, clientIdFromKey, parseClientConfig } from "../shared/config/client-config.ts";
import { referenceProblems } from "../shared/config/resolve-sources.ts";
import { CATALOG_KEY, parseSourceCatalog, type SourceCatalog } from "../shared/config/source-catalog.ts";
import type { ValidationProblem } from "../shared/config/validation.ts";
import { compileExcludePatterns } from "../shared/workflow/select-items.ts";
import { UsageError } from "./usage-error.ts";

const CATALOG_NAME = basename(CATALOG_KEY);

export interface ValidationReport {
  /** Files read, in the order checked. */
  files: string[];
  problems: ValidationProblem[];
  /** Client files checked without a catalog, so their bouquet and source references were not. */
  unreferenced: string[];
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

export function selectorProblems(file: string, catalog: SourceCatalog): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  catalog.sources.forEach((source, i) => {
    const html = source.html;
    if (!html) return;
    const fields: [string, string | undefined][] = [
      ["item", html.item],
      ["link", html.link],
      ["title", html.title],
      ["summary", html.summary],
      ["date.selector", html.date?.selector],
    ];
    for (const [field, selector] of fields) {
      const message = selector === undefined ? null : selectorProblem(selector);
      if (message) problems.push({ file, path: `sources.${i}.html.${field}`, message });
    }
  });
  return problems;
}

/** Each exclude pattern as ingest compiles it (with its word boundaries), not only as written. */
export function patternProblems(file: string, config: ClientConfig): ValidationProblem[] {
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
  /** client file -> its catalog file */
  catalogOf: Map<string, string>;
  problems: ValidationProblem[];
}

async function expand(paths: readonly string[]): Promise<Targets> {
  const t: Targets = { clients: [], catalogs: [], catalogOf: new Map(), problems: [] };
  const addCatalog = (file: string) => {
    if (!t.catalogs.includes(file)) t.catalogs.push(file);
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
  const problems = [...targets.problems];
  const catalogs = new Map<string, SourceCatalog>();
  for (const file of targets.catalogs) {
    const result = parseSourceCatalog(file, await readFile(file, "utf8"));
    if (result.ok) {
      catalogs.set(file, result.catalog);
      problems.push(...selectorProblems(file, result.catalog));
    } else problems.push(...result.problems);
  }
  const unreferenced: string[] = [];
  for (const file of targets.clients) {
    if (clientIdFromKey(`clients/${basename(file)}`) === null) {
      problems.push({ file, path: "", message: "file name is not a valid client id ({client_id}.yaml)" });
    }
    const result = parseClientConfig(file, await readFile(file, "utf8"));
    if (!result.ok) {
      problems.push(...result.problems);
      continue;
    }
    problems.push(...patternProblems(file, result.config));
    const catalogFile = targets.catalogOf.get(file);
    const catalog = catalogFile ? catalogs.get(catalogFile) : undefined;
    if (catalog) problems.push(...referenceProblems(file, result.config, catalog));
    else if (!catalogFile) unreferenced.push(file);
  }
  return { files: [...targets.catalogs, ...targets.clients], problems, unreferenced };
}
