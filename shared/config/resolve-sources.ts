import { ClientConfigInvalidError } from "../errors/workflow-errors.ts";
import type { ClientConfig } from "./client-config.ts";
import type { Source, SourceCatalog } from "./source-catalog.ts";
import { formatProblem, type ValidationProblem } from "./validation.ts";

export interface ResolvedSources {
  /** Sources to fetch, in the order the config names them, each once. */
  sources: Source[];
  /** Named but not fetched, with the reason (disabled in the catalog, or ingestion_mode none). */
  skipped: { source_key: string; reason: "disabled" | "no_ingestion" }[];
}

/** Problems of a client config against the catalog: unknown bouquet ids and unknown source keys. */
export function referenceProblems(
  file: string,
  config: ClientConfig,
  catalog: SourceCatalog,
): ValidationProblem[] {
  const keys = new Set(catalog.sources.map((s) => s.source_key));
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

/**
 * Bouquets first, then extra sources, each source once. A reference the catalog does not know fails the
 * client (a typo must not quietly shrink a newsletter's coverage).
 */
export function resolveSources(file: string, config: ClientConfig, catalog: SourceCatalog): ResolvedSources {
  const problems = referenceProblems(file, config, catalog);
  if (problems.length > 0) throw new ClientConfigInvalidError(problems.map(formatProblem).join("; "));
  const byKey = new Map(catalog.sources.map((s) => [s.source_key, s]));
  const bouquets = new Map(catalog.bouquets.map((b) => [b.bouquet_id, b]));
  const keys = [
    ...config.source_config.source_bouquets_enabled.flatMap((id) => bouquets.get(id)?.source_keys ?? []),
    ...config.source_config.sources_extra_enabled,
  ];
  const resolved: ResolvedSources = { sources: [], skipped: [] };
  for (const key of new Set(keys)) {
    const source = byKey.get(key);
    if (!source) continue;
    if (!source.enabled) resolved.skipped.push({ source_key: key, reason: "disabled" });
    else if (source.ingestion_mode === "none")
      resolved.skipped.push({ source_key: key, reason: "no_ingestion" });
    else resolved.sources.push(source);
  }
  return resolved;
}
