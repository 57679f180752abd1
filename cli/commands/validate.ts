import { join, relative } from "node:path";
import { formatProblem } from "../../shared/config/validation.ts";
import { probeFetcher, probeSite } from "../../shared/probe/probe-site.ts";
import { defineCommand } from "../command.ts";
import type { Io } from "../io.ts";
import { type ValidationReport, validateConfigPaths } from "../validate-configs.ts";

const DEFAULT_CONFIGS_DIR = join(import.meta.dirname, "..", "..", "examples", "configs");

/**
 * Proposes a listing for each enabled source that has only a homepage, as `vectora probe` does. It never
 * writes the catalog: the proposal is printed for the user to paste, or not.
 */
async function probeHomepages(report: ValidationReport, allowPrivateNetwork: boolean, io: Io): Promise<void> {
  const fetcher = probeFetcher(allowPrivateNetwork);
  try {
    for (const source of report.homepageOnly) {
      const probed = await probeSite(source.homepage_url, fetcher);
      const best = probed.best;
      io.out(
        best
          ? `probe ${source.source_key}: ${best.url} (${best.kind}; ${best.why})`
          : `probe ${source.source_key}: nothing usable from ${source.homepage_url} (${probed.requests} requests)`,
      );
      if (probed.catalogEntry) io.out(probed.catalogEntry);
      else for (const attempt of probed.tried) io.out(`  ${attempt.url} [${attempt.how}]: ${attempt.result}`);
    }
  } finally {
    fetcher.close();
  }
}

/** Errors (what cannot run) exit 1; warnings (what runs anyway, or is ignored) are printed either way. */
async function validatePaths(
  paths: readonly string[],
  options: { probe: boolean; allowPrivateNetwork: boolean },
  io: Io,
): Promise<number> {
  const report = await validateConfigPaths(
    paths.length > 0 ? paths : [relative(process.cwd(), DEFAULT_CONFIGS_DIR) || "."],
  );
  if (options.probe) await probeHomepages(report, options.allowPrivateNetwork, io);
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
  usage: ["[DIR|FILE...] [--probe] [--allow-private-network]"],
  description: [
    "Check client configs, the source catalog and html_extractors.yaml (schema, bouquet and source",
    "references, CSS selectors, regexes). Errors (what cannot run) exit 1; warnings (what runs anyway or is",
    "ignored) are printed either way. DIR is laid out like the config bucket; default examples/configs.",
    "--probe proposes a listing for every enabled source that has only a homepage (never writes the catalog).",
  ],
  options: {
    probe: { type: "boolean", default: false },
    "allow-private-network": { type: "boolean", default: false },
  },
  positionals: "any",
  handler: ({ positionals, values }, io) =>
    validatePaths(
      positionals,
      { probe: values.probe, allowPrivateNetwork: values["allow-private-network"] },
      io,
    ),
});
