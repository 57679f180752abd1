import { readFile } from "node:fs/promises";
import { parseStatesArn } from "./execution-arn.ts";
import { UsageError } from "./usage-error.ts";

export const DEFAULT_OUTPUTS_FILE = "cdk-outputs.json";
export const STATE_MACHINE_ARN_ENV = "VECTORA_STATE_MACHINE_ARN";

export interface ArnSources {
  /** `--state-machine-arn`. */
  flag?: string;
  /** `VECTORA_STATE_MACHINE_ARN`. */
  env?: string;
  /** `--outputs-file`, as written by `cdk deploy --outputs-file`; undefined means the default. */
  outputsFile?: string;
  /** `--env`: picks `vectora-ingest-{env}` when the outputs file holds several stacks. */
  stackEnv?: string;
}

function checked(arn: string, from: string): string {
  const parsed = parseStatesArn(arn);
  if (parsed?.kind !== "stateMachine") throw new UsageError(`${from}: '${arn}' is not a state machine ARN`);
  return arn;
}

async function fromOutputsFile(file: string, explicit: boolean, stackEnv?: string): Promise<string | null> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    if (explicit) throw new UsageError(`--outputs-file ${file}: cannot be read`);
    return null;
  }
  let outputs: Record<string, Record<string, unknown>>;
  try {
    outputs = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file}: not valid JSON: ${(err as Error).message}`);
  }
  const stacks = Object.entries(outputs ?? {}).filter(
    ([name, values]) =>
      typeof values?.StateMachineArn === "string" &&
      (stackEnv === undefined || name === `vectora-ingest-${stackEnv}`),
  );
  if (stacks.length === 0) {
    if (explicit || stackEnv) {
      throw new UsageError(
        `${file}: no stack output StateMachineArn${stackEnv ? ` for stack vectora-ingest-${stackEnv}` : ""}`,
      );
    }
    return null;
  }
  if (stacks.length > 1) {
    throw new UsageError(
      `${file}: several stacks have a StateMachineArn (${stacks.map(([n]) => n).join(", ")}); pick one with --env`,
    );
  }
  const [[name, values]] = stacks as [[string, Record<string, unknown>]];
  return checked(String(values.StateMachineArn), `${file}: ${name}.StateMachineArn`);
}

/**
 * The deployed state machine: `--state-machine-arn`, else `VECTORA_STATE_MACHINE_ARN`, else the stack output
 * `StateMachineArn` in the `cdk deploy --outputs-file` file.
 */
export async function resolveStateMachineArn(sources: ArnSources): Promise<string> {
  if (sources.flag) return checked(sources.flag, "--state-machine-arn");
  if (sources.env) return checked(sources.env, STATE_MACHINE_ARN_ENV);
  const file = sources.outputsFile ?? DEFAULT_OUTPUTS_FILE;
  const fromFile = await fromOutputsFile(file, sources.outputsFile !== undefined, sources.stackEnv);
  if (fromFile) return fromFile;
  throw new UsageError(
    `no state machine: give --state-machine-arn ARN, set ${STATE_MACHINE_ARN_ENV}, or deploy with ` +
      `'npx cdk deploy --outputs-file ${DEFAULT_OUTPUTS_FILE}' (read with --outputs-file FILE)`,
  );
}
