import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  GetExecutionHistoryCommand,
  type SFNClient,
  type HistoryEvent as SfnHistoryEvent,
} from "@aws-sdk/client-sfn";
import { isAwsExecutionArn, parseStatesArn } from "./execution-arn.ts";
import type { HistoryEvent } from "./local/history.ts";
import { UsageError } from "./usage-error.ts";

export interface ExecutionHistory {
  executionArn: string;
  events: HistoryEvent[];
}

/** `20261124T060000Z-{execution name}`, as makeRunId builds it. */
const RUN_ID_STAMP = /^\d{8}T\d{6}Z-/;

async function readHistoryFile(file: string): Promise<ExecutionHistory | null> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return null;
  }
  const parsed = JSON.parse(text) as ExecutionHistory;
  return { executionArn: parsed.executionArn, events: parsed.events };
}

/**
 * A local execution's history from `{dataDir}/history/`: by execution name, run id, local execution ARN,
 * or "latest".
 */
export async function readLocalHistory(dataDir: string, id: string): Promise<ExecutionHistory> {
  const dir = join(dataDir, "history");
  const name = parseStatesArn(id)?.name ?? id.replace(RUN_ID_STAMP, "");
  const candidates = id === "latest" ? ["latest"] : [name, id];
  for (const candidate of candidates) {
    if (candidate.includes("/") || candidate.includes("\\")) continue;
    const history = await readHistoryFile(join(dir, `${candidate}.json`));
    if (history) return history;
  }
  const known = (await readdir(dir).catch(() => [] as string[]))
    .filter((f) => f.endsWith(".json") && f !== "latest.json")
    .map((f) => f.slice(0, -".json".length));
  throw new UsageError(
    `no local execution '${id}' in ${dir}` +
      (known.length > 0 ? ` (known: ${known.join(", ")}, latest)` : ""),
  );
}

/** The SDK's event (timestamp a Date) in the stored shape (timestamp an ISO string). */
export function fromSdkEvent(event: SfnHistoryEvent): HistoryEvent {
  const { id, previousEventId, timestamp, type, ...rest } = event;
  return {
    ...rest,
    id: id ?? 0,
    previousEventId: previousEventId ?? 0,
    timestamp:
      timestamp instanceof Date ? timestamp.toISOString() : new Date(String(timestamp)).toISOString(),
    type: String(type),
  };
}

/** Every event of an AWS execution, page after page, with inputs and outputs. */
export async function fetchExecutionHistory(
  client: SFNClient,
  executionArn: string,
): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new GetExecutionHistoryCommand({
        executionArn,
        includeExecutionData: true,
        maxResults: 1000,
        ...(nextToken ? { nextToken } : {}),
      }),
    );
    events.push(...(page.events ?? []).map(fromSdkEvent));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

/** Local ids read `--data`; an AWS execution ARN reads GetExecutionHistory. */
export async function loadHistory(
  id: string,
  opts: { dataDir: string; sfn: () => SFNClient },
): Promise<ExecutionHistory & { source: "local" | "aws" }> {
  if (isAwsExecutionArn(id)) {
    return { executionArn: id, events: await fetchExecutionHistory(opts.sfn(), id), source: "aws" };
  }
  return { ...(await readLocalHistory(opts.dataDir, id)), source: "local" };
}
