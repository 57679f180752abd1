import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { Tracer } from "@aws-lambda-powertools/tracer";
import { S3Client } from "@aws-sdk/client-s3";
import * as z from "zod";
import type { FetchPolicy } from "../fetch/fetcher.ts";
import { S3Store } from "../store/s3-store.ts";

/** Everything the domain functions need from the outside world, passed in rather than read globally. */
export interface Runtime {
  store: S3Store;
  configBucket: string;
  dataBucket: string;
  fetchPolicy: Partial<FetchPolicy>;
  logger: Logger;
  /**
   * Where list-clients puts the run's clients: in the state (inline Map) or in S3 as JSON Lines for a
   * Distributed Map's ItemReader (CDK context mapMode=distributed sets VECTORA_CLIENT_LIST=s3).
   */
  clientList: "state" | "s3";
  /** CloudWatch metrics (EMF); absent in local runs, whose summary is printed instead. */
  metrics?: Metrics;
  now: () => Date;
  /** Milliseconds left in this invocation (Lambda's context); absent when nothing bounds the run. */
  remainingMs?: () => number;
  /** Below this many remaining milliseconds no new fetch starts (default in workflow/fetch-sources.ts). */
  deadlineMarginMs?: number;
}

const LambdaEnvSchema = z.object({
  CONFIG_BUCKET: z.string().min(3),
  DATA_BUCKET: z.string().min(3),
  VECTORA_ENV: z.string().min(1).default("dev"),
  VECTORA_CLIENT_LIST: z.enum(["state", "s3"]).default("state"),
  POWERTOOLS_SERVICE_NAME: z.string().min(1).default("vectora-ingest"),
  POWERTOOLS_METRICS_NAMESPACE: z.string().min(1).default("VectoraIngest"),
});

/**
 * Read once at cold start; a missing variable fails the init, not the tenth invocation. The deployed
 * functions never allow private-network fetches: that switch exists only for local runs.
 */
export function runtimeFromEnv(env: NodeJS.ProcessEnv = process.env): Runtime {
  const parsed = LambdaEnvSchema.safeParse(env);
  if (!parsed.success) {
    const missing = parsed.error.issues.map((i) => i.path.join(".")).join(", ");
    throw new Error(`Lambda environment is incomplete: ${missing}`);
  }
  // X-Ray is on for the functions; the tracer adds a subsegment per S3 call, so a slow client shows where.
  const tracer = new Tracer({ serviceName: parsed.data.POWERTOOLS_SERVICE_NAME });
  return {
    store: new S3Store(tracer.captureAWSv3Client(new S3Client({}))),
    configBucket: parsed.data.CONFIG_BUCKET,
    dataBucket: parsed.data.DATA_BUCKET,
    fetchPolicy: { allowPrivateNetwork: false },
    clientList: parsed.data.VECTORA_CLIENT_LIST,
    // Named from the environment this function read, not from process.env behind its back.
    logger: new Logger({ serviceName: parsed.data.POWERTOOLS_SERVICE_NAME }),
    metrics: new Metrics({
      namespace: parsed.data.POWERTOOLS_METRICS_NAMESPACE,
      serviceName: parsed.data.POWERTOOLS_SERVICE_NAME,
      defaultDimensions: { environment: parsed.data.VECTORA_ENV },
    }),
    now: () => new Date(),
  };
}
