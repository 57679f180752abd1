import { existsSync } from "node:fs";
import { resolve } from "node:path";

/**
 * Material that lives outside the repository (the feed corpus, the seed configuration of the system this
 * project replaces) is found through an environment variable, never through a relative path: a user's
 * clone has neither folder. `.ci/run` sets both variables and fails when a folder is missing.
 */
export type ExternalMaterial = "VECTORA_CORPUS_DIR" | "VECTORA_SEED_CONFIG_DIR";

export interface ExternalDir {
  /** Absolute path, or null when the variable is unset or names no folder. */
  dir: string | null;
  /** Why tests that need it are skipped; shown in the test's name. */
  skipReason: string;
}

export function externalDir(variable: ExternalMaterial, env: NodeJS.ProcessEnv = process.env): ExternalDir {
  const value = env[variable];
  if (!value) return { dir: null, skipReason: `skipped: ${variable} is not set` };
  const dir = resolve(value);
  if (!existsSync(dir)) return { dir: null, skipReason: `skipped: ${variable}=${value} does not exist` };
  return { dir, skipReason: "" };
}

/**
 * A suite title that carries the skip reason, and a line in the runner's output that says it, since the
 * default reporter names a skipped file but not why.
 */
export function titled(title: string, material: ExternalDir): string {
  if (material.dir) return title;
  console.warn(`${title}: ${material.skipReason}`);
  return `${title} (${material.skipReason})`;
}
