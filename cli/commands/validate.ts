import { join, relative } from "node:path";
import { formatProblem } from "../../shared/config/validation.ts";
import { defineCommand } from "../command.ts";
import type { Io } from "../io.ts";
import { validateConfigPaths } from "../validate-configs.ts";

const DEFAULT_CONFIGS_DIR = join(import.meta.dirname, "..", "..", "examples", "configs");

/** Errors (what cannot run) exit 1; warnings (what runs anyway, or is ignored) are printed either way. */
async function validatePaths(paths: readonly string[], io: Io): Promise<number> {
  const report = await validateConfigPaths(
    paths.length > 0 ? paths : [relative(process.cwd(), DEFAULT_CONFIGS_DIR) || "."],
  );
  for (const problem of report.problems) io.out(formatProblem(problem));
  for (const warning of report.warnings) io.out(`warning: ${formatProblem(warning)}`);
  for (const file of report.unreferenced) {
    io.err(`${file}: no source catalog found next to it: bouquet and source references not checked`);
  }
  const warnings = report.warnings.length > 0 ? `, ${report.warnings.length} warning(s)` : "";
  if (report.problems.length > 0) {
    io.err(`${report.problems.length} error(s)${warnings} in ${report.files.length} file(s)`);
    return 1;
  }
  io.out(`${report.files.length} files OK${warnings}`);
  return 0;
}

export const validate = defineCommand({
  name: "validate",
  usage: ["[DIR|FILE...]"],
  description: [
    "Check client configs, the source catalog and html_extractors.yaml (schema, bouquet and source",
    "references, CSS selectors, regexes). Errors (what cannot run) exit 1; warnings (what runs anyway or is",
    "ignored) are printed either way. DIR is laid out like the config bucket; default examples/configs.",
  ],
  options: {},
  positionals: "any",
  handler: ({ positionals }, io) => validatePaths(positionals, io),
});
