/**
 * CDK context read by the ingest stack. Every key is optional; set it in cdk.json "context" or on the
 * command line (`npx cdk synth -c env=prod -c maxConcurrency=25`). Values given with `-c` arrive as
 * strings, so numbers are coerced.
 *
 *   env                name of the environment, lower-case letters, digits and dashes (default "dev").
 *                      Goes into resource names (functions, state machine, alarms), the VECTORA_ENV
 *                      variable of the Lambdas, the `environment` metric dimension and the tags.
 *   scheduleExpression EventBridge Scheduler expression (default "cron(0 6 ? * MON-FRI *)").
 *   scheduleTimezone   IANA time zone of the expression (default "Europe/Paris").
 *   maxConcurrency     MaxConcurrency of the "Ingest clients" Map state: clients ingested at once
 *                      (default 10; 1..40 for an inline Map, which runs at most 40 iterations at
 *                      once; up to 1000 with mapMode distributed).
 *   mapMode            "inline" (default) or "distributed": a Distributed Map whose items and outcomes
 *                      go through S3, for more clients than one execution's 256 KB state holds
 *                      (see infra/distributed-map.ts).
 *   alarmEmail         when set, an email subscription to the alarm topic (the address must confirm it).
 */
import type { Node } from "constructs";
import { z } from "zod";

export const IngestContextSchema = z
  .object({
    env: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,19}$/, "lower-case letters, digits and dashes, starting with a letter")
      .default("dev"),
    scheduleExpression: z
      .string()
      .regex(/^(cron|rate|at)\(.+\)$/, "a cron(...), rate(...) or at(...) expression")
      .default("cron(0 6 ? * MON-FRI *)"),
    scheduleTimezone: z
      .string()
      .refine(isKnownTimeZone, "an IANA time zone such as Europe/Paris")
      .default("Europe/Paris"),
    maxConcurrency: z.coerce.number().int().min(1).max(1000).default(10),
    mapMode: z.enum(["inline", "distributed"]).default("inline"),
    alarmEmail: z.email().optional(),
  })
  .refine((c) => c.mapMode === "distributed" || c.maxConcurrency <= 40, {
    path: ["maxConcurrency"],
    message: "at most 40 with an inline Map (use mapMode distributed for more)",
  });
export type IngestContext = z.infer<typeof IngestContextSchema>;

const CONTEXT_KEYS = [
  "env",
  "scheduleExpression",
  "scheduleTimezone",
  "maxConcurrency",
  "mapMode",
  "alarmEmail",
] as const;

export class InvalidContextError extends Error {
  override readonly name = "InvalidContextError";
}

/** Reads and validates the stack's context keys from a construct node (usually the app's). */
export function readIngestContext(node: Node): IngestContext {
  const raw: Record<string, unknown> = {};
  for (const key of CONTEXT_KEYS) {
    const value: unknown = node.tryGetContext(key);
    // An empty `-c alarmEmail=` means "not set", not an invalid address.
    if (value !== undefined && value !== "") raw[key] = value;
  }
  const parsed = IngestContextSchema.safeParse(raw);
  if (!parsed.success) {
    const details = parsed.error.issues
      .map((issue) => `${issue.path.join(".") || "(context)"}: ${issue.message}`)
      .join("; ");
    throw new InvalidContextError(`Invalid CDK context: ${details}`);
  }
  return parsed.data;
}

function isKnownTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
