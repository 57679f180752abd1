import * as z from "zod";
import { ClientIdSchema } from "../config/client-config.ts";
import { formatProblem, zodProblems } from "../config/validation.ts";
import { InvalidInputError } from "../errors/workflow-errors.ts";

export const IngestionModeSchema = z.enum(["strict", "balanced", "broad"]);
export type IngestionMode = z.infer<typeof IngestionModeSchema>;

export const RunIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, "is not a valid run id");

const IsoInstantSchema = z.iso.datetime({ offset: true, message: "must be an ISO 8601 date-time" });

/**
 * The execution input. Strict: an unknown key is a typo, and a typo must not silently run every client.
 * `run_id` and `window_end` are what a Map item carries, so an item pasted as an execution input
 * re-runs that client over the same window (the new run records `rerun_of`).
 */
export const ExecutionInputSchema = z
  .strictObject({
    client_id: ClientIdSchema.optional(),
    client_ids: z.array(ClientIdSchema).min(1).max(10_000).optional(),
    period_days: z.number().int().min(1).max(365).nullable().optional(),
    dry_run: z.boolean().optional(),
    force_refresh: z.boolean().optional(),
    ingestion_mode: IngestionModeSchema.optional(),
    scheduled_time: IsoInstantSchema.optional(),
    window_end: IsoInstantSchema.optional(),
    run_id: RunIdSchema.optional(),
  })
  .refine((input) => !(input.client_id && input.client_ids), {
    message: "give either client_id or client_ids, not both",
    path: ["client_ids"],
  });
export type ExecutionInput = z.infer<typeof ExecutionInputSchema>;

export const RunOptionsSchema = z.object({
  /** null: each client's `pipeline.default_period_days`. */
  period_days: z.number().int().min(1).max(365).nullable(),
  dry_run: z.boolean(),
  force_refresh: z.boolean(),
  ingestion_mode: IngestionModeSchema,
});
export type RunOptions = z.infer<typeof RunOptionsSchema>;

export const RunSchema = z.object({
  run_id: RunIdSchema,
  started_at: IsoInstantSchema,
  window_end: IsoInstantSchema,
  options: RunOptionsSchema,
  rerun_of: RunIdSchema.optional(),
});
export type Run = z.infer<typeof RunSchema>;

/** What `Ingest clients` hands each branch; also a valid ExecutionInput (pinned by a test). */
export const IngestItemSchema = z.strictObject({
  client_id: ClientIdSchema,
  run_id: RunIdSchema,
  window_end: IsoInstantSchema,
  period_days: z.number().int().min(1).max(365).nullable(),
  dry_run: z.boolean(),
  force_refresh: z.boolean(),
  ingestion_mode: IngestionModeSchema,
});
export type IngestItem = z.infer<typeof IngestItemSchema>;

export function parseExecutionInput(input: unknown): ExecutionInput {
  const result = ExecutionInputSchema.safeParse(input ?? {});
  if (!result.success) {
    throw new InvalidInputError(
      `invalid execution input: ${zodProblems("input", result.error).map(formatProblem).join("; ")}`,
    );
  }
  return result.data;
}

export function parseIngestItem(event: unknown): IngestItem {
  const result = IngestItemSchema.safeParse(event);
  if (!result.success) {
    throw new InvalidInputError(
      `invalid client item: ${zodProblems("item", result.error).map(formatProblem).join("; ")}`,
    );
  }
  return result.data;
}

export function runOptions(input: ExecutionInput): RunOptions {
  return {
    period_days: input.period_days ?? null,
    dry_run: input.dry_run ?? false,
    force_refresh: input.force_refresh ?? false,
    ingestion_mode: input.ingestion_mode ?? "balanced",
  };
}

/** `20261124T060000Z-<execution name>`: sorts by start time in `runs/`, unique per execution. */
export function makeRunId(startedAt: Date, executionName: string): string {
  const stamp = startedAt
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  const name = executionName.replace(/[^A-Za-z0-9_.-]/g, "-").slice(0, 100);
  return `${stamp}-${name}`;
}
