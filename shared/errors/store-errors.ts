import { VectoraError } from "./vectora-error.ts";

/** S3 did not answer or answered with a server error: transient, retried by the state machine. */
export class StoreUnavailableError extends VectoraError {
  override readonly name = "StoreUnavailable";
  readonly retryable = true;
}

/** The write lost a race with another writer (conditional PUT refused); re-read and merge again. */
export class WriteConflictError extends VectoraError {
  override readonly name = "WriteConflict";
  readonly retryable = true;
}

/**
 * A stored object is not what it should be (not JSON, or not of its schema). Not transient: retrying reads
 * the same bytes. Items are never overwritten when this happens; state files are started afresh.
 */
export class StoredDataInvalidError extends VectoraError {
  override readonly name = "StoredDataInvalid";
  readonly retryable = false;
}
