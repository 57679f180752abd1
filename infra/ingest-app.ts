import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { readIngestContext } from "./config.ts";
import { IngestStack } from "./ingest-stack.ts";

/**
 * Feature flags the stack relies on, set here rather than only in cdk.json so that tests build the
 * same app the CLI does.
 */
export const FEATURE_FLAGS = {
  // Server access logs are granted by a bucket policy, which works with BUCKET_OWNER_ENFORCED (no ACLs).
  "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy": true,
} as const;

export interface IngestAppProps {
  /** CDK context (see infra/config.ts); the CLI's `-c` values and cdk.json reach the app through the environment. */
  readonly context?: Record<string, unknown>;
  readonly outdir?: string;
  /** Runs the AwsSolutions checks at synth; true unless a test wants the raw template. */
  readonly nagChecks?: boolean;
}

export interface IngestApp {
  readonly app: App;
  readonly stack: IngestStack;
}

export function createIngestApp(props: IngestAppProps = {}): IngestApp {
  const app = new App({
    context: { ...FEATURE_FLAGS, ...props.context },
    ...(props.outdir ? { outdir: props.outdir } : {}),
  });
  const config = readIngestContext(app.node);
  const stack = new IngestStack(app, `vectora-ingest-${config.env}`, {
    config,
    description: `Vectora ingest (${config.env}): scheduled multi-client news ingestion on Step Functions`,
  });
  if (props.nagChecks ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
