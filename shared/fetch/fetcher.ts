import { once } from "node:events";
import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import { Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { setTimeout as sleep } from "node:timers/promises";
import zlib from "node:zlib";
import {
  classifyError,
  DeadlineReachedError,
  FetchTimeoutError,
  HttpStatusError,
  NetworkError,
  ResponseTooLargeError,
  SsrfRefusedError,
  TooManyRedirectsError,
} from "../errors/source-errors.ts";
import { HostLimiter } from "./host-limiter.ts";
import { type RetryPolicy, retryDelayMs } from "./retry-policy.ts";
import { createSsrfLookup, isRefusedAddress } from "./ssrf-guard.ts";

export interface FetchPolicy {
  /** Whole request including the body; when it runs out the socket is destroyed. */
  timeoutMs: number;
  /** Cap on the decoded body, enforced while streaming. */
  maxBytes: number;
  maxRedirects: number;
  retry: RetryPolicy;
  perHostConcurrency: number;
  /** Only for local runs against a loopback fixture server. */
  allowPrivateNetwork: boolean;
  userAgent: string;
}

export const DEFAULT_FETCH_POLICY: FetchPolicy = {
  timeoutMs: 20_000,
  maxBytes: 15 * 1024 * 1024,
  maxRedirects: 5,
  retry: { retries: 2, baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 30_000 },
  perHostConcurrency: 2,
  allowPrivateNetwork: false,
  userAgent: "VectoraIngest/0.1 (+https://vectora.example/bot)",
};

export interface FetchRequest {
  url: string;
  kind: "feed" | "page";
  validators?: { etag?: string | null; lastModified?: string | null };
  userAgent?: string;
}

export type FetchResult =
  | {
      status: "ok";
      /** Final URL after redirects. */
      url: string;
      httpStatus: number;
      body: Buffer;
      contentType: string | null;
      etag: string | null;
      lastModified: string | null;
      attempts: number;
    }
  | {
      status: "not_modified";
      url: string;
      attempts: number;
      etag: string | null;
      lastModified: string | null;
    };

const ACCEPT: Record<FetchRequest["kind"], string> = {
  feed: "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8",
  page: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8",
};

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

type Exchange = { kind: "redirect"; location: string | undefined } | { kind: "done"; result: FetchResult };

export interface FetcherOptions {
  /** Asked before every attempt; false once the invocation is near its deadline (no new request starts). */
  canStart?: () => boolean;
  /** The clock a Retry-After date is measured against. */
  now?: () => Date;
  /** How a backoff waits; tests record the delays instead of spending them. */
  sleep?: (ms: number) => Promise<unknown>;
}

function header(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? (value[0] ?? null) : value;
}

const ZLIB_OPTIONS: zlib.ZlibOptions = { finishFlush: zlib.constants.Z_SYNC_FLUSH };

/**
 * "deflate" is specified as zlib-wrapped, but some servers send a raw deflate stream;
 * the first two bytes tell which one arrived.
 */
class DeflateDecoder extends Transform {
  #inner: zlib.Inflate | zlib.InflateRaw | null = null;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.#inner === null) {
      const cmf = chunk[0] ?? 0;
      const flg = chunk[1] ?? 0;
      const wrapped = (cmf & 0x0f) === 8 && (cmf * 256 + flg) % 31 === 0;
      const inner = wrapped ? zlib.createInflate(ZLIB_OPTIONS) : zlib.createInflateRaw(ZLIB_OPTIONS);
      inner.on("data", (data: Buffer) => this.push(data));
      inner.on("error", (err) => this.destroy(err));
      this.#inner = inner;
    }
    this.#inner.write(chunk, () => callback());
  }

  override _flush(callback: TransformCallback): void {
    if (this.#inner === null) {
      callback();
      return;
    }
    this.#inner.once("end", () => callback());
    this.#inner.end();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#inner?.destroy();
    callback(error);
  }
}

function decoderFor(encoding: string | null, url: string): Transform | null {
  const name = (encoding ?? "identity").trim().toLowerCase();
  switch (name) {
    case "":
    case "identity":
      return null;
    case "gzip":
    case "x-gzip":
      return zlib.createGunzip(ZLIB_OPTIONS);
    case "deflate":
      return new DeflateDecoder();
    case "br":
      return zlib.createBrotliDecompress({ finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH });
    default:
      throw new NetworkError(url, `unsupported Content-Encoding "${name}"`, { permanent: true });
  }
}

function hostOf(url: URL): string {
  return url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
}

/**
 * Fetches feeds and pages with the project's fetching rules. One Fetcher per client run:
 * its per-host limit is shared by all of that client's sources.
 */
export class Fetcher {
  readonly policy: FetchPolicy;
  readonly #limiter: HostLimiter;
  // Own agents, so pooled sockets are never shared with code running under a different SSRF policy.
  readonly #httpAgent: http.Agent;
  readonly #httpsAgent: https.Agent;

  readonly #canStart: () => boolean;
  readonly #now: () => Date;
  readonly #sleep: (ms: number) => Promise<unknown>;

  constructor(policy: Partial<FetchPolicy> = {}, options: FetcherOptions = {}) {
    this.#canStart = options.canStart ?? (() => true);
    this.#now = options.now ?? (() => new Date());
    this.#sleep = options.sleep ?? sleep;
    this.policy = {
      ...DEFAULT_FETCH_POLICY,
      ...policy,
      retry: { ...DEFAULT_FETCH_POLICY.retry, ...policy.retry },
    };
    this.#limiter = new HostLimiter(this.policy.perHostConcurrency);
    this.#httpAgent = new http.Agent({ keepAlive: true });
    this.#httpsAgent = new https.Agent({ keepAlive: true });
  }

  /** Closes pooled keep-alive sockets. The Fetcher stays usable; new sockets are opened on demand. */
  close(): void {
    this.#httpAgent.destroy();
    this.#httpsAgent.destroy();
  }

  /** Resolves with the response or rejects with a SourceError subclass, after retries. */
  async fetch(req: FetchRequest): Promise<FetchResult> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const result = await this.#attempt(req);
        return { ...result, attempts: attempt };
      } catch (raw) {
        const error = classifyError(raw, req.url);
        // A request that never started is not an attempt.
        error.attempts = error instanceof DeadlineReachedError ? attempt - 1 : attempt;
        const retryAfter = error instanceof HttpStatusError ? error.retryAfter : null;
        const delay = error.retryable
          ? retryDelayMs(attempt, this.policy.retry, retryAfter, this.#now())
          : null;
        if (delay === null) throw error;
        // The host slot is released between attempts: a backoff sleep must not hold back other sources.
        await this.#sleep(delay);
      }
    }
  }

  async #attempt(req: FetchRequest): Promise<FetchResult> {
    let url: URL;
    try {
      url = new URL(req.url);
    } catch (err) {
      throw new NetworkError(req.url, "invalid URL", { cause: err, permanent: true });
    }
    for (let redirects = 0; ; redirects += 1) {
      const target = url;
      const exchange = await this.#limiter.run(target.hostname, () => {
        // Asked once the host slot is free: a request queued behind a slow one may find the deadline near.
        if (!this.#canStart()) {
          throw new DeadlineReachedError(
            `${target.href}: not started, the invocation is near its deadline`,
            target.href,
          );
        }
        return this.#exchange(target, req);
      });
      if (exchange.kind === "done") return exchange.result;
      if (redirects >= this.policy.maxRedirects) {
        throw new TooManyRedirectsError(
          `${req.url}: too many redirects (more than ${this.policy.maxRedirects})`,
          req.url,
        );
      }
      if (exchange.location === undefined || exchange.location === "") {
        throw new NetworkError(target.href, "redirect without a Location header", { permanent: true });
      }
      try {
        url = new URL(exchange.location, target);
      } catch (err) {
        throw new NetworkError(target.href, `redirect to an invalid Location "${exchange.location}"`, {
          cause: err,
          permanent: true,
        });
      }
    }
  }

  #headers(req: FetchRequest): http.OutgoingHttpHeaders {
    const headers: http.OutgoingHttpHeaders = {
      "user-agent": req.userAgent ?? this.policy.userAgent,
      accept: ACCEPT[req.kind],
      "accept-encoding": "gzip, deflate, br",
      "accept-language": "en",
    };
    if (req.validators?.etag) headers["if-none-match"] = req.validators.etag;
    if (req.validators?.lastModified) headers["if-modified-since"] = req.validators.lastModified;
    return headers;
  }

  /** One HTTP request/response, holding the caller's host slot for its whole duration. */
  async #exchange(url: URL, req: FetchRequest): Promise<Exchange> {
    const href = url.href;
    this.#refuseBeforeConnecting(url);
    const { timeoutMs } = this.policy;
    const signal = AbortSignal.timeout(timeoutMs);
    let request: http.ClientRequest | undefined;
    try {
      request = this.#send(url, req, signal);
      const [res] = (await once(request, "response", { signal })) as [http.IncomingMessage];
      return await this.#readResponse(res, href, req, signal);
    } catch (err) {
      throw signal.aborted ? new FetchTimeoutError(href, timeoutMs) : classifyError(err, href);
    } finally {
      request?.destroy();
    }
  }

  /** Schemes other than http(s), and literal addresses the guard refuses: no socket is ever opened. */
  #refuseBeforeConnecting(url: URL): void {
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new NetworkError(url.href, `unsupported URL scheme "${url.protocol}"`, { permanent: true });
    }
    const host = hostOf(url);
    // A literal IP never goes through DNS, so the lookup hook would not see it.
    if (isIP(host) !== 0 && isRefusedAddress(host, this.policy.allowPrivateNetwork)) {
      throw new SsrfRefusedError(url.href, url.hostname, host);
    }
  }

  #send(url: URL, req: FetchRequest, signal: AbortSignal): http.ClientRequest {
    const { allowPrivateNetwork } = this.policy;
    const transport = url.protocol === "https:" ? https : http;
    let request: http.ClientRequest;
    try {
      request = transport.request(url, {
        method: "GET",
        headers: this.#headers(req),
        agent: url.protocol === "https:" ? this.#httpsAgent : this.#httpAgent,
        lookup: createSsrfLookup({
          allowPrivateNetwork,
          url: url.href,
          isRefused: (address) => isRefusedAddress(address, allowPrivateNetwork),
        }),
        signal,
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw new NetworkError(url.href, message, { cause: err, permanent: true });
    }
    request.end();
    return request;
  }

  async #readResponse(
    res: http.IncomingMessage,
    href: string,
    req: FetchRequest,
    signal: AbortSignal,
  ): Promise<Exchange> {
    const status = res.statusCode ?? 0;
    if (REDIRECT_STATUSES.has(status)) {
      res.destroy();
      return { kind: "redirect", location: res.headers.location };
    }
    if (status === 304) {
      res.resume();
      return { kind: "done", result: notModified(res, href, req) };
    }
    if (status < 200 || status > 299) {
      res.destroy();
      throw new HttpStatusError(href, status, { retryAfter: header(res.headers["retry-after"]) });
    }
    const body = await readBody(res, href, this.policy.maxBytes, signal);
    return { kind: "done", result: okResult(res, href, status, body) };
  }
}

function notModified(res: http.IncomingMessage, href: string, req: FetchRequest): FetchResult {
  return {
    status: "not_modified",
    url: href,
    attempts: 0,
    etag: header(res.headers.etag) ?? req.validators?.etag ?? null,
    lastModified: header(res.headers["last-modified"]) ?? req.validators?.lastModified ?? null,
  };
}

function okResult(res: http.IncomingMessage, href: string, status: number, body: Buffer): FetchResult {
  return {
    status: "ok",
    url: href,
    httpStatus: status,
    body,
    contentType: header(res.headers["content-type"]),
    etag: header(res.headers.etag),
    lastModified: header(res.headers["last-modified"]),
    attempts: 0,
  };
}

/** Gathers the decoded body and remembers why it stopped, which pipeline's own rejection hides. */
class BodyCollector {
  readonly #chunks: Buffer[] = [];
  #received = 0;
  /** pipeline reports the teardown a cut causes (an AbortError), not the cut itself. */
  tooLarge: ResponseTooLargeError | null = null;
  /** Set when the decoder failed before the connection did (pipeline then tears the response down too). */
  decodeError: Error | null = null;
  #responseFailed = false;

  watch(res: http.IncomingMessage, decoder: Transform | null): void {
    const responseFailed = () => {
      if (this.decodeError === null) this.#responseFailed = true;
    };
    res.once("error", responseFailed);
    res.once("close", () => {
      if (!res.complete) responseFailed();
    });
    decoder?.once("error", (err) => {
      if (!this.#responseFailed) this.decodeError ??= err;
    });
  }

  constructor(
    readonly href: string,
    readonly maxBytes: number,
  ) {}

  readonly sink = async (source: AsyncIterable<Buffer>): Promise<void> => {
    for await (const chunk of source) {
      this.#received += chunk.length;
      if (this.#received > this.maxBytes) {
        this.tooLarge = new ResponseTooLargeError(
          this.href,
          this.maxBytes,
          "body exceeded the cap while streaming",
        );
        throw this.tooLarge;
      }
      this.#chunks.push(chunk);
    }
  };

  body(): Buffer {
    return Buffer.concat(this.#chunks, this.#received);
  }

  /** A body the decoder cannot read fails the same way every time; a connection that drops does not. */
  failure(err: unknown, aborted: boolean): unknown {
    if (this.tooLarge !== null || aborted) return this.tooLarge ?? err;
    if (this.decodeError === null) return classifyError(err, this.href);
    return new NetworkError(this.href, `cannot decode the body: ${this.decodeError.message}`, {
      cause: this.decodeError,
      permanent: true,
    });
  }
}

/** The decoded body, cut as soon as it passes the cap; a declared Content-Length above it is refused unread. */
async function readBody(
  res: http.IncomingMessage,
  href: string,
  maxBytes: number,
  signal: AbortSignal,
): Promise<Buffer> {
  const declared = Number(res.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) {
    res.destroy();
    throw new ResponseTooLargeError(href, maxBytes, `Content-Length ${declared}`);
  }
  const decoder = decoderFor(header(res.headers["content-encoding"]), href);
  const collector = new BodyCollector(href, maxBytes);
  collector.watch(res, decoder);
  try {
    await (decoder === null
      ? pipeline(res, collector.sink, { signal })
      : pipeline(res, decoder, collector.sink, { signal }));
  } catch (err) {
    throw collector.failure(err, signal.aborted);
  }
  if (!res.complete) throw new NetworkError(href, "connection closed before the body was complete");
  return collector.body();
}
