import { compactError } from "../errors/workflow-errors.ts";
import type { Runtime } from "./runtime.ts";

/**
 * Wraps a domain function as a Lambda handler: errors leave with their contract `name` and a one-line
 * stack, so the Cause Step Functions records per failed client stays small.
 */
export function lambdaHandler<E, R>(
  parse: (event: unknown) => E,
  run: (event: E, rt: Runtime) => Promise<R>,
  rt: Runtime,
): (event: unknown) => Promise<R> {
  return async (event) => {
    try {
      return await run(parse(event), rt);
    } catch (err) {
      throw compactError(err);
    }
  };
}
