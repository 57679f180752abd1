import { ClientConfigInvalidError } from "../errors/workflow-errors.ts";
import type { ClientConfig } from "./client-config.ts";
import type { HtmlExtractors } from "./html-extractors.ts";
import type { Source, SourceCatalog } from "./source-catalog.ts";
import { formatProblem, type ValidationProblem } from "./validation.ts";

/** A source a client names that cannot run; it fails alone with the outcome `config_invalid`. */
export interface MisconfiguredSource {
  source_key: string;
  /** Names the file, the entry and the field. */
  message: string;
}

export interface ResolvedSources {
  /** Sources to fetch, in the order the config names them, each once, with their selectors merged in. */
  sources: Source[];
  misconfigured: MisconfiguredSource[];
  /** Named but not fetched, with the reason (disabled in the catalog, or ingestion_mode none). */
  skipped: { source_key: string; reason: "disabled" | "no_ingestion" }[];
}

function knownKeys(catalog: SourceCatalog): Set<string> {
  return new Set([...catalog.sources.map((s) => s.source_key), ...catalog.invalid.keys()]);
}

/** Problems of a client config against the catalog: unknown bouquet ids and unknown source keys. */
export function referenceProblems(
  file: string,
  config: ClientConfig,
  catalog: SourceCatalog,
): ValidationProblem[] {
  const keys = knownKeys(catalog);
  const bouquets = new Set(catalog.bouquets.map((b) => b.bouquet_id));
  const problems: ValidationProblem[] = [];
  config.source_config.source_bouquets_enabled.forEach((id, i) => {
    if (!bouquets.has(id)) {
      problems.push({
        file,
        path: `source_config.source_bouquets_enabled.${i}`,
        message: `unknown bouquet '${id}'`,
      });
    }
  });
  config.source_config.sources_extra_enabled.forEach((key, i) => {
    if (!keys.has(key)) {
      problems.push({
        file,
        path: `source_config.sources_extra_enabled.${i}`,
        message: `unknown source '${key}'`,
      });
    }
  });
  return problems;
}

const NO_EXTRACTORS: HtmlExtractors = { bySource: new Map(), invalid: new Map(), defaultMaxItems: undefined };

/** The catalog's inline `html:` block wins over html_extractors.yaml; max_items likewise. */
function withExtractor(
  source: Source,
  extractors: HtmlExtractors,
): { source: Source } | { misconfigured: MisconfiguredSource } {
  if (source.ingestion_mode !== "html" || source.html) return { source };
  const problems = extractors.invalid.get(source.source_key);
  if (problems) {
    return {
      misconfigured: { source_key: source.source_key, message: problems.map(formatProblem).join("; ") },
    };
  }
  const extraction = extractors.bySource.get(source.source_key);
  const maxItems = source.max_items ?? extraction?.max_items ?? extractors.defaultMaxItems;
  return {
    source: {
      ...source,
      ...(extraction ? { html: extraction.html } : {}),
      ...(maxItems ? { max_items: maxItems } : {}),
    },
  };
}

function bouquetMember(bouquetId: string, key: string): MisconfiguredSource {
  return {
    source_key: key,
    message: `bouquet '${bouquetId}' lists source '${key}', which the catalog does not define`,
  };
}

/**
 * Bouquets first, then extra sources, each source once. A reference in the client config that the catalog
 * does not know fails the client (a typo must not quietly shrink a newsletter's coverage); a catalog entry
 * that cannot run fails that source alone.
 */
export function resolveSources(
  file: string,
  config: ClientConfig,
  catalog: SourceCatalog,
  extractors: HtmlExtractors = NO_EXTRACTORS,
): ResolvedSources {
  const problems = referenceProblems(file, config, catalog);
  if (problems.length > 0) throw new ClientConfigInvalidError(problems.map(formatProblem).join("; "));
  const byKey = new Map(catalog.sources.map((s) => [s.source_key, s]));
  const bouquets = new Map(catalog.bouquets.map((b) => [b.bouquet_id, b]));
  const named = [
    ...config.source_config.source_bouquets_enabled.flatMap((id) =>
      (bouquets.get(id)?.source_keys ?? []).map((key) => ({ key, bouquet: id as string | null })),
    ),
    ...config.source_config.sources_extra_enabled.map((key) => ({ key, bouquet: null })),
  ];
  const resolved: ResolvedSources = { sources: [], misconfigured: [], skipped: [] };
  const done = new Set<string>();
  for (const { key, bouquet } of named) {
    if (done.has(key)) continue;
    done.add(key);
    resolveOne(key, bouquet, byKey, catalog, extractors, resolved);
  }
  return resolved;
}

function resolveOne(
  key: string,
  bouquet: string | null,
  byKey: Map<string, Source>,
  catalog: SourceCatalog,
  extractors: HtmlExtractors,
  resolved: ResolvedSources,
): void {
  const invalid = catalog.invalid.get(key);
  if (invalid) {
    resolved.misconfigured.push({ source_key: key, message: invalid.map(formatProblem).join("; ") });
    return;
  }
  const source = byKey.get(key);
  if (!source) {
    if (bouquet !== null) resolved.misconfigured.push(bouquetMember(bouquet, key));
    return;
  }
  if (!source.enabled) resolved.skipped.push({ source_key: key, reason: "disabled" });
  else if (source.ingestion_mode === "none")
    resolved.skipped.push({ source_key: key, reason: "no_ingestion" });
  else {
    const merged = withExtractor(source, extractors);
    if ("misconfigured" in merged) resolved.misconfigured.push(merged.misconfigured);
    else resolved.sources.push(merged.source);
  }
}
