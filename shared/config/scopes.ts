import { termProblem } from "../filter/term-matcher.ts";
import { SCOPES_PREFIX } from "../store/keys.ts";
import { formatPath } from "./problem-path.ts";
import type { ValidationProblem } from "./validation.ts";
import { parseYamlFile } from "./yaml-file.ts";

const SCOPE_FILE = /^([^/]+)\.ya?ml$/;

/** `canonical/scopes/exclusion_scopes.yaml` -> `exclusion_scopes`; anything else -> null. */
export function scopeFileStem(file: string): string | null {
  const name = file.startsWith(SCOPES_PREFIX) ? file.slice(SCOPES_PREFIX.length) : file.split("/").at(-1);
  return SCOPE_FILE.exec(name ?? "")?.[1] ?? null;
}

/** One list of terms, found at `path` (keys from the top of `file`). */
export interface ScopeList {
  file: string;
  path: readonly string[];
  terms: readonly string[];
}

export interface ScopeFile {
  file: string;
  stem: string;
  /** Term lists by dotted path (`hr_content`, `lai_keywords.core_phrases`). */
  lists: Map<string, ScopeList>;
  /** Dotted paths of mappings that hold lists (`lai_keywords`), to explain a reference to one. */
  groups: Map<string, string[]>;
}

/** The scope files of a run. Build it with `parseScopeFiles`, query it with `resolveScope`. */
export interface ScopeCatalog {
  files: ReadonlyMap<string, ScopeFile>;
}

export interface ScopeFileText {
  file: string;
  text: string;
}

/** A key starting with `_` (`_metadata`) describes its siblings and holds no terms. */
function isMetadataKey(key: string): boolean {
  return key.startsWith("_");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readTerms(file: string, path: string[], items: unknown[], problems: ValidationProblem[]): string[] {
  const terms: string[] = [];
  items.forEach((item, i) => {
    const at = formatPath([...path, i]);
    if (typeof item !== "string") {
      problems.push({ file, path: at, message: `expected a term (text), got ${JSON.stringify(item)}` });
      return;
    }
    const problem = termProblem(item);
    if (problem) problems.push({ file, path: at, message: `term ${JSON.stringify(item)} ${problem}` });
    else terms.push(item);
  });
  return terms;
}

/**
 * Walks a scope file: a list (or an empty `key:`) is a scope, a mapping groups scopes under its key. Any
 * other value is reported and skipped, the rest of the file still counts.
 */
function walkScopes(
  scopeFile: ScopeFile,
  node: Record<string, unknown>,
  path: string[],
  problems: ValidationProblem[],
): void {
  const { file } = scopeFile;
  for (const [key, value] of Object.entries(node)) {
    if (isMetadataKey(key)) continue;
    const here = [...path, key];
    const dotted = here.join(".");
    if (Array.isArray(value) || value === null) {
      const terms = readTerms(file, here, value ?? [], problems);
      scopeFile.lists.set(dotted, { file, path: here, terms });
    } else if (isRecord(value)) {
      scopeFile.groups.set(
        dotted,
        Object.keys(value).filter((k) => !isMetadataKey(k)),
      );
      walkScopes(scopeFile, value, here, problems);
    } else {
      problems.push({
        file,
        path: formatPath(here),
        message: "expected a list of terms or a mapping of lists",
      });
    }
  }
}

function parseScopeFile(input: ScopeFileText, stem: string, problems: ValidationProblem[]): ScopeFile | null {
  const parsed = parseYamlFile(input.file, input.text);
  if (!parsed.ok) {
    problems.push(parsed.problem);
    return null;
  }
  const scopeFile: ScopeFile = { file: input.file, stem, lists: new Map(), groups: new Map() };
  if (!isRecord(parsed.value)) {
    problems.push({ file: input.file, path: "", message: "expected a mapping of scope names to term lists" });
    return scopeFile;
  }
  walkScopes(scopeFile, parsed.value, [], problems);
  return scopeFile;
}

/** Parses every scope file; a broken file or entry is reported and the rest is still usable. */
export function parseScopeFiles(inputs: readonly ScopeFileText[]): {
  catalog: ScopeCatalog;
  problems: ValidationProblem[];
} {
  const problems: ValidationProblem[] = [];
  const files = new Map<string, ScopeFile>();
  for (const input of inputs) {
    const stem = scopeFileStem(input.file);
    if (stem === null) {
      problems.push({ file: input.file, path: "", message: "a scope file must be named <name>.yaml" });
      continue;
    }
    if (files.has(stem)) {
      problems.push({ file: input.file, path: "", message: `a second scope file named "${stem}"` });
      continue;
    }
    const scopeFile = parseScopeFile(input, stem, problems);
    if (scopeFile) files.set(stem, scopeFile);
  }
  return { catalog: { files }, problems };
}

export type ScopeResolution = { ok: true; scope: ScopeList } | { ok: false; message: string };

function groupMessage(name: string, members: readonly string[]): string {
  return `scope "${name}" is a group of scopes (${members.join(", ")}): name one, e.g. "${name}.${members[0] ?? "key"}"`;
}

function lookupIn(scopeFile: ScopeFile, path: string): ScopeResolution | null {
  const list = scopeFile.lists.get(path);
  if (list) return { ok: true, scope: list };
  const members = scopeFile.groups.get(path);
  return members ? { ok: false, message: groupMessage(path, members) } : null;
}

/**
 * How a profile's scope name finds its terms:
 * 1. `file_stem.path`: when the first segment is a scope file's name (`exclusion_scopes.hr_content` is
 *    `hr_content` in exclusion_scopes.yaml), the rest is looked up in that file only;
 * 2. otherwise the whole dotted path is looked up in every scope file (`lai_companies_global`, or
 *    `lai_keywords.core_phrases`, the list `core_phrases` under the mapping `lai_keywords`), and it must be
 *    found in exactly one.
 * The name must end on a list: a mapping such as `lai_keywords` holds several scopes and is refused.
 */
export function resolveScope(catalog: ScopeCatalog, name: string): ScopeResolution {
  const [first, ...rest] = name.split(".");
  const byStem = first === undefined ? undefined : catalog.files.get(first);
  if (byStem && rest.length > 0) {
    return lookupIn(byStem, rest.join(".")) ?? { ok: false, message: `unknown scope "${name}"` };
  }
  const found = [...catalog.files.values()]
    .map((f) => ({ file: f.file, result: lookupIn(f, name) }))
    .filter((r): r is { file: string; result: ScopeResolution } => r.result !== null);
  if (found.length > 1) {
    const where = found.map((f) => f.file).join(", ");
    return { ok: false, message: `scope "${name}" is ambiguous: it is defined in ${where}` };
  }
  return found[0]?.result ?? { ok: false, message: `unknown scope "${name}"` };
}

/** A key naming the list itself, the same for every spelling of a reference to it. */
export function scopeKey(scope: ScopeList): string {
  return `${scope.file}#${scope.path.join(".")}`;
}
