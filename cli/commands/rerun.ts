import type { ExecutionInput } from "../../shared/workflow/execution-input.ts";
import { defineCommand } from "../command.ts";
import { dataDirOr, requireDir } from "../data-dirs.ts";
import { stateMachineArnOf } from "../execution-arn.ts";
import { historyReport } from "../history-report.ts";
import { loadHistory } from "../history-source.ts";
import type { Io } from "../io.ts";
import { type JSONValue, runLocal } from "../local/run-local.ts";
import { printRunResult, progressLines } from "../local/run-report.ts";
import { rerunInputOf } from "../rerun-input.ts";
import { sfnClientFor } from "../sfn-client.ts";
import { startExecution } from "../start-execution.ts";
import { UsageError } from "../usage-error.ts";

interface LocalRerun {
  configs: string | undefined;
  dataDir: string;
  allowPrivateNetwork: boolean;
  json: boolean;
}

function announce(input: ExecutionInput, asJson: boolean, io: Io): void {
  if (!asJson) io.out(`re-running ${input.client_ids?.join(", ")} with input ${JSON.stringify(input)}`);
}

async function rerunOnAws(
  executionArn: string,
  input: ExecutionInput,
  asJson: boolean,
  io: Io,
): Promise<number> {
  const stateMachineArn = stateMachineArnOf(executionArn);
  if (!stateMachineArn) throw new UsageError(`${executionArn}: not an execution ARN`);
  announce(input, asJson, io);
  await startExecution(stateMachineArn, input, undefined, asJson, io);
  return 0;
}

/** Runs the input as `vectora run` does, in the same data folder as the execution it re-runs. */
async function rerunLocally(input: ExecutionInput, opts: LocalRerun, io: Io): Promise<number> {
  if (!opts.configs) throw new UsageError("rerun of a local execution needs --configs DIR (and --data DIR)");
  announce(input, opts.json, io);
  const configsDir = await requireDir(opts.configs, "--configs");
  const result = await runLocal({
    configsDir,
    dataDir: opts.dataDir,
    input: input as JSONValue,
    allowPrivateNetwork: opts.allowPrivateNetwork,
    onClientDone: progressLines(io, opts.json),
  });
  return printRunResult(result, opts.json, opts.dataDir, io);
}

export const rerun = defineCommand({
  name: "rerun",
  usage: ["EXECUTION [--data DIR --configs DIR] [--dry-print] [--json] [--allow-private-network]"],
  description: [
    "Re-run the failed clients of an execution over the same window with the same options: locally for a",
    "local execution (needs --configs), as a new execution for an ARN. --dry-print prints the input only.",
  ],
  options: {
    data: { type: "string" },
    configs: { type: "string" },
    "dry-print": { type: "boolean", default: false },
    "allow-private-network": { type: "boolean", default: false },
    json: { type: "boolean", default: false },
  },
  positionals: { exactlyOne: "EXECUTION" },
  async handler({ values, positionals: [execution = ""] }, io) {
    const dataDir = dataDirOr(values.data);
    const loaded = await loadHistory(execution, { dataDir, sfn: () => sfnClientFor(execution) });
    const report = historyReport(loaded.events, loaded.executionArn);
    if (report.status === "RUNNING") throw new UsageError(`${loaded.executionArn} is still running`);
    const input = rerunInputOf(report);
    if (!input) {
      io.out(`no failed client in ${loaded.executionArn}: nothing to re-run`);
      return 0;
    }
    if (values["dry-print"]) {
      io.out(JSON.stringify(input));
      return 0;
    }
    if (loaded.source === "aws") return rerunOnAws(loaded.executionArn, input, values.json, io);
    return rerunLocally(
      input,
      {
        configs: values.configs,
        dataDir,
        allowPrivateNetwork: values["allow-private-network"],
        json: values.json,
      },
      io,
    );
  },
});
