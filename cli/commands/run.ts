import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { CATALOG_KEY, parseSourceCatalog } from "../../shared/config/source-catalog.ts";
import { formatProblem } from "../../shared/config/validation.ts";
import { defineCommand } from "../command.ts";
import { requireDir } from "../data-dirs.ts";
import { executionInputFrom } from "../input-arg.ts";
import { runLocal } from "../local/run-local.ts";
import { printRunResult, progressLines } from "../local/run-report.ts";
import { UsageError } from "../usage-error.ts";

/**
 * Every client reads the catalog: a missing or invalid one is a configuration error of the whole folder
 * (exit 2), found before the run rather than as one failure per client.
 */
async function requireCatalog(configsDir: string): Promise<void> {
  const file = join(configsDir, ...CATALOG_KEY.split("/"));
  const text = await readFile(file, "utf8").catch(() => null);
  if (text === null) throw new UsageError(`--configs ${configsDir}: no ${CATALOG_KEY}`);
  const parsed = parseSourceCatalog(CATALOG_KEY, text);
  if (!parsed.ok) throw new UsageError(parsed.problems.map(formatProblem).join("\n"));
}

export const run = defineCommand({
  name: "run",
  usage: ["--configs DIR --data DIR [--client ID ...] [--input JSON] [--json] [--allow-private-network]"],
  description: [
    "Run statemachine/ingest.asl.json locally. DIR for --configs is laid out like the config bucket",
    "(clients/*.yaml, canonical/sources/source_catalog.yaml); --data holds the local S3 data and histories.",
  ],
  options: {
    configs: { type: "string" },
    data: { type: "string" },
    client: { type: "string", multiple: true },
    input: { type: "string" },
    json: { type: "boolean", default: false },
    "allow-private-network": { type: "boolean", default: false },
  },
  positionals: "none",
  async handler({ values }, io) {
    if (!values.configs || !values.data) throw new UsageError("run needs --configs DIR and --data DIR");
    const configsDir = await requireDir(values.configs, "--configs");
    const input = executionInputFrom(values.input, values.client ?? []);
    await requireCatalog(configsDir);
    const dataDir = resolve(values.data);
    const result = await runLocal({
      configsDir,
      dataDir,
      input,
      allowPrivateNetwork: values["allow-private-network"],
      onClientDone: progressLines(io, values.json),
    });
    return printRunResult(result, values.json, dataDir, io);
  },
});
