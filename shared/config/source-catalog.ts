import * as z from "zod";
import { CatalogInvalidError } from "../errors/workflow-errors.ts";
import { type Source, SourceSchema, withoutEmptyStrings } from "./source-entry.ts";
import { type ValidationProblem, zodProblems } from "./validation.ts";
import { parseYamlFile } from "./yaml-file.ts";

export { CATALOG_KEY } from "../store/keys.ts";
export type { HtmlSelectors, Source } from "./source-entry.ts";
export { DateSelectorSchema, HtmlSelectorsSchema, SourceSchema } from "./source-entry.ts";

export const BouquetSchema = z.looseObject({
  bouquet_id: z.string().min(1),
  name: z.string().optional(),
  source_keys: z.array(z.string().min(1)),
});
export type Bouquet = z.infer<typeof BouquetSchema>;

/** The file's shape, for the generated JSON Schema that editors check YAML with. */
export const SourceCatalogSchema = z.looseObject({
  sources: z.array(SourceSchema),
  bouquets: z.array(BouquetSchema).default([]),
});

/**
 * The catalog as ingestion uses it. Real catalogs are dirty, so reading never fails on one entry: an
 * entry that cannot run is kept aside in `invalid` (its sources fail alone, `config_invalid`), and what can
 * run runs.
 */
export interface SourceCatalog {
  /** Runnable entries; the first of each source_key. */
  sources: Source[];
  bouquets: Bouquet[];
  /** source_key -> why the entry cannot run (file, entry and field named). */
  invalid: Map<string, ValidationProblem[]>;
}

export interface CatalogReading {
  catalog: SourceCatalog;
  /** Entries that cannot run. */
  errors: ValidationProblem[];
  /** Entries that run anyway, or are ignored: misplaced, duplicated, disabled with bad fields. */
  warnings: ValidationProblem[];
}

export type CatalogResult = ({ ok: true } & CatalogReading) | { ok: false; problems: ValidationProblem[] };

const TopLevelSchema = z.looseObject({
  sources: z.array(z.unknown()).default([]),
  bouquets: z.array(z.unknown()).nullable().default([]),
});

function keyOf(entry: unknown): string | null {
  if (entry === null || typeof entry !== "object") return null;
  const key = (entry as Record<string, unknown>).source_key;
  return typeof key === "string" && key.trim() !== "" ? key : null;
}

function isDisabled(entry: unknown): boolean {
  return entry !== null && typeof entry === "object" && (entry as Record<string, unknown>).enabled === false;
}

/** Reads catalog entries one by one into `reading`, first key wins. */
class CatalogReader {
  readonly reading: CatalogReading = {
    catalog: { sources: [], bouquets: [], invalid: new Map() },
    errors: [],
    warnings: [],
  };
  readonly #seen = new Set<string>();

  constructor(readonly file: string) {}

  source(entry: unknown, path: string): void {
    const key = keyOf(entry);
    if (key !== null && this.#seen.has(key)) {
      this.#warn(
        `${path}.source_key`,
        `duplicate source_key '${key}': the first entry is used, this one ignored`,
      );
      return;
    }
    if (key !== null) this.#seen.add(key);
    const parsed = SourceSchema.safeParse(withoutEmptyStrings(entry));
    if (parsed.success) {
      this.reading.catalog.sources.push(parsed.data);
      return;
    }
    const problems = zodProblems(this.file, parsed.error).map((p) => ({
      ...p,
      path: p.path ? `${path}.${p.path}` : path,
      message: key === null ? p.message : `${p.message} (source '${key}')`,
    }));
    if (isDisabled(entry)) this.reading.warnings.push(...problems);
    else this.reading.errors.push(...problems);
    if (key !== null) this.reading.catalog.invalid.set(key, problems);
  }

  bouquet(entry: unknown, path: string): void {
    if (keyOf(entry) !== null && !(entry as Record<string, unknown>).bouquet_id) {
      this.#warn(path, "a source entry placed under bouquets: read as a source");
      this.source(entry, path);
      return;
    }
    const parsed = BouquetSchema.safeParse(entry);
    if (!parsed.success) {
      this.reading.errors.push(
        ...zodProblems(this.file, parsed.error).map((p) => ({
          ...p,
          path: p.path ? `${path}.${p.path}` : path,
        })),
      );
      return;
    }
    this.reading.catalog.bouquets.push({
      ...parsed.data,
      source_keys: this.#distinctKeys(parsed.data, path),
    });
  }

  /** Bouquet keys the catalog does not define: warned here, and each fails alone in the clients using it. */
  checkBouquetKeys(): void {
    const known = new Set([...this.#seen]);
    this.reading.catalog.bouquets.forEach((bouquet) => {
      for (const key of bouquet.source_keys) {
        if (!known.has(key)) {
          this.#warn(
            `bouquets.${bouquet.bouquet_id}`,
            `lists unknown source_key '${key}': that source fails alone`,
          );
        }
      }
    });
  }

  #distinctKeys(bouquet: Bouquet, path: string): string[] {
    const keys = new Set<string>();
    bouquet.source_keys.forEach((key, j) => {
      if (keys.has(key)) this.#warn(`${path}.source_keys.${j}`, `'${key}' is listed twice in the bouquet`);
      keys.add(key);
    });
    return [...keys];
  }

  #warn(path: string, message: string): void {
    this.reading.warnings.push({ file: this.file, path, message });
  }
}

/** Fails only when the file cannot be read as a catalog at all (not YAML, no list of sources). */
export function parseSourceCatalog(file: string, text: string): CatalogResult {
  const yaml = parseYamlFile(file, text);
  if (!yaml.ok) return { ok: false, problems: [yaml.problem] };
  const top = TopLevelSchema.safeParse(yaml.value ?? {});
  if (!top.success) return { ok: false, problems: zodProblems(file, top.error) };
  const reader = new CatalogReader(file);
  top.data.sources.forEach((entry, i) => {
    reader.source(entry, `sources.${i}`);
  });
  (top.data.bouquets ?? []).forEach((entry, i) => {
    reader.bouquet(entry, `bouquets.${i}`);
  });
  reader.checkBouquetKeys();
  return { ok: true, ...reader.reading };
}

export function loadSourceCatalog(file: string, text: string): CatalogReading {
  const result = parseSourceCatalog(file, text);
  if (!result.ok) {
    const detail = result.problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join("; ");
    throw new CatalogInvalidError(`${file}: ${detail}`);
  }
  return result;
}
