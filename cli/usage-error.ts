/** A usage or configuration error: the command exits with status 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
