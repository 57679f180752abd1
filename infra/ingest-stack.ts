import {
  ArnFormat,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Tags,
  TimeZone,
  Validations,
} from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as logs from "aws-cdk-lib/aws-logs";
import * as s3 from "aws-cdk-lib/aws-s3";
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from "aws-cdk-lib/aws-scheduler";
import { StepFunctionsStartExecution } from "aws-cdk-lib/aws-scheduler-targets";
import type * as sns from "aws-cdk-lib/aws-sns";
import * as sqs from "aws-cdk-lib/aws-sqs";
import * as sfn from "aws-cdk-lib/aws-stepfunctions";
import type { Construct } from "constructs";
import { CONFIG_PREFIXES, DATA_PREFIXES } from "../shared/store/keys.ts";
import type { IngestContext } from "./config.ts";
import { type DefinitionSubstitutionKey, loadDefinition } from "./definition.ts";
import { IngestAlarms } from "./ingest-alarms.ts";
import { VectoraFunction } from "./lambda-defaults.ts";
import { listBucket, readObjects, writeObjects } from "./s3-access.ts";

export interface IngestStackProps extends StackProps {
  readonly config: IngestContext;
}

/** Config prefixes: client YAML files and the shared canonical files (catalog, extractors, profiles). */
const CONFIG_READ_PREFIXES = [CONFIG_PREFIXES.clients, CONFIG_PREFIXES.canonical] as const;
const { ingested, state, runs } = DATA_PREFIXES;

export class IngestStack extends Stack {
  readonly configBucket: s3.Bucket;
  readonly dataBucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;
  readonly listClients: VectoraFunction;
  readonly ingestClient: VectoraFunction;
  readonly aggregateStats: VectoraFunction;
  readonly stateMachine: sfn.StateMachine;
  readonly schedule: Schedule;
  readonly scheduleDeadLetterQueue: sqs.Queue;
  readonly alarmTopic: sns.Topic;
  readonly alarms: IngestAlarms;

  constructor(scope: Construct, id: string, props: IngestStackProps) {
    super(scope, id, props);
    const { config } = props;
    const prefix = `vectora-ingest-${config.env}`;
    Tags.of(this).add("project", "vectora-ingest");
    Tags.of(this).add("environment", config.env);

    // ---- Storage
    this.accessLogsBucket = new s3.Bucket(this, "AccessLogsBucket", {
      // Server access logging delivers only to SSE-S3 buckets.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      lifecycleRules: [{ id: "expire-access-logs", expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.configBucket = this.privateBucket("ConfigBucket", "config-bucket/");
    this.dataBucket = this.privateBucket("DataBucket", "data-bucket/");

    // ---- Lambdas
    const environment = {
      CONFIG_BUCKET: this.configBucket.bucketName,
      DATA_BUCKET: this.dataBucket.bucketName,
    };
    const distributed = config.mapMode === "distributed";
    this.listClients = new VectoraFunction(this, "ListClients", {
      name: "list-clients",
      env: config.env,
      description: "Validates the execution input and resolves the clients of the run",
      memorySize: 512,
      timeout: Duration.seconds(60),
      environment: { ...environment, VECTORA_CLIENT_LIST: distributed ? "s3" : "state" },
    });
    this.ingestClient = new VectoraFunction(this, "IngestClient", {
      name: "ingest-client",
      env: config.env,
      description: "Ingests the sources of one client and stores its items",
      memorySize: 1024,
      timeout: Duration.minutes(10),
      environment,
    });
    this.aggregateStats = new VectoraFunction(this, "AggregateStats", {
      name: "aggregate-stats",
      env: config.env,
      description: "Writes the run summary and publishes the run metrics",
      memorySize: 512,
      timeout: Duration.seconds(60),
      environment,
    });

    // list-clients only scans clients/; a named client without a config is left
    // to ingest-client, so it never needs a 404 and its listing can stay limited to clients/.
    this.listClients.role.addToPolicy(listBucket(this.configBucket, [CONFIG_PREFIXES.clients]));
    this.listClients.role.addToPolicy(readObjects(this.configBucket, CONFIG_READ_PREFIXES));
    // A Distributed Map reads the run's client list from runs/{run_id}/clients.jsonl.
    if (distributed) this.listClients.role.addToPolicy(writeObjects(this.dataBucket, [runs]));

    this.ingestClient.role.addToPolicy(listBucket(this.configBucket));
    this.ingestClient.role.addToPolicy(readObjects(this.configBucket, CONFIG_READ_PREFIXES));
    this.ingestClient.role.addToPolicy(listBucket(this.dataBucket));
    this.ingestClient.role.addToPolicy(readObjects(this.dataBucket, [ingested, state, runs]));
    this.ingestClient.role.addToPolicy(writeObjects(this.dataBucket, [ingested, state, runs]));

    // The aggregate reads the run's client details (source health) and, with a Distributed Map, the
    // outcomes the ResultWriter stored under runs/.
    this.aggregateStats.role.addToPolicy(listBucket(this.dataBucket));
    this.aggregateStats.role.addToPolicy(readObjects(this.dataBucket, [runs]));
    this.aggregateStats.role.addToPolicy(writeObjects(this.dataBucket, [runs]));

    this.acknowledgeObjectWildcards(this.listClients, [
      ...CONFIG_READ_PREFIXES.map((p) => [this.configBucket, p] as const),
      ...(distributed ? [[this.dataBucket, runs] as const] : []),
    ]);
    this.acknowledgeObjectWildcards(this.ingestClient, [
      ...CONFIG_READ_PREFIXES.map((p) => [this.configBucket, p] as const),
      [this.dataBucket, ingested],
      [this.dataBucket, state],
      [this.dataBucket, runs],
    ]);
    this.acknowledgeObjectWildcards(this.aggregateStats, [[this.dataBucket, runs]]);

    // ---- State machine
    const stateMachineLogs = new logs.LogGroup(this, "StateMachineLogs", {
      // The /aws/vendedlogs/ prefix keeps the CloudWatch Logs resource policy from growing per log group.
      logGroupName: `/aws/vendedlogs/states/${prefix}`,
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const substitutions: Record<DefinitionSubstitutionKey, string> & { DataBucketName?: string } = {
      ListClientsFunctionArn: this.listClients.function.functionArn,
      IngestClientFunctionArn: this.ingestClient.function.functionArn,
      AggregateStatsFunctionArn: this.aggregateStats.function.functionArn,
      ...(distributed ? { DataBucketName: this.dataBucket.bucketName } : {}),
    };
    this.stateMachine = new sfn.StateMachine(this, "StateMachine", {
      stateMachineName: prefix,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromString(
        JSON.stringify(loadDefinition({ maxConcurrency: config.maxConcurrency, mapMode: config.mapMode })),
      ),
      definitionSubstitutions: substitutions,
      logs: { destination: stateMachineLogs, level: sfn.LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });
    // The ASL invokes the unqualified ARNs only, so no "<arn>:*" (versions and aliases) grant is needed.
    this.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ["lambda:InvokeFunction"],
        resources: [
          this.listClients.function.functionArn,
          this.ingestClient.function.functionArn,
          this.aggregateStats.function.functionArn,
        ],
      }),
    );
    if (distributed) this.grantDistributedMap(prefix);
    const stateMachinePolicy = this.stateMachine.role.node.tryFindChild("DefaultPolicy");
    if (stateMachinePolicy) {
      Validations.of(stateMachinePolicy).acknowledge({
        id: "AwsSolutions-IAM5[Resource::*]",
        reason:
          "Log delivery (logs:CreateLogDelivery, logs:*LogDelivery*, logs:PutResourcePolicy, logs:Describe*) and X-Ray " +
          "(xray:PutTraceSegments, xray:GetSampling*) actions support no resource-level permissions.",
      });
    }

    // ---- Schedule
    this.scheduleDeadLetterQueue = new sqs.Queue(this, "ScheduleDeadLetterQueue", {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.scheduleDeadLetterQueue).acknowledge({
      id: "AwsSolutions-SQS3",
      reason:
        "This queue is the dead-letter queue of the EventBridge Scheduler target; cdk-nag only recognises SQS redrive policies as DLQ use.",
    });
    this.schedule = new Schedule(this, "Schedule", {
      scheduleName: prefix,
      description: "Starts the Vectora ingest run",
      schedule: ScheduleExpression.expression(
        config.scheduleExpression,
        TimeZone.of(config.scheduleTimezone),
      ),
      target: new StepFunctionsStartExecution(this.stateMachine, {
        // The window of the run ends at the scheduled time, so a replay reproduces the same window.
        input: ScheduleTargetInput.fromObject({ scheduled_time: ContextAttribute.scheduledTime }),
        retryAttempts: 3,
        maxEventAge: Duration.hours(1),
        deadLetterQueue: this.scheduleDeadLetterQueue,
      }),
    });

    // ---- Alarms
    // The id "Default" leaves the construct out of its children's logical IDs (a CDK rule), so the alarms,
    // topic and key kept the IDs they had when the stack created them itself: moving them replaced nothing.
    this.alarms = new IngestAlarms(this, "Default", {
      prefix,
      env: config.env,
      alarmEmail: config.alarmEmail,
      stateMachine: this.stateMachine,
      scheduleDeadLetterQueue: this.scheduleDeadLetterQueue,
      // ingest-client errors are caught per client by the Map and counted in ClientsFailed.
      functions: [this.listClients, this.aggregateStats],
    });
    this.alarmTopic = this.alarms.topic;

    // ---- Outputs
    new CfnOutput(this, "StateMachineArn", { value: this.stateMachine.stateMachineArn });
    new CfnOutput(this, "ConfigBucketName", { value: this.configBucket.bucketName });
    new CfnOutput(this, "DataBucketName", { value: this.dataBucket.bucketName });
  }

  private privateBucket(id: string, logPrefix: string): s3.Bucket {
    return new s3.Bucket(this, id, {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: logPrefix,
      lifecycleRules: [
        {
          id: "expire-old-versions",
          noncurrentVersionExpiration: Duration.days(90),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /**
   * A Distributed Map reads its items and writes its results in S3 itself, and starts, watches and stops
   * its child executions: the grants CDK's DistributedMap construct would add, scoped to this machine.
   */
  private grantDistributedMap(stateMachineName: string): void {
    const runObjects = this.dataBucket.arnForObjects(`${DATA_PREFIXES.runs}*`);
    this.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ["s3:GetObject", "s3:PutObject", "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload"],
        resources: [runObjects],
      }),
    );
    this.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ["states:StartExecution"],
        resources: [
          this.formatArn({
            service: "states",
            resource: "stateMachine",
            resourceName: stateMachineName,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );
    const executions = this.formatArn({
      service: "states",
      resource: "execution",
      resourceName: `${stateMachineName}/*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ["states:DescribeExecution", "states:StopExecution"],
        resources: [executions],
      }),
    );
    const policy = this.stateMachine.role.node.tryFindChild("DefaultPolicy");
    if (!policy) return;
    const dataBucketId = this.getLogicalId(this.dataBucket.node.defaultChild as s3.CfnBucket);
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${dataBucketId}.Arn>/${DATA_PREFIXES.runs}*]`,
      reason:
        "The Distributed Map reads each run's client list and writes its outcomes under runs/{run_id}/.",
    });
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${stateMachineName}/*]`,
      reason: "Child executions of the Distributed Map are named by Step Functions at run time.",
    });
  }

  /**
   * The object statements name `<bucket>/<prefix>*`: the prefix is the scope, the wildcard stands for
   * the keys under it, which are only known at run time. Each finding is acknowledged by its exact id.
   */
  private acknowledgeObjectWildcards(
    fn: VectoraFunction,
    scopes: ReadonlyArray<readonly [s3.Bucket, string]>,
  ): void {
    const policy = fn.role.node.tryFindChild("DefaultPolicy");
    if (!policy) return;
    for (const [bucket, keyPrefix] of scopes) {
      const logicalId = this.getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/${keyPrefix}*]`,
        reason: `Keys under ${keyPrefix} are per client and per run; the grant is limited to that prefix of this bucket.`,
      });
    }
  }
}
