import "../shared/polyfills.ts";
import { stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { runDemo } from "./local/demo.ts";
import { type JSONValue, type LocalRunResult, localRuntime, runLocal } from "./local/run-local.ts";
import { LOCAL_DATA_BUCKET, startLocalS3 } from "./local/s3-server.ts";
import { storedItems } from "./local/stored-items.ts";
import { clientRows, formatClientTable } from "./run-report.ts";

/** Exit codes: 0 the execution succeeded (caught client failures included), 1 it failed, 2 usage/config. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

const HELP = `vectora — multi-client news ingestion (AWS Step Functions), runnable locally

Usage:
  vectora demo [--data DIR] [--json]
      Run the bundled example clients over recorded feeds and pages, offline.
  vectora run --configs DIR --data DIR [--input JSON] [--json] [--allow-private-network]
      Run statemachine/ingest.asl.json locally. DIR for --configs is laid out like the config bucket
      (clients/*.yaml, canonical/sources/source_catalog.yaml); --data holds the local S3 data and histories.
  vectora items --data DIR --client ID
      Print the stored items of a client as JSON Lines.

Exit status: 0 execution succeeded (even with failed clients), 1 execution failed, 2 usage or config error.`;

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  isTty: boolean;
}

function parseInput(raw: string | undefined): JSONValue {
  if (raw === undefined) return {};
  try {
    return JSON.parse(raw) as JSONValue;
  } catch (err) {
    throw new UsageError(`--input is not valid JSON: ${(err as Error).message}`);
  }
}

async function requireDir(path: string, flag: string): Promise<string> {
  const full = resolve(path);
  const info = await stat(full).catch(() => null);
  if (!info?.isDirectory()) throw new UsageError(`${flag} ${path}: not a directory`);
  return full;
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
  const rows = clientRows(result.history);
  if (rows.length > 0) io.out(formatClientTable(rows));
  if (result.status === "SUCCEEDED") {
    const summary = result.output as {
      run_id: string;
      status: string;
      totals: Record<string, number>;
      rerun_input: unknown;
    };
    const t = summary.totals;
    io.out(
      `\nrun ${summary.run_id}: ${summary.status} — ${t.clients_succeeded}/${t.clients} clients succeeded, ` +
        `${t.clients_skipped} skipped (inactive), ${t.items_new} new items, ` +
        `sources ok ${t.sources_ok}, not modified ${t.sources_not_modified}, failed ${t.sources_failed}`,
    );
    if (summary.rerun_input)
      io.out(`re-run the failed clients with input: ${JSON.stringify(summary.rerun_input)}`);
  } else {
    io.out(`\nexecution FAILED: ${result.error}: ${result.cause}`);
  }
  io.out(`data: ${dataDir}   history: ${result.historyFile}`);
  return result.status === "SUCCEEDED" ? 0 : 1;
}

function progress(io: Io, asJson: boolean) {
  if (asJson || !io.isTty) return undefined;
  return (r: { client_id: string; status: string; items_new?: number; duration_ms?: number }) =>
    io.err(
      `  ${r.client_id}: ${r.status}${r.items_new === undefined ? "" : `, ${r.items_new} new`}` +
        `${r.duration_ms === undefined ? "" : ` (${(r.duration_ms / 1000).toFixed(1)} s)`}`,
    );
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      configs: { type: "string" },
      data: { type: "string" },
      input: { type: "string" },
      json: { type: "boolean", default: false },
      "allow-private-network": { type: "boolean", default: false },
      client: { type: "string" },
    },
    strict: true,
  });
  switch (command) {
    case "demo": {
      const dataDir = resolve(values.data ?? join(import.meta.dirname, "..", ".vectora", "demo"));
      const result = await runDemo(dataDir, { onClientDone: progress(io, values.json) });
      return report(result, values.json, dataDir, io);
    }
    case "run": {
      if (!values.configs || !values.data) throw new UsageError("run needs --configs DIR and --data DIR");
      const configsDir = await requireDir(values.configs, "--configs");
      const dataDir = resolve(values.data);
      const result = await runLocal({
        configsDir,
        dataDir,
        input: parseInput(values.input),
        allowPrivateNetwork: values["allow-private-network"],
        onClientDone: progress(io, values.json),
      });
      return report(result, values.json, dataDir, io);
    }
    case "items": {
      if (!values.data || !values.client) throw new UsageError("items needs --data DIR and --client ID");
      const dataDir = await requireDir(values.data, "--data");
      const s3 = await startLocalS3(join(dataDir, "s3"));
      try {
        const rt = localRuntime(s3, {});
        for (const item of await storedItems(rt.store, LOCAL_DATA_BUCKET, values.client))
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
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      const usage =
        err instanceof UsageError || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
      io.err(`vectora: ${err instanceof Error ? err.message : String(err)}`);
      if (usage) io.err("run 'vectora help' for usage");
      process.exitCode = usage ? 2 : 1;
    },
  );
}
