import { StartExecutionCommand } from "@aws-sdk/client-sfn";
import { consoleLink } from "./execution-arn.ts";
import type { Io } from "./io.ts";
import { sfnClientFor } from "./sfn-client.ts";

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
