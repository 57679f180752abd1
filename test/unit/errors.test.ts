import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  DeadlineReachedError,
  FetchTimeoutError,
  HttpStatusError,
  NetworkError,
  NoListingFoundError,
  ParseError,
  ResponseTooLargeError,
  SelectorBrokenError,
  SourceConfigInvalidError,
  SourceError,
  SsrfRefusedError,
  TooManyRedirectsError,
} from "../../shared/errors/source-errors.ts";
import {
  StoredDataInvalidError,
  StoreUnavailableError,
  WriteConflictError,
} from "../../shared/errors/store-errors.ts";
import { VectoraError } from "../../shared/errors/vectora-error.ts";
import {
  AllSourcesFailedError,
  CatalogInvalidError,
  ClientConfigInvalidError,
  ClientNotFoundError,
  compactError,
  InvalidInputError,
} from "../../shared/errors/workflow-errors.ts";
import { AggregateEventSchema } from "../../shared/workflow/aggregate-stats.ts";

interface AslState {
  Type: string;
  Retry?: { ErrorEquals: string[] }[];
  Catch?: { ErrorEquals: string[] }[];
  ItemProcessor?: { States: Record<string, AslState> };
  Iterator?: { States: Record<string, AslState> };
  Error?: string;
}

const asl = JSON.parse(
  readFileSync(join(import.meta.dirname, "..", "..", "statemachine", "ingest.asl.json"), "utf8"),
) as { States: Record<string, AslState> };

function allStates(states: Record<string, AslState>): [string, AslState][] {
  return Object.entries(states).flatMap(([name, state]) => [
    [name, state] as [string, AslState],
    ...allStates(state.ItemProcessor?.States ?? state.Iterator?.States ?? {}),
  ]);
}

const tasks = allStates(asl.States).filter(([, s]) => s.Type === "Task");
/** Names in ErrorEquals that belong to the project, not to Lambda or Step Functions. */
const projectNames = (rules: { ErrorEquals: string[] }[] | undefined) =>
  (rules ?? []).flatMap((r) => r.ErrorEquals).filter((n) => !/^(Lambda|States)\./.test(n));

/** Every error a Lambda of the workflow can end with, so the state machine sees its name. */
const lambdaErrors: VectoraError[] = [
  new InvalidInputError("x"),
  new ClientNotFoundError("x"),
  new ClientConfigInvalidError("x"),
  new CatalogInvalidError("x"),
  new AllSourcesFailedError("x"),
  new StoreUnavailableError("x"),
  new WriteConflictError("x"),
  new StoredDataInvalidError("x"),
];

describe("error names (the contract with Retry/Catch and the run summary)", () => {
  it("keeps the names of the workflow's errors", () => {
    expect(lambdaErrors.map((e) => e.name)).toEqual([
      "InvalidInput",
      "ClientNotFound",
      "ClientConfigInvalid",
      "CatalogInvalid",
      "AllSourcesFailed",
      "StoreUnavailable",
      "WriteConflict",
      "StoredDataInvalid",
    ]);
    for (const error of lambdaErrors) expect(error).toBeInstanceOf(VectoraError);
  });

  it("retries on every Task state exactly the errors that declare themselves retryable", () => {
    const retryable = lambdaErrors.filter((e) => e.retryable).map((e) => e.name);
    expect(retryable).toEqual(["StoreUnavailable", "WriteConflict"]);
    expect(tasks.map(([name]) => name)).toEqual(["List clients", "Ingest client", "Aggregate stats"]);
    for (const [, task] of tasks) expect(projectNames(task.Retry).sort()).toEqual([...retryable].sort());
  });

  it("names in Retry and Catch only errors the code can throw", () => {
    const known = new Set(lambdaErrors.map((e) => e.name));
    for (const [, task] of tasks) {
      for (const name of [...projectNames(task.Retry), ...projectNames(task.Catch)]) {
        expect(known.has(name), name).toBe(true);
      }
    }
  });

  it("lets InvalidInput fail the execution: no Task retries or catches it", () => {
    for (const [, task] of tasks) {
      expect(projectNames(task.Retry)).not.toContain("InvalidInput");
      const list = task.Catch?.flatMap((c) => c.ErrorEquals) ?? [];
      if (list.includes("States.ALL"))
        expect(task).toBe(asl.States["Ingest clients"]?.ItemProcessor?.States["Ingest client"]);
    }
    const fail = allStates(asl.States).find(([, s]) => s.Type === "Fail");
    expect(fail?.[1].Error).toBe("AllClientsFailed");
  });

  it("keeps the names, outcome classes and retry verdicts of the source errors", () => {
    const url = "https://example.com/feed";
    const table = [
      [new FetchTimeoutError(url, 20_000), "FetchTimeoutError", "timeout", true],
      [new NetworkError(url, "ECONNRESET"), "NetworkError", "network", true],
      [new NetworkError(url, "unsupported scheme", { permanent: true }), "NetworkError", "network", false],
      [new HttpStatusError(url, 503), "HttpStatusError", "http_5xx", true],
      [new HttpStatusError(url, 404), "HttpStatusError", "http_4xx", false],
      [new HttpStatusError(url, 403), "HttpStatusError", "blocked", false],
      [new HttpStatusError(url, 429), "HttpStatusError", "rate_limited", true],
      [new TooManyRedirectsError(`${url}: loop`, url), "TooManyRedirectsError", "too_many_redirects", false],
      [new ResponseTooLargeError(url, 10, "streamed"), "ResponseTooLargeError", "too_large", false],
      [new SsrfRefusedError(url, "example.com", "10.0.0.1"), "SsrfRefusedError", "ssrf_refused", false],
      [new ParseError(url, "bad xml"), "ParseError", "parse", false],
      [new SelectorBrokenError(url, "li.item"), "SelectorBrokenError", "selector_broken", false],
      [new NoListingFoundError(url, "no repeated blocks"), "NoListingFoundError", "no_listing_found", false],
      [new SourceConfigInvalidError(`${url}: bad`, url), "SourceConfigInvalid", "config_invalid", false],
      [new DeadlineReachedError(`${url}: deadline`, url), "DeadlineReached", "deadline", false],
    ] as const;
    for (const [error, name, outcome, retryable] of table) {
      expect([error.name, error.outcome, error.retryable]).toEqual([name, outcome, retryable]);
      expect(error).toBeInstanceOf(SourceError);
      expect(error).toBeInstanceOf(VectoraError);
      expect(error.message).toContain(url);
    }
  });

  it("compacts an error to its name and a bounded one-line message", () => {
    const error = compactError(new ClientNotFoundError("x".repeat(1000)));
    expect(error.name).toBe("ClientNotFound");
    expect(error.message.length).toBeLessThanOrEqual(401);
    expect(error.stack).toBe(`ClientNotFound: ${error.message}`);
  });

  it("accepts the failure record that Record client failure produces", () => {
    const parsed = AggregateEventSchema.safeParse({
      run: {
        run_id: "r1",
        started_at: "2026-11-20T06:00:00.000Z",
        window_end: "2026-11-20T06:00:00.000Z",
        options: { period_days: null, dry_run: false, force_refresh: false, ingestion_mode: "balanced" },
      },
      skipped: [],
      results: [{ client_id: "a", status: "failed", error: "States.Timeout", cause: "timed out" }],
    });
    expect(parsed.success).toBe(true);
  });
});
