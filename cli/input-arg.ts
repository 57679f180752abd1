import { type ExecutionInput, parseExecutionInput } from "../shared/workflow/execution-input.ts";
import { UsageError } from "./usage-error.ts";

export function parseJsonInput(raw: string | undefined): unknown {
  if (raw === undefined) return {};
  try {
    return JSON.parse(raw);
  } catch (err) {
    throw new UsageError(`--input is not valid JSON: ${(err as Error).message}`);
  }
}

/**
 * `--input JSON` with `--client ID ...` folded in, validated as the execution would validate it, so a bad
 * input never starts an execution. Throws InvalidInput.
 */
export function executionInputFrom(raw: string | undefined, clients: readonly string[] = []): ExecutionInput {
  const input = parseJsonInput(raw);
  if (clients.length > 0) {
    if (!input || typeof input !== "object" || Array.isArray(input)) {
      return parseExecutionInput(input);
    }
    if ("client_id" in input || "client_ids" in input) {
      throw new UsageError("give the clients either with --client or in --input, not both");
    }
    const named = clients.length === 1 ? { client_id: clients[0] } : { client_ids: [...clients] };
    return parseExecutionInput({ ...input, ...named });
  }
  return parseExecutionInput(input);
}
