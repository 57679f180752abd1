import { join, relative } from "node:path";
import { formatProblem } from "../../shared/config/validation.ts";
import type { Io } from "../io.ts";
import { validateConfigPaths } from "../validate-configs.ts";

export const DEFAULT_CONFIGS_DIR = join(import.meta.dirname, "..", "..", "examples", "configs");

/** Exit status 1 when any file has a problem, 0 otherwise. */
export async function validate(paths: readonly string[], io: Io): Promise<number> {
  const report = await validateConfigPaths(
    paths.length > 0 ? paths : [relative(process.cwd(), DEFAULT_CONFIGS_DIR) || "."],
  );
  for (const problem of report.problems) io.out(formatProblem(problem));
  for (const file of report.unreferenced) {
    io.err(`${file}: no source catalog found next to it: bouquet and source references not checked`);
  }
  if (report.problems.length > 0) {
    io.err(`${report.problems.length} problem(s) in ${report.files.length} file(s)`);
    return 1;
  }
  io.out(`${report.files.length} files OK`);
  return 0;
}
