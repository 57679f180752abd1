import * as z from "zod";
import { StoreUnavailableError } from "../errors/store-errors.ts";
import type { S3Store } from "../store/s3-store.ts";

/**
 * With the Distributed Map (CDK context mapMode=distributed) branch outcomes don't travel in the state:
 * Step Functions writes them to S3 (ResultWriter, WriterConfig COMPACT/JSON) and hands the aggregate
 * the manifest's location. This module reads them back into the same records an inline Map returns.
 */
export const ResultWriterDetailsSchema = z.object({ Bucket: z.string(), Key: z.string() });
export type ResultWriterDetails = z.infer<typeof ResultWriterDetailsSchema>;

const ResultFileSchema = z.object({ Key: z.string(), Size: z.number().optional() });
const ManifestSchema = z.object({
  ResultFiles: z.object({
    SUCCEEDED: z.array(ResultFileSchema).default([]),
    FAILED: z.array(ResultFileSchema).default([]),
    PENDING: z.array(ResultFileSchema).default([]),
  }),
});

/** A child execution that failed or never finished keeps the NONE shape: its input, error and cause. */
const UnfinishedExecutionSchema = z.looseObject({
  Input: z.string().optional(),
  Error: z.string().optional(),
  Cause: z.string().optional(),
  Status: z.string().optional(),
});

function clientIdOf(input: string | undefined): string {
  try {
    const parsed: unknown = JSON.parse(input ?? "null");
    if (
      parsed &&
      typeof parsed === "object" &&
      "client_id" in parsed &&
      typeof parsed.client_id === "string"
    ) {
      return parsed.client_id;
    }
  } catch {
    // Falls through to the placeholder: the failure is still counted.
  }
  return "(unknown)";
}

async function readArray(store: S3Store, bucket: string, key: string): Promise<unknown[]> {
  const stored = await store.getJson(bucket, key);
  if (!stored || !Array.isArray(stored.value)) {
    throw new StoreUnavailableError(`Map result file s3://${bucket}/${key} is missing or not a JSON array`);
  }
  return stored.value;
}

/** Every branch outcome of a Distributed Map run, as `{client_id, status, ...}` records. */
export async function readMapResults(store: S3Store, details: ResultWriterDetails): Promise<unknown[]> {
  const manifest = await store.getJson(details.Bucket, details.Key);
  const parsed = ManifestSchema.safeParse(manifest?.value);
  if (!parsed.success) {
    throw new StoreUnavailableError(
      `Map result manifest s3://${details.Bucket}/${details.Key} is missing or invalid`,
    );
  }
  const results: unknown[] = [];
  for (const file of parsed.data.ResultFiles.SUCCEEDED) {
    results.push(...(await readArray(store, details.Bucket, file.Key)));
  }
  for (const [status, files] of [
    ["FAILED", parsed.data.ResultFiles.FAILED],
    ["PENDING", parsed.data.ResultFiles.PENDING],
  ] as const) {
    for (const file of files) {
      for (const entry of await readArray(store, details.Bucket, file.Key)) {
        const execution = UnfinishedExecutionSchema.parse(entry);
        results.push({
          client_id: clientIdOf(execution.Input),
          status: "failed",
          error:
            execution.Error ?? (status === "PENDING" ? "States.MapRunPending" : "States.ExecutionFailed"),
          cause: execution.Cause ?? null,
        });
      }
    }
  }
  return results;
}
