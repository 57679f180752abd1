import { stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { UsageError } from "./usage-error.ts";

/** Where `demo` keeps its data, and where `history` and `rerun` look when no --data is given. */
export const DEMO_DATA_DIR = join(import.meta.dirname, "..", ".vectora", "demo");

/** `--data DIR` when given, else the demo's data. */
export function dataDirOr(data: string | undefined): string {
  return resolve(data ?? DEMO_DATA_DIR);
}

/** The absolute path of a folder given with `flag`; a missing folder is a usage error. */
export async function requireDir(path: string, flag: string): Promise<string> {
  const full = resolve(path);
  const info = await stat(full).catch(() => null);
  if (!info?.isDirectory()) throw new UsageError(`${flag} ${path}: not a directory`);
  return full;
}
