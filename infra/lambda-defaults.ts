import { resolve } from "node:path";
import { type Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { NodejsFunction, OutputFormat, SourceMapMode } from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";

/** Repository root: lock file, tsconfig and node_modules live there. */
export const PROJECT_ROOT = resolve(import.meta.dirname, "..");

/** The newest Node.js runtime aws-cdk-lib offers; cdk-nag L1 checks for it. */
export const LAMBDA_RUNTIME = lambda.Runtime.NODEJS_24_X;

export const POWERTOOLS_SERVICE_NAME = "vectora-ingest";
export const METRICS_NAMESPACE = "VectoraIngest";

/**
 * esbuild options shared by every handler. The sources are ESM TypeScript with `.ts` import
 * specifiers; the bundle is ESM too, and the banner gives CommonJS dependencies bundled into it
 * the `require` that ESM scope lacks. Cold starts pay for every byte, so the code keeps the bundles
 * small: `import * as z from "zod"` (a `{ z }` import keeps every zod locale, 350 KB), `cheerio/slim`
 * (the main entry brings undici, parse5 and iconv-lite), and no CSS parser.
 */
export const BUNDLING: NonNullable<ConstructorParameters<typeof NodejsFunction>[2]>["bundling"] = {
  format: OutputFormat.ESM,
  target: "node22",
  platform: "node",
  mainFields: ["module", "main"],
  minify: true,
  sourceMap: true,
  sourceMapMode: SourceMapMode.DEFAULT,
  // Mappings without the embedded sources: stack traces still resolve, the zip stays small.
  sourcesContent: false,
  banner:
    "import{createRequire as __vectoraCreateRequire}from'node:module';const require=__vectoraCreateRequire(import.meta.url);",
  // Everything bundled, the AWS SDK included: the deployed code is the version the tests ran, and a bundled,
  // minified SDK loads faster than the runtime's copy (ingest-client: 250 ms against 380 ms to import,
  // measured with `npm run bench`), although it is about a third of the bundle.
  externalModules: [],
  // Code the Lambdas never run, replaced by stubs that say so if it ever is (see each stub's comment):
  // linkedom's CSS parser, the SDK's credential chain beyond the environment, and the X-Ray SDK's semver.
  esbuildArgs: {
    "--alias:cssomnom": "./infra/bundle-stubs/cssomnom",
    "--alias:@aws-sdk/credential-provider-node": "./infra/bundle-stubs/credential-provider-node",
    "--alias:semver": "./infra/bundle-stubs/semver",
  },
  forceDockerBundling: false,
};

export interface VectoraFunctionProps {
  /** Short name, e.g. "list-clients"; the handler entry is lambdas/<name>/index.ts. */
  readonly name: string;
  /** Environment name (the `env` context). */
  readonly env: string;
  readonly description: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  /** Variables added to the shared ones. */
  readonly environment: Record<string, string>;
  /** Overrides the entry; defaults to lambdas/<name>/index.ts. */
  readonly entry?: string;
  readonly logRetention?: logs.RetentionDays;
}

/**
 * One Lambda of the workflow with the defaults every handler shares: runtime, ARM64, X-Ray, its own
 * log group with a retention, Powertools settings and a role that starts with nothing but the right
 * to write to that log group (no AWSLambdaBasicExecutionRole with its account-wide log permissions).
 */
export class VectoraFunction extends Construct {
  readonly function: NodejsFunction;
  /** The deployed function name, vectora-ingest-<env>-<name>. */
  readonly functionName: string;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: VectoraFunctionProps) {
    super(scope, id);
    const functionName = `vectora-ingest-${props.env}-${props.name}`;
    this.functionName = functionName;

    this.logGroup = new logs.LogGroup(this, "LogGroup", {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      // The name is fixed, so a retained group would block re-creating the stack.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: `Runs the ${functionName} Lambda`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, "Function", {
      functionName,
      description: props.description,
      entry: props.entry ?? `${PROJECT_ROOT}/lambdas/${props.name}/index.ts`,
      handler: "handler",
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}/package-lock.json`,
      runtime: LAMBDA_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      tracing: lambda.Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      bundling: BUNDLING,
      environment: {
        VECTORA_ENV: props.env,
        POWERTOOLS_SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: "INFO",
        NODE_OPTIONS: "--enable-source-maps",
        ...props.environment,
      },
    });

    const policy = this.role.node.tryFindChild("DefaultPolicy");
    if (policy) {
      Validations.of(policy).acknowledge({
        id: "AwsSolutions-IAM5[Resource::*]",
        reason:
          "Active tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions.",
      });
    }
  }
}
