import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Logger } from "@aws-lambda-powertools/logger";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import type { Context } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { localRuntime } from "../../cli/local/run-local.ts";
import { LOCAL_CONFIG_BUCKET, type LocalS3, startLocalS3 } from "../../cli/local/s3-server.ts";
import { createHandler } from "../../lambdas/ingest-client/handler.ts";

let dir: string;
let s3: LocalS3;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "vectora-log-"));
  s3 = await startLocalS3(dir);
  await s3.client.send(
    new PutObjectCommand({
      Bucket: LOCAL_CONFIG_BUCKET,
      Key: "canonical/sources/source_catalog.yaml",
      Body: "sources: []\n",
    }),
  );
  await s3.client.send(
    new PutObjectCommand({
      Bucket: LOCAL_CONFIG_BUCKET,
      Key: "clients/quiet.yaml",
      Body: "client_profile:\n  active: true\n",
    }),
  );
});
afterAll(async () => {
  await s3.close();
  await rm(dir, { recursive: true, force: true });
});

describe("logging", () => {
  it("puts run_id and client_id on every line a client's ingest logs", async () => {
    const lines: string[] = [];
    const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      const rt = {
        ...localRuntime(s3, {}),
        logger: new Logger({ serviceName: "vectora-ingest", logLevel: "INFO" }),
      };
      await createHandler(rt)({
        client_id: "quiet",
        run_id: "20261120T060000Z-exec",
        window_end: "2026-11-20T06:00:00.000Z",
        period_days: null,
        dry_run: true,
        force_refresh: false,
        ingestion_mode: "balanced",
      });
    } finally {
      write.mockRestore();
    }
    const records = lines
      .flatMap((l) => l.split("\n"))
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.map((r) => r.message)).toContain("client ingested");
    for (const record of records) {
      expect(record).toMatchObject({
        service: "vectora-ingest",
        run_id: "20261120T060000Z-exec",
        client_id: "quiet",
      });
    }
  });

  it("puts cold_start and the Lambda request id on the lines of an invocation", async () => {
    const lines: string[] = [];
    const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const context: Context = {
      callbackWaitsForEmptyEventLoop: false,
      functionName: "vectora-ingest-test-ingest-client",
      functionVersion: "$LATEST",
      invokedFunctionArn: "arn:aws:lambda:eu-west-3:000000000000:function:vectora-ingest-test-ingest-client",
      memoryLimitInMB: "1024",
      awsRequestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
      logGroupName: "/aws/lambda/vectora-ingest-test-ingest-client",
      logStreamName: "2026/11/20/[$LATEST]abc",
      getRemainingTimeInMillis: () => 600_000,
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    };
    try {
      const rt = {
        ...localRuntime(s3, {}),
        logger: new Logger({ serviceName: "vectora-ingest", logLevel: "INFO" }),
      };
      await createHandler(rt)(
        {
          client_id: "quiet",
          run_id: "20261120T060000Z-exec",
          window_end: "2026-11-20T06:00:00.000Z",
          period_days: null,
          dry_run: true,
          force_refresh: false,
          ingestion_mode: "balanced",
        },
        context,
      );
    } finally {
      write.mockRestore();
    }
    const records = lines
      .flatMap((l) => l.split("\n"))
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.map((r) => r.message)).toContain("client ingested");
    for (const record of records) {
      expect(record).toMatchObject({
        function_request_id: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
        function_name: "vectora-ingest-test-ingest-client",
        cold_start: expect.any(Boolean),
        client_id: "quiet",
      });
    }
  });
});
