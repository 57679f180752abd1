import "../polyfills.ts";
import { randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Logger, LogLevelThreshold } from "@aws-lambda-powertools/logger";
import type { LogLevel } from "@aws-lambda-powertools/logger/types";
import type { Context } from "aws-lambda";
import { ExecutionError, StateMachine } from "aws-local-stepfunctions";

/** A JSON document: what an execution input can be. */
export type JSONValue = string | number | boolean | null | JSONValue[] | { [key: string]: JSONValue };

import { loadDefinition } from "../../infra/definition.ts";
import { createHandler as createAggregateStats } from "../../lambdas/aggregate-stats/handler.ts";
import { createHandler as createIngestClient } from "../../lambdas/ingest-client/handler.ts";
import { createHandler as createListClients } from "../../lambdas/list-clients/handler.ts";
import type { FetchPolicy } from "../../shared/fetch/fetcher.ts";
import type { Runtime } from "../../shared/lambda/runtime.ts";
import { S3Store } from "../../shared/store/s3-store.ts";
import { type HistoryEvent, HistoryRecorder } from "./history.ts";
import { LOCAL_CONFIG_BUCKET, LOCAL_DATA_BUCKET, type LocalS3, startLocalS3 } from "./s3-server.ts";
import { uploadConfigs } from "./upload-configs.ts";

/** The one loader CDK uses too, so a local run executes what is deployed. */
export { loadDefinition };

/** A client's branch as it ends: its status, new items when it succeeded, error when it failed. */
export interface ClientDone {
  client_id: string;
  status: string;
  items_new?: number;
  duration_ms?: number;
  error?: string;
}

export interface LocalRunOptions {
  /** Folder laid out like the config bucket. */
  configsDir: string;
  /** Folder holding the local S3 data (`s3/`) and execution histories (`history/`). */
  dataDir: string;
  input: JSONValue;
  allowPrivateNetwork?: boolean;
  fetchPolicy?: Partial<FetchPolicy>;
  /** Overrides the Map state's MaxConcurrency, as the CDK context does in AWS. */
  maxConcurrency?: number;
  /** Milliseconds to wait between state-machine retries (AWS waits seconds). */
  retryIntervalMs?: number;
  executionName?: string;
  now?: () => Date;
  /** Called as each client's branch ends, for progress lines. */
  onClientDone?: (result: ClientDone) => void;
  /**
   * Gives each Lambda invocation a context whose remaining time counts down from this, as Lambda's does
   * from the function's timeout; without it a local invocation has no deadline.
   */
  lambdaTimeoutMs?: number;
  /** Overrides the time an invocation keeps back for its writes (see workflow/fetch-sources.ts). */
  deadlineMarginMs?: number;
}

export interface LocalRunResult {
  executionArn: string;
  status: "SUCCEEDED" | "FAILED";
  output: unknown;
  error: string | null;
  cause: string | null;
  history: HistoryEvent[];
  historyFile: string;
}

/**
 * The local stand-in for a Lambda invocation through `arn:aws:states:::lambda:invoke`: the payload goes
 * through JSON both ways, as it does over the Lambda API.
 */
function invoke(
  handler: (event: unknown, context?: Context) => Promise<unknown>,
  functionName: string,
  timeoutMs: number | undefined,
) {
  return async (params: JSONValue): Promise<JSONValue> => {
    const payload = params && typeof params === "object" && !Array.isArray(params) ? params.Payload : null;
    const context = timeoutMs === undefined ? undefined : localContext(functionName, timeoutMs);
    const result = await handler(JSON.parse(JSON.stringify(payload ?? null)), context);
    return {
      StatusCode: 200,
      ExecutedVersion: "$LATEST",
      Payload: JSON.parse(JSON.stringify(result ?? null)),
    };
  };
}

/** What Lambda passes a handler, with the remaining time counting down from the invocation's start. */
function localContext(functionName: string, timeoutMs: number): Context {
  const deadline = performance.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: "1024",
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "local",
    getRemainingTimeInMillis: () => Math.max(0, Math.round(deadline - performance.now())),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export function localRuntime(
  s3: LocalS3,
  opts: Pick<LocalRunOptions, "allowPrivateNetwork" | "fetchPolicy" | "now" | "deadlineMarginMs">,
) {
  return {
    store: new S3Store(s3.client),
    configBucket: LOCAL_CONFIG_BUCKET,
    dataBucket: LOCAL_DATA_BUCKET,
    fetchPolicy: { ...opts.fetchPolicy, allowPrivateNetwork: opts.allowPrivateNetwork ?? false },
    clientList: "state",
    logger: new Logger({ serviceName: "vectora-ingest", logLevel: localLogLevel() }),
    now: opts.now ?? (() => new Date()),
    ...(opts.deadlineMarginMs === undefined ? {} : { deadlineMarginMs: opts.deadlineMarginMs }),
  } satisfies Runtime;
}

/** Local runs print their own summary; handler logs are opt-in so they never mix into `--json` output. */
function localLogLevel(): LogLevel {
  const level = process.env.VECTORA_LOG_LEVEL?.toUpperCase();
  return level && level in LogLevelThreshold ? (level as LogLevel) : "SILENT";
}

/**
 * Runs statemachine/ingest.asl.json, unchanged, in a local Step Functions interpreter whose Task states
 * call the Lambda handler modules in-process, against an S3-compatible server on loopback.
 */
export async function runLocal(opts: LocalRunOptions): Promise<LocalRunResult> {
  const s3 = await startLocalS3(join(opts.dataDir, "s3"));
  try {
    const rt = localRuntime(s3, opts);
    await uploadConfigs(s3.client, rt.store, LOCAL_CONFIG_BUCKET, opts.configsDir);
    // loadDefinition has validated the definition once per process; the interpreter's own check would
    // compile asl-validator's schemas again on every run.
    const machine = new StateMachine(loadDefinition({ maxConcurrency: opts.maxConcurrency }), {
      validationOptions: { noValidate: true },
    });
    const name = opts.executionName ?? `local-${randomUUID().slice(0, 8)}`;
    const executionArn = `arn:aws:states:local:000000000000:execution:vectora-ingest:${name}`;
    const startTime = (opts.now?.() ?? new Date()).toISOString();
    const retry = opts.retryIntervalMs ?? 50;
    const execution = machine.run(opts.input, {
      context: {
        Execution: {
          Id: executionArn,
          Name: name,
          StartTime: startTime,
          Input: opts.input,
          RoleArn: "local",
        },
        StateMachine: {
          Id: "arn:aws:states:local:000000000000:stateMachine:vectora-ingest",
          Name: "vectora-ingest",
        },
      },
      overrides: {
        taskResourceLocalHandlers: {
          "List clients": invoke(createListClients(rt), "list-clients", opts.lambdaTimeoutMs),
          "Ingest client": invoke(createIngestClient(rt), "ingest-client", opts.lambdaTimeoutMs),
          "Aggregate stats": invoke(createAggregateStats(rt), "aggregate-stats", opts.lambdaTimeoutMs),
        },
        retryIntervalOverrides: { "List clients": retry, "Ingest client": retry, "Aggregate stats": retry },
      },
    });
    const recorder = new HistoryRecorder();
    const progress = opts.onClientDone ? clientProgress(opts.onClientDone) : undefined;
    const recording = (async () => {
      for await (const event of execution.eventLogs) {
        recorder.record(event);
        progress?.(event);
      }
    })();
    let status: LocalRunResult["status"] = "SUCCEEDED";
    let output: unknown = null;
    let error: string | null = null;
    let cause: string | null = null;
    try {
      output = await execution.result;
    } catch (err) {
      if (!(err instanceof ExecutionError)) {
        await recording.catch(() => undefined);
        throw err;
      }
      status = "FAILED";
      const inner = err.cause instanceof Error ? err.cause : err;
      error = inner.name;
      cause = inner.message;
    }
    await recording;
    const historyFile = await saveHistory(opts.dataDir, name, executionArn, recorder.events);
    return { executionArn, status, output, error, cause, history: recorder.events, historyFile };
  } finally {
    await s3.close();
  }
}

/**
 * Reports each branch as it ends, failed ones included: a caught failure ends the iteration with the
 * `Record client failure` output, an uncaught one ends it with MapIterationFailed.
 */
function clientProgress(onClientDone: (result: ClientDone) => void) {
  const started = new Map<number, { at: number; client_id: string }>();
  return (event: unknown): void => {
    const e = event as {
      type: string;
      index?: number;
      timestamp: number;
      input?: unknown;
      output?: unknown;
      Error?: string;
    };
    const index = e.index ?? -1;
    if (e.type === "MapIterationStarted") {
      const input = e.input as { client_id?: unknown } | null;
      started.set(index, { at: e.timestamp, client_id: String(input?.client_id ?? `#${index}`) });
      return;
    }
    if (e.type !== "MapIterationSucceeded" && e.type !== "MapIterationFailed") return;
    const start = started.get(index);
    const elapsed = start ? e.timestamp - start.at : undefined;
    if (e.type === "MapIterationFailed") {
      onClientDone({
        client_id: start?.client_id ?? `#${index}`,
        status: "failed",
        error: e.Error,
        duration_ms: elapsed,
      });
      return;
    }
    const out = (e.output ?? {}) as Partial<ClientDone>;
    onClientDone({
      client_id: out.client_id ?? start?.client_id ?? `#${index}`,
      status: out.status ?? "succeeded",
      ...(out.items_new === undefined ? {} : { items_new: out.items_new }),
      ...(out.error === undefined ? {} : { error: out.error }),
      duration_ms: out.duration_ms ?? elapsed,
    });
  };
}

/** `history/{execution name}.json` plus `history/latest.json`, both {executionArn, events}. */
async function saveHistory(dataDir: string, name: string, executionArn: string, events: HistoryEvent[]) {
  const dir = join(dataDir, "history");
  await mkdir(dir, { recursive: true });
  const body = `${JSON.stringify({ executionArn, events }, null, 1)}\n`;
  const file = join(dir, `${name}.json`);
  await writeFile(file, body);
  await writeFile(join(dir, "latest.json"), body);
  return file;
}
