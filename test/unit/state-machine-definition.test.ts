import { readFileSync } from "node:fs";
import { join } from "node:path";
import aslValidator from "asl-validator";
import { describe, expect, it } from "vitest";

const ASL_FILE = join(import.meta.dirname, "..", "..", "statemachine", "ingest.asl.json");

interface State {
  Type: string;
  Next?: string;
  Retry?: { ErrorEquals: string[] }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  [key: string]: unknown;
}

const definition = JSON.parse(readFileSync(ASL_FILE, "utf8")) as {
  StartAt: string;
  States: Record<string, State>;
};
const states = definition.States;
const map = states["Ingest clients"] as State & {
  ItemSelector: Record<string, string>;
  ItemProcessor: { StartAt: string; States: Record<string, State> };
};
const ingest = map.ItemProcessor.States["Ingest client"] as State;

const LAMBDA_SERVICE_ERRORS = [
  "Lambda.ServiceException",
  "Lambda.AWSLambdaException",
  "Lambda.SdkClientException",
  "Lambda.TooManyRequestsException",
];

describe("statemachine/ingest.asl.json", () => {
  it("is valid Amazon States Language", () => {
    const { isValid, errorsText } = aslValidator(definition);
    expect(errorsText()).toBe("");
    expect(isValid).toBe(true);
  });

  it("runs List clients, then the per-client Map, then Aggregate stats and the all-failed Choice", () => {
    expect(definition.StartAt).toBe("List clients");
    expect(states["List clients"]?.Next).toBe("Ingest clients");
    expect(map.Type).toBe("Map");
    expect(map.Next).toBe("Aggregate stats");
    expect(states["Aggregate stats"]?.Next).toBe("Did every client fail?");
    expect(states["All clients failed"]).toMatchObject({ Type: "Fail", Error: "AllClientsFailed" });
    expect(typeof map.MaxConcurrency).toBe("number");
  });

  it("builds each Map item from the run so that it is itself an execution input", () => {
    expect(Object.keys(map.ItemSelector).sort()).toEqual(
      [
        "client_id.$",
        "dry_run.$",
        "force_refresh.$",
        "ingestion_mode.$",
        "period_days.$",
        "run_id.$",
        "window_end.$",
      ].sort(),
    );
  });

  it("retries Lambda service errors, throttling and the project's transient errors on every Task", () => {
    const tasks = [states["List clients"], ingest, states["Aggregate stats"]];
    for (const task of tasks) {
      const retried = task?.Retry?.flatMap((r) => r.ErrorEquals) ?? [];
      expect(retried).toEqual(
        expect.arrayContaining([...LAMBDA_SERVICE_ERRORS, "StoreUnavailable", "WriteConflict"]),
      );
      expect(retried).not.toContain("States.ALL");
    }
  });

  it("catches every error of a client's branch into Record client failure", () => {
    expect(ingest.Catch).toEqual([
      expect.objectContaining({ ErrorEquals: ["States.ALL"], Next: "Record client failure" }),
    ]);
    expect(map.ItemProcessor.States["Record client failure"]).toMatchObject({
      Type: "Pass",
      Parameters: { status: "failed", "client_id.$": "$.client_id", "error.$": "$.error.Error" },
    });
  });

  it("does not catch InvalidInput in List clients, so a bad input fails the execution at once", () => {
    expect(states["List clients"]?.Catch).toBeUndefined();
  });
});
