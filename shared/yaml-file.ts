import yaml from "js-yaml";
import type { ValidationProblem } from "./validation.ts";

/** Config files are small; a larger one is a mistake or an attack, refused before parsing. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

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
    return { ok: true, value: yaml.load(text, { filename: file, schema: yaml.JSON_SCHEMA }) ?? {} };
  } catch (err) {
    const message = err instanceof Error ? err.message.split("\n")[0] : String(err);
    return { ok: false, problem: { file, path: "", message: `invalid YAML: ${message}` } };
  }
}
