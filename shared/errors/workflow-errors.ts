// Domain errors of the workflow. Each `name` is the contract with the state machine's Retry/Catch and with
// the run summary: Step Functions reports a Lambda error by this name (errorType), so renaming one is a
// breaking change — test/unit/errors.test.ts pins them against statemachine/ingest.asl.json.

/** The execution input (or a Map item) is not a valid execution input. Never retried; fails the execution. */
export class InvalidInputError extends Error {
  override readonly name = "InvalidInput";
}

/** A client named in the input has no `clients/{client_id}.yaml`. Fails that client only. */
export class ClientNotFoundError extends Error {
  override readonly name = "ClientNotFound";
}

/** A client config exists but does not validate. The message names the file and the field path. */
export class ClientConfigInvalidError extends Error {
  override readonly name = "ClientConfigInvalid";
}

/** The source catalog does not validate. The message names the file and the field path. */
export class CatalogInvalidError extends Error {
  override readonly name = "CatalogInvalid";
}

/** S3 did not answer or answered with a server error: transient, retried by the state machine. */
export class StoreUnavailableError extends Error {
  override readonly name = "StoreUnavailable";
}

/**
 * A stored object is not what it should be (not JSON, or not of its schema). Not transient: retrying reads
 * the same bytes. Items are never overwritten when this happens; state files are started afresh.
 */
export class StoredDataInvalidError extends Error {
  override readonly name = "StoredDataInvalid";
}

/** Names of the project's own errors that the state machine retries. */
export const TRANSIENT_ERROR_NAMES = ["StoreUnavailable", "WriteConflict"] as const;

/** Lambda keeps only `name`, `message` and the stack in the error it reports; a short cause keeps each
 * failed branch's output small in the execution history. */
export function compactError(err: unknown, maxMessage = 400): Error {
  const error = err instanceof Error ? err : new Error(String(err));
  if (error.message.length > maxMessage) error.message = `${error.message.slice(0, maxMessage)}…`;
  error.stack = `${error.name}: ${error.message}`;
  // The local interpreter reports `cause` in place of the message; Lambda drops it. Keep both the same.
  if ("cause" in error) error.cause = undefined;
  return error;
}
