import { VectoraError } from "./vectora-error.ts";

/** How a failed source ended; the run summary counts sources by these classes. */
export const SOURCE_ERROR_CLASSES = [
  "timeout",
  "network",
  "http_4xx",
  "http_5xx",
  "blocked",
  "rate_limited",
  "too_many_redirects",
  "too_large",
  "parse",
  "selector_broken",
  "no_listing_found",
  "ssrf_refused",
  "config_invalid",
  "deadline",
] as const;
export type SourceErrorClass = (typeof SOURCE_ERROR_CLASSES)[number];

export interface SourceErrorOptions {
  cause?: unknown;
  attempts?: number;
}

/**
 * A failure of one source (or of one request made for it). It fails that source alone; `outcome` is the
 * class the run summary counts, `retryable` tells the fetcher whether another attempt may succeed.
 */
export abstract class SourceError extends VectoraError {
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
  readonly retryable = true;
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
  /** False for failures that fail the same way every time (unsupported scheme or encoding, invalid URL). */
  readonly retryable: boolean;
  /** Node's error code when there is one (ECONNREFUSED, ENOTFOUND, ...). */
  readonly code: string | null;

  constructor(
    url: string,
    message: string,
    options: SourceErrorOptions & { code?: string | null; permanent?: boolean } = {},
  ) {
    super(`${url}: ${message}`, url, options);
    this.code = options.code ?? null;
    this.retryable = options.permanent !== true;
  }
}

const BLOCKING_STATUSES = new Set([401, 403, 407, 451]);

function statusOutcome(status: number): SourceErrorClass {
  if (status === 429) return "rate_limited";
  if (status >= 500) return "http_5xx";
  return BLOCKING_STATUSES.has(status) ? "blocked" : "http_4xx";
}

export class HttpStatusError extends SourceError {
  override readonly name = "HttpStatusError";
  readonly outcome: SourceErrorClass;
  readonly retryable: boolean;
  readonly status: number;
  /** The response's Retry-After header, kept for the retry decision. */
  readonly retryAfter: string | null;

  constructor(
    url: string,
    status: number,
    options: SourceErrorOptions & { retryAfter?: string | null } = {},
  ) {
    super(`${url}: HTTP ${status}`, url, options);
    this.status = status;
    this.retryAfter = options.retryAfter ?? null;
    this.outcome = statusOutcome(status);
    this.retryable = status >= 500 || status === 429;
  }
}

/** More redirects than the policy allows, or a redirect that cannot be followed: the same every time. */
export class TooManyRedirectsError extends SourceError {
  override readonly name = "TooManyRedirectsError";
  readonly outcome = "too_many_redirects";
  readonly retryable = false;
}

export class ResponseTooLargeError extends SourceError {
  override readonly name = "ResponseTooLargeError";
  readonly outcome = "too_large";
  readonly retryable = false;
  readonly maxBytes: number;

  constructor(url: string, maxBytes: number, detail: string, options?: SourceErrorOptions) {
    super(`${url}: response larger than ${maxBytes} bytes (${detail})`, url, options);
    this.maxBytes = maxBytes;
  }
}

export class SsrfRefusedError extends SourceError {
  override readonly name = "SsrfRefusedError";
  readonly outcome = "ssrf_refused";
  readonly retryable = false;
  readonly host: string;
  readonly address: string;

  constructor(url: string, host: string, address: string, options?: SourceErrorOptions) {
    super(`${url}: refused to connect to ${host} (${address} is a non-public address)`, url, options);
    this.host = host;
    this.address = address;
  }
}

/** The document answered 200 but is not what the source declares (not a feed, not HTML, unreadable). */
export class ParseError extends SourceError {
  override readonly name = "ParseError";
  readonly outcome = "parse";
  readonly retryable = false;

  /** Without a URL (a document parsed on its own) the message is just the reason. */
  constructor(url: string | undefined, message: string, options?: SourceErrorOptions) {
    super(url ? `${url}: ${message}` : message, url ?? "", options);
  }
}

export class SelectorBrokenError extends SourceError {
  override readonly name = "SelectorBrokenError";
  readonly outcome = "selector_broken";
  readonly retryable = false;
  readonly selector: string;

  constructor(url: string, selector: string, options?: SourceErrorOptions) {
    super(`${url}: selector "${selector}" matched nothing on a page that answered 200`, url, options);
    this.selector = selector;
  }
}

/** A page without selectors, without a declared feed, and with nothing that looks like a news listing. */
export class NoListingFoundError extends SourceError {
  override readonly name = "NoListingFoundError";
  readonly outcome = "no_listing_found";
  readonly retryable = false;

  constructor(url: string, detail: string, options?: SourceErrorOptions) {
    super(`${url}: no news listing found (${detail})`, url, options);
  }
}

/** A catalog entry that cannot run. The message names the file, the entry and the field. */
export class SourceConfigInvalidError extends SourceError {
  override readonly name = "SourceConfigInvalid";
  readonly outcome = "config_invalid";
  readonly retryable = false;
}

/** The client's Lambda was near its deadline before this source (or this request) could start. */
export class DeadlineReachedError extends SourceError {
  override readonly name = "DeadlineReached";
  readonly outcome = "deadline";
  readonly retryable = false;
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
