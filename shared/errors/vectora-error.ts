/**
 * The base of every error the project throws on purpose. `name` is the contract with the state machine's
 * Retry/Catch (Step Functions reports a Lambda error by its name) and with the run summary, so renaming one
 * is a breaking change: test/unit/errors.test.ts pins each name against the ASL's ErrorEquals.
 * `retryable` says whether the same call may succeed when tried again.
 */
export abstract class VectoraError extends Error {
  abstract override readonly name: string;
  abstract readonly retryable: boolean;
}
