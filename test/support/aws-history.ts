import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { GetExecutionHistoryCommandOutput, HistoryEvent } from "@aws-sdk/client-sfn";
import { fromSdkEvent } from "../../cli/history-source.ts";
import type { HistoryEvent as StoredEvent } from "../../cli/local/history.ts";

const FIXTURES = join(import.meta.dirname, "..", "fixtures", "aws");

export const PARTIAL_RUN_ARN =
  "arn:aws:states:eu-west-3:123456789012:execution:vectora-ingest-prod:sched-2026-11-20-0600";
export const FAILED_RUN_ARN =
  "arn:aws:states:eu-west-3:123456789012:execution:vectora-ingest-prod:manual-0c2d5e";
export const STATE_MACHINE_ARN = "arn:aws:states:eu-west-3:123456789012:stateMachine:vectora-ingest-prod";

/**
 * A recorded GetExecutionHistory page (the JSON the API answers: epoch-second timestamps) as the SDK hands it
 * back after deserialising (timestamps as Dates).
 */
export function historyPage(file: string): GetExecutionHistoryCommandOutput {
  const page = JSON.parse(readFileSync(join(FIXTURES, file), "utf8")) as {
    events: (Omit<HistoryEvent, "timestamp"> & { timestamp: number })[];
    nextToken?: string;
  };
  return {
    $metadata: { httpStatusCode: 200 },
    events: page.events.map((e) => ({ ...e, timestamp: new Date(e.timestamp * 1000) }) as HistoryEvent),
    ...(page.nextToken ? { nextToken: page.nextToken } : {}),
  };
}

/** Every event of recorded pages, in the stored shape. */
export function recordedEvents(...files: string[]): StoredEvent[] {
  return files.flatMap((f) => (historyPage(f).events ?? []).map(fromSdkEvent));
}
