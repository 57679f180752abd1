import { StartExecutionCommand } from "@aws-sdk/client-sfn";
import { consoleLink } from "../execution-arn.ts";
import { executionInputFrom } from "../input-arg.ts";
import type { Io } from "../io.ts";
import { sfnClientFor } from "../sfn-client.ts";
import { resolveStateMachineArn, STATE_MACHINE_ARN_ENV } from "../state-machine-arn.ts";

export interface StartOptions {
  clients: string[];
  input?: string;
  name?: string;
  stateMachineArn?: string;
  outputsFile?: string;
  env?: string;
  json: boolean;
}

/** Starts an execution of the deployed state machine with `input` and prints where to watch it. */
export async function startExecution(
  stateMachineArn: string,
  input: unknown,
  name: string | undefined,
  asJson: boolean,
  io: Io,
): Promise<string> {
  const result = await sfnClientFor(stateMachineArn).send(
    new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input), ...(name ? { name } : {}) }),
  );
  const executionArn = result.executionArn ?? "";
  const link = consoleLink(executionArn);
  if (asJson) {
    io.out(
      JSON.stringify({ executionArn, startDate: result.startDate?.toISOString() ?? null, console: link }),
    );
  } else {
    io.out(`started ${executionArn}`);
    io.out(`console: ${link}`);
  }
  return executionArn;
}

export async function start(opts: StartOptions, io: Io): Promise<number> {
  const input = executionInputFrom(opts.input, opts.clients);
  const stateMachineArn = await resolveStateMachineArn({
    flag: opts.stateMachineArn,
    env: process.env[STATE_MACHINE_ARN_ENV],
    outputsFile: opts.outputsFile,
    stackEnv: opts.env,
  });
  await startExecution(stateMachineArn, input, opts.name, opts.json, io);
  return 0;
}
