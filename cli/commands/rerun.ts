import { resolve } from "node:path";
import { stateMachineArnOf } from "../execution-arn.ts";
import { historyReport } from "../history-report.ts";
import { loadHistory } from "../history-source.ts";
import type { Io } from "../io.ts";
import { rerunInputOf } from "../rerun-input.ts";
import { sfnClientFor } from "../sfn-client.ts";
import { UsageError } from "../usage-error.ts";
import { startExecution } from "./start.ts";

export interface RerunOptions {
  execution: string;
  dataDir: string;
  configsDir?: string;
  dryPrint: boolean;
  json: boolean;
  /** Runs the input locally, as `vectora run` does; returns the exit status. */
  runLocally: (input: unknown, configsDir: string, dataDir: string) => Promise<number>;
}

/**
 * Re-runs the failed clients of an execution over the same window with the same options: locally for a local
 * execution, as a new AWS execution for an execution ARN.
 */
export async function rerun(opts: RerunOptions, io: Io): Promise<number> {
  const loaded = await loadHistory(opts.execution, {
    dataDir: opts.dataDir,
    sfn: () => sfnClientFor(opts.execution),
  });
  const report = historyReport(loaded.events, loaded.executionArn);
  if (report.status === "RUNNING") throw new UsageError(`${loaded.executionArn} is still running`);
  const input = rerunInputOf(report);
  if (!input) {
    io.out(`no failed client in ${loaded.executionArn}: nothing to re-run`);
    return 0;
  }
  if (opts.dryPrint) {
    io.out(JSON.stringify(input));
    return 0;
  }
  if (loaded.source === "aws") {
    const stateMachineArn = stateMachineArnOf(loaded.executionArn);
    if (!stateMachineArn) throw new UsageError(`${loaded.executionArn}: not an execution ARN`);
    if (!opts.json) io.out(`re-running ${input.client_ids?.join(", ")} with input ${JSON.stringify(input)}`);
    await startExecution(stateMachineArn, input, undefined, opts.json, io);
    return 0;
  }
  if (!opts.configsDir)
    throw new UsageError("rerun of a local execution needs --configs DIR (and --data DIR)");
  if (!opts.json) io.out(`re-running ${input.client_ids?.join(", ")} with input ${JSON.stringify(input)}`);
  return opts.runLocally(input, resolve(opts.configsDir), resolve(opts.dataDir));
}
