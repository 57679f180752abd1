export type SourceErrorClass =
  | "timeout"
  | "network"
  | "http_4xx"
  | "http_5xx"
  | "blocked"
  | "too_large"
  | "parse"
  | "selector_broken"
  | "ssrf_refused";

export interface SourceErrorOptions {
  cause?: unknown;
  attempts?: number;
}

export abstract class SourceError extends Error {
  abstract readonly outcome: SourceErrorClass;
  readonly url: string;
  /** Number of HTTP attempts made before giving up (1 when the failure was not retried). */
  attempts: number;

  constructor(message: string, url: string, options: SourceErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.url = url;
    this.attempts = options.attempts ?? 1;
  }
}

export class FetchTimeoutError extends SourceError {
  override readonly name = "FetchTimeoutError";
  readonly outcome = "timeout";
  /** The budget that ran out, when known. */
  readonly timeoutMs: number | null;

  constructor(url: string, timeoutMs: number | null, options?: SourceErrorOptions) {
    super(
      timeoutMs === null ? `${url}: timed out` : `${url}: no complete response within ${timeoutMs} ms`,
      url,
      options,
    );
    this.timeoutMs = timeoutMs;
  }
}

export class NetworkError extends SourceError {
  override readonly name = "NetworkError";
  readonly outcome = "network";
  /** Node's error code when there is one (ECONNREFUSED, ENOTFOUND, ...). */
  readonly code: string | null;

  constructor(url: string, message: string, options: SourceErrorOptions & { code?: string | null } = {}) {
    super(`${url}: ${message}`, url, options);
    this.code = options.code ?? null;
  }
}

const BLOCKING_STATUSES = new Set([401, 403, 407, 429, 451]);

export class HttpStatusError extends SourceError {
  override readonly name = "HttpStatusError";
  readonly outcome: SourceErrorClass;
  readonly status: number;
  /** The response's Retry-After header, kept for the retry decision. */
  readonly retryAfter: string | null;

  /**
   * A 429 only reaches a caller once the fetcher stopped retrying it, so it is reported as `blocked`
   * like the other refusals (401, 403, 407, 451).
   */
  constructor(
    url: string,
    status: number,
    options: SourceErrorOptions & { retryAfter?: string | null } = {},
  ) {
    super(`${url}: HTTP ${status}`, url, options);
    this.status = status;
    this.retryAfter = options.retryAfter ?? null;
    this.outcome = status >= 500 ? "http_5xx" : BLOCKING_STATUSES.has(status) ? "blocked" : "http_4xx";
  }
}

export class ResponseTooLargeError extends SourceError {
  override readonly name = "ResponseTooLargeError";
  readonly outcome = "too_large";
  readonly maxBytes: number;

  constructor(url: string, maxBytes: number, detail: string, options?: SourceErrorOptions) {
    super(`${url}: response larger than ${maxBytes} bytes (${detail})`, url, options);
    this.maxBytes = maxBytes;
  }
}

export class SsrfRefusedError extends SourceError {
  override readonly name = "SsrfRefusedError";
  readonly outcome = "ssrf_refused";
  readonly host: string;
  readonly address: string;

  constructor(url: string, host: string, address: string, options?: SourceErrorOptions) {
    super(`${url}: refused to connect to ${host} (${address} is a non-public address)`, url, options);
    this.host = host;
    this.address = address;
  }
}

export class ParseError extends SourceError {
  override readonly name = "ParseError";
  readonly outcome = "parse";

  constructor(url: string, message: string, options?: SourceErrorOptions) {
    super(`${url}: ${message}`, url, options);
  }
}

export class SelectorBrokenError extends SourceError {
  override readonly name = "SelectorBrokenError";
  readonly outcome = "selector_broken";
  readonly selector: string;

  constructor(url: string, selector: string, options?: SourceErrorOptions) {
    super(`${url}: selector "${selector}" matched nothing on a page that answered 200`, url, options);
    this.selector = selector;
  }
}

const TIMEOUT_CODES = new Set(["ETIMEDOUT", "ESOCKETTIMEDOUT", "UND_ERR_CONNECT_TIMEOUT", "ABORT_ERR"]);

function errorCode(err: unknown): string | null {
  if (typeof err === "object" && err !== null && "code" in err && typeof err.code === "string") {
    return err.code;
  }
  return null;
}

/** Turns whatever a fetch threw into a SourceError; anything unrecognised counts as a network failure. */
export function classifyError(err: unknown, url: string): SourceError {
  if (err instanceof SourceError) return err;
  const code = errorCode(err);
  const message = err instanceof Error ? err.message : String(err);
  if (
    (err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError")) ||
    (code !== null && TIMEOUT_CODES.has(code))
  ) {
    return new FetchTimeoutError(url, null, { cause: err });
  }
  return new NetworkError(url, code === null ? message : `${code} ${message}`, { cause: err, code });
}
