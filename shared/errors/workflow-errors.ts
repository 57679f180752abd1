import { VectoraError } from "./vectora-error.ts";

/** The execution input (or a Map item) is not a valid execution input. Never retried; fails the execution. */
export class InvalidInputError extends VectoraError {
  override readonly name = "InvalidInput";
  readonly retryable = false;
}

/** A client named in the input has no `clients/{client_id}.yaml`. Fails that client only. */
export class ClientNotFoundError extends VectoraError {
  override readonly name = "ClientNotFound";
  readonly retryable = false;
}

/** A client config exists but does not validate. The message names the file and the field path. */
export class ClientConfigInvalidError extends VectoraError {
  override readonly name = "ClientConfigInvalid";
  readonly retryable = false;
}

/** The source catalog cannot be read at all (not YAML, or not a catalog). Bad entries fail their source only. */
export class CatalogInvalidError extends VectoraError {
  override readonly name = "CatalogInvalid";
  readonly retryable = false;
}

/** Every source of a client failed: the branch fails, after its state was stored. */
export class AllSourcesFailedError extends VectoraError {
  override readonly name = "AllSourcesFailed";
  readonly retryable = false;
}

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
