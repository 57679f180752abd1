import type { Context } from "aws-lambda";
import { compactError } from "../errors/workflow-errors.ts";
import type { Runtime } from "./runtime.ts";

/**
 * The runtime of one invocation: logs carry the request id and cold_start (Powertools' Lambda context
 * keys), and the remaining time is read from Lambda, so the domain can stop starting work near the end.
 */
function invocationRuntime(rt: Runtime, context: Context | undefined): Runtime {
  if (!context) return rt;
  rt.logger.addContext(context);
  return { ...rt, remainingMs: () => context.getRemainingTimeInMillis() };
}

/**
 * Wraps a domain function as a Lambda handler: errors leave with their contract `name` and a one-line
 * stack, so the Cause Step Functions records per failed client stays small.
 */
export function lambdaHandler<E, R>(
  parse: (event: unknown) => E,
  run: (event: E, rt: Runtime) => Promise<R>,
  rt: Runtime,
): (event: unknown, context?: Context) => Promise<R> {
  return async (event, context) => {
    try {
      return await run(parse(event), invocationRuntime(rt, context));
    } catch (err) {
      throw compactError(err);
    }
  };
}
