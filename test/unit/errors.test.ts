import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  FetchTimeoutError,
  HttpStatusError,
  NetworkError,
  ParseError,
  ResponseTooLargeError,
  SelectorBrokenError,
  SsrfRefusedError,
} from "../../shared/errors/source-errors.ts";
import {
  CatalogInvalidError,
  ClientConfigInvalidError,
  ClientNotFoundError,
  compactError,
  InvalidInputError,
  StoredDataInvalidError,
  StoreUnavailableError,
  TRANSIENT_ERROR_NAMES,
} from "../../shared/errors/workflow-errors.ts";
import { WriteConflictError } from "../../shared/store/s3-store.ts";
import { AggregateEventSchema } from "../../shared/workflow/aggregate-stats.ts";
import { AllSourcesFailedError } from "../../shared/workflow/ingest-client.ts";

const asl = readFileSync(join(import.meta.dirname, "..", "..", "statemachine", "ingest.asl.json"), "utf8");

describe("error names (the contract with Retry/Catch and the run summary)", () => {
  it("keeps the names of the workflow's errors", () => {
    expect(new InvalidInputError("x").name).toBe("InvalidInput");
    expect(new ClientNotFoundError("x").name).toBe("ClientNotFound");
    expect(new ClientConfigInvalidError("x").name).toBe("ClientConfigInvalid");
    expect(new CatalogInvalidError("x").name).toBe("CatalogInvalid");
    expect(new StoreUnavailableError("x").name).toBe("StoreUnavailable");
    expect(new AllSourcesFailedError("x").name).toBe("AllSourcesFailed");
    expect(new StoredDataInvalidError("x").name).toBe("StoredDataInvalid");
    expect(new WriteConflictError("x").name).toBe("WriteConflict");
  });

  it("keeps the names and outcome classes of the source errors", () => {
    const url = "https://example.com/feed";
    const table = [
      [new FetchTimeoutError(url, 20_000), "FetchTimeoutError", "timeout"],
      [new NetworkError(url, "ECONNRESET"), "NetworkError", "network"],
      [new HttpStatusError(url, 503), "HttpStatusError", "http_5xx"],
      [new HttpStatusError(url, 404), "HttpStatusError", "http_4xx"],
      [new HttpStatusError(url, 403), "HttpStatusError", "blocked"],
      [new ResponseTooLargeError(url, 10, "streamed"), "ResponseTooLargeError", "too_large"],
      [new SsrfRefusedError(url, "example.com", "10.0.0.1"), "SsrfRefusedError", "ssrf_refused"],
      [new ParseError(url, "bad xml"), "ParseError", "parse"],
      [new SelectorBrokenError(url, "li.item"), "SelectorBrokenError", "selector_broken"],
    ] as const;
    for (const [error, name, outcome] of table) {
      expect([error.name, error.outcome]).toEqual([name, outcome]);
      expect(error.message).toContain(url);
    }
  });

  it("retries in the state machine exactly the transient names the code declares", () => {
    for (const name of TRANSIENT_ERROR_NAMES) expect(asl).toContain(`"${name}"`);
    expect(asl).not.toContain('"InvalidInput"');
    expect(asl).toContain('"Error": "AllClientsFailed"');
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
