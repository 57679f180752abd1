import yaml from "js-yaml";
import type { ValidationProblem } from "./validation.ts";

/** Config files are small; a larger one is a mistake or an attack, refused before parsing. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * YAML aliases share nodes, so a small file can stand for an exponentially large document ("billion
 * laughs"); everything downstream walks the expanded tree. The expansion is counted with an early exit.
 */
export const MAX_CONFIG_NODES = 100_000;
const MAX_CONFIG_DEPTH = 64;

function exceedsExpansion(value: unknown): string | null {
  let nodes = 0;
  const walk = (v: unknown, depth: number): string | null => {
    nodes++;
    if (nodes > MAX_CONFIG_NODES) return `expands to more than ${MAX_CONFIG_NODES} values (aliases)`;
    if (depth > MAX_CONFIG_DEPTH) return `nests deeper than ${MAX_CONFIG_DEPTH} levels`;
    if (v === null || typeof v !== "object") return null;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      const problem = walk(child, depth + 1);
      if (problem) return problem;
    }
    return null;
  };
  return walk(value, 0);
}

export type YamlResult = { ok: true; value: unknown } | { ok: false; problem: ValidationProblem };

/** Parses YAML with the JSON-compatible schema only (no custom tags, no code), refusing oversize files. */
export function parseYamlFile(file: string, text: string): YamlResult {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_CONFIG_BYTES) {
    return {
      ok: false,
      problem: { file, path: "", message: `file is ${bytes} bytes, over the ${MAX_CONFIG_BYTES}-byte limit` },
    };
  }
  try {
    const value = yaml.load(text, { filename: file, schema: yaml.JSON_SCHEMA }) ?? {};
    const problem = exceedsExpansion(value);
    if (problem)
      return { ok: false, problem: { file, path: "", message: `refused: the document ${problem}` } };
    return { ok: true, value };
  } catch (err) {
    const message = err instanceof Error ? err.message.split("\n")[0] : String(err);
    return { ok: false, problem: { file, path: "", message: `invalid YAML: ${message}` } };
  }
}
