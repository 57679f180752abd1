import "./polyfills.ts";
import { readFile, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ClientIdSchema } from "../shared/config/client-config.ts";
import { CATALOG_KEY, parseSourceCatalog } from "../shared/config/source-catalog.ts";
import { formatProblem } from "../shared/config/validation.ts";
import { InvalidInputError } from "../shared/errors/workflow-errors.ts";
import { history } from "./commands/history.ts";
import { rerun } from "./commands/rerun.ts";
import { start } from "./commands/start.ts";
import { validate } from "./commands/validate.ts";
import { formatHistoryReport, historyReport } from "./history-report.ts";
import { executionInputFrom } from "./input-arg.ts";
import type { Io } from "./io.ts";
import { runDemo } from "./local/demo.ts";
import {
  type ClientDone,
  type JSONValue,
  type LocalRunResult,
  localRuntime,
  runLocal,
} from "./local/run-local.ts";
import { LOCAL_DATA_BUCKET, startLocalS3 } from "./local/s3-server.ts";
import { storedItems } from "./local/stored-items.ts";
import { UsageError } from "./usage-error.ts";

export type { Io } from "./io.ts";
export { UsageError } from "./usage-error.ts";

/** Where `demo` keeps its data, and where `history` and `rerun` look when no --data is given. */
const DEMO_DATA_DIR = join(import.meta.dirname, "..", ".vectora", "demo");

const HELP = `vectora — multi-client news ingestion (AWS Step Functions), runnable locally

Usage:
  vectora demo [--data DIR] [--json]
      Run the bundled example clients over recorded feeds and pages, offline.
  vectora run --configs DIR --data DIR [--client ID ...] [--input JSON] [--json] [--allow-private-network]
      Run statemachine/ingest.asl.json locally. DIR for --configs is laid out like the config bucket
      (clients/*.yaml, canonical/sources/source_catalog.yaml); --data holds the local S3 data and histories.
  vectora items --data DIR --client ID
      Print the stored items of a client as JSON Lines.
  vectora validate [DIR|FILE...]
      Check client configs and the source catalog (schema, bouquet and source references, duplicate
      source keys, CSS selectors, regexes). DIR is laid out like the config bucket; default examples/configs.
  vectora start [--client ID ...] [--input JSON] [--state-machine-arn ARN] [--outputs-file FILE] [--env ENV]
                [--name NAME] [--json]
      Start an execution of the deployed state machine (ARN from --state-machine-arn,
      VECTORA_STATE_MACHINE_ARN, or StateMachineArn in cdk-outputs.json); the input is validated first.
  vectora history EXECUTION [--data DIR] [--json]
      One row per client (status, duration, retries, sources, new items, error and cause) and the run
      totals. EXECUTION: an execution ARN (AWS), or a local execution name, run id or "latest" (in --data,
      default .vectora/demo).
  vectora rerun EXECUTION [--data DIR --configs DIR] [--dry-print] [--json] [--allow-private-network]
      Re-run the failed clients of an execution over the same window with the same options: locally for a
      local execution (needs --configs), as a new execution for an ARN. --dry-print prints the input only.

Exit status: 0 ok (an execution that succeeded, even with failed clients), 1 failure (an execution or a
file that failed), 2 usage or config error.`;

async function requireDir(path: string, flag: string): Promise<string> {
  const full = resolve(path);
  const info = await stat(full).catch(() => null);
  if (!info?.isDirectory()) throw new UsageError(`${flag} ${path}: not a directory`);
  return full;
}

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

function report(result: LocalRunResult, asJson: boolean, dataDir: string, io: Io): number {
  if (asJson) {
    io.out(
      JSON.stringify(
        result.status === "SUCCEEDED"
          ? result.output
          : {
              status: result.status,
              error: result.error,
              cause: result.cause,
              executionArn: result.executionArn,
            },
      ),
    );
    return result.status === "SUCCEEDED" ? 0 : 1;
  }
  io.out(formatHistoryReport(historyReport(result.history, result.executionArn)));
  io.out(`data: ${dataDir}   history: ${result.historyFile}`);
  return result.status === "SUCCEEDED" ? 0 : 1;
}

function progress(io: Io, asJson: boolean) {
  if (asJson || !io.isTty) return undefined;
  return (r: ClientDone) =>
    io.err(
      `  ${r.client_id}: ${r.status}` +
        `${r.items_new === undefined ? "" : `, ${r.items_new} new`}` +
        `${r.error === undefined ? "" : `, ${r.error}`}` +
        `${r.duration_ms === undefined ? "" : ` (${(r.duration_ms / 1000).toFixed(1)} s)`}`,
    );
}

/** The new commands parse their own options; `run`, `demo` and `items` keep theirs. */
async function operations(command: string, args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      client: { type: "string", multiple: true },
      input: { type: "string" },
      "state-machine-arn": { type: "string" },
      "outputs-file": { type: "string" },
      env: { type: "string" },
      name: { type: "string" },
      data: { type: "string" },
      configs: { type: "string" },
      "dry-print": { type: "boolean", default: false },
      "allow-private-network": { type: "boolean", default: false },
      json: { type: "boolean", default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  const allowed: Record<string, string[]> = {
    start: ["client", "input", "state-machine-arn", "outputs-file", "env", "name", "json"],
    history: ["data", "json"],
    rerun: ["data", "configs", "dry-print", "allow-private-network", "json"],
    validate: [],
  };
  for (const [option, value] of Object.entries(values)) {
    if (value !== undefined && value !== false && !allowed[command]?.includes(option))
      throw new UsageError(`${command} takes no --${option}`);
  }
  const dataDir = resolve(values.data ?? DEMO_DATA_DIR);
  const one = (what: string) => {
    if (positionals.length !== 1) throw new UsageError(`${command} needs exactly one ${what}`);
    return positionals[0] as string;
  };
  switch (command) {
    case "start":
      if (positionals.length > 0) throw new UsageError(`start takes no argument '${positionals[0]}'`);
      return start(
        {
          clients: values.client ?? [],
          input: values.input,
          name: values.name,
          stateMachineArn: values["state-machine-arn"],
          outputsFile: values["outputs-file"],
          env: values.env,
          json: values.json,
        },
        io,
      );
    case "history":
      return history({ execution: one("EXECUTION"), dataDir, json: values.json }, io);
    case "rerun":
      return rerun(
        {
          execution: one("EXECUTION"),
          dataDir,
          configsDir: values.configs,
          dryPrint: values["dry-print"],
          json: values.json,
          runLocally: async (input, configsDir, runDataDir) => {
            await requireDir(configsDir, "--configs");
            const result = await runLocal({
              configsDir,
              dataDir: runDataDir,
              input: input as JSONValue,
              allowPrivateNetwork: values["allow-private-network"],
              onClientDone: progress(io, values.json),
            });
            return report(result, values.json, runDataDir, io);
          },
        },
        io,
      );
    default:
      return validate(positionals, io);
  }
}

/** Prints the error and returns the exit status: 2 for usage, input and config errors, 1 otherwise. */
function failed(err: unknown, io: Io): number {
  const usage =
    err instanceof UsageError ||
    err instanceof InvalidInputError ||
    Boolean((err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS"));
  const label = err instanceof InvalidInputError ? `${err.name}: ` : "";
  io.err(`vectora: ${label}${err instanceof Error ? err.message : String(err)}`);
  if (usage) io.err("run 'vectora help' for usage");
  return usage ? 2 : 1;
}

export async function main(argv: string[], io: Io): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (err) {
    return failed(err, io);
  }
}

async function dispatch(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "start" || command === "history" || command === "rerun" || command === "validate")
    return operations(command, rest, io);
  const { values } = parseArgs({
    args: rest,
    options: {
      configs: { type: "string" },
      data: { type: "string" },
      input: { type: "string" },
      json: { type: "boolean", default: false },
      "allow-private-network": { type: "boolean", default: false },
      client: { type: "string", multiple: true },
    },
    strict: true,
  });
  switch (command) {
    case "demo": {
      const dataDir = resolve(values.data ?? DEMO_DATA_DIR);
      const result = await runDemo(dataDir, { onClientDone: progress(io, values.json) });
      return report(result, values.json, dataDir, io);
    }
    case "run": {
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
        onClientDone: progress(io, values.json),
      });
      return report(result, values.json, dataDir, io);
    }
    case "items": {
      const [clientId, ...others] = values.client ?? [];
      if (!values.data || !clientId || others.length > 0) {
        throw new UsageError("items needs --data DIR and one --client ID");
      }
      if (!ClientIdSchema.safeParse(clientId).success)
        throw new UsageError(`--client ${clientId}: not a client id`);
      const dataDir = await requireDir(values.data, "--data");
      const s3 = await startLocalS3(join(dataDir, "s3"));
      try {
        const rt = localRuntime(s3, {});
        for (const item of await storedItems(rt.store, LOCAL_DATA_BUCKET, clientId))
          io.out(JSON.stringify(item));
      } finally {
        await s3.close();
      }
      return 0;
    }
    case undefined:
    case "help":
    case "--help":
      io.out(HELP);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

const invokedDirectly = process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename);
if (invokedDirectly) {
  const io: Io = {
    out: (t) => process.stdout.write(`${t}\n`),
    err: (t) => process.stderr.write(`${t}\n`),
    isTty: Boolean(process.stdout.isTTY),
  };
  main(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
