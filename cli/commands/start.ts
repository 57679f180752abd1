import { defineCommand } from "../command.ts";
import { executionInputFrom } from "../input-arg.ts";
import { startExecution } from "../start-execution.ts";
import { resolveStateMachineArn, STATE_MACHINE_ARN_ENV } from "../state-machine-arn.ts";

export const start = defineCommand({
  name: "start",
  usage: [
    "[--client ID ...] [--input JSON] [--state-machine-arn ARN] [--outputs-file FILE] [--env ENV]",
    "[--name NAME] [--json]",
  ],
  description: [
    "Start an execution of the deployed state machine (ARN from --state-machine-arn,",
    "VECTORA_STATE_MACHINE_ARN, or StateMachineArn in cdk-outputs.json); the input is validated first.",
  ],
  options: {
    client: { type: "string", multiple: true },
    input: { type: "string" },
    "state-machine-arn": { type: "string" },
    "outputs-file": { type: "string" },
    env: { type: "string" },
    name: { type: "string" },
    json: { type: "boolean", default: false },
  },
  positionals: "none",
  async handler({ values }, io) {
    // The input is checked before the ARN is looked for, so a bad input is reported even without AWS setup.
    const input = executionInputFrom(values.input, values.client ?? []);
    const stateMachineArn = await resolveStateMachineArn({
      flag: values["state-machine-arn"],
      env: process.env[STATE_MACHINE_ARN_ENV],
      outputsFile: values["outputs-file"],
      stackEnv: values.env,
    });
    await startExecution(stateMachineArn, input, values.name, values.json, io);
    return 0;
  },
});
