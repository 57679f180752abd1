/** `arn:aws:states:{region}:{account}:{execution|stateMachine}:{machine}[:{execution name}]`. */
const STATES_ARN =
  /^arn:aws[a-z-]*:states:([a-z0-9-]+):(\d{12}):(execution|stateMachine|express):([^:]+)(?::(.+))?$/;

export interface ParsedArn {
  region: string;
  account: string;
  kind: string;
  machine: string;
  name: string | null;
}

export function parseStatesArn(arn: string): ParsedArn | null {
  const [, region, account, kind, machine, name] = STATES_ARN.exec(arn) ?? [];
  if (!region || !account || !kind || !machine) return null;
  return { region, account, kind, machine, name: name ?? null };
}

/** A deployed execution, as opposed to a local one (`arn:aws:states:local:...`) or a local name. */
export function isAwsExecutionArn(id: string): boolean {
  const arn = parseStatesArn(id);
  return arn !== null && arn.kind === "execution" && arn.region !== "local";
}

/** The state machine an execution of a Standard workflow belongs to. */
export function stateMachineArnOf(executionArn: string): string | null {
  const arn = parseStatesArn(executionArn);
  if (arn?.kind !== "execution") return null;
  const partition = executionArn.split(":")[1];
  return `arn:${partition}:states:${arn.region}:${arn.account}:stateMachine:${arn.machine}`;
}

export function consoleLink(executionArn: string): string {
  const region = parseStatesArn(executionArn)?.region ?? "us-east-1";
  return `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${executionArn}`;
}
