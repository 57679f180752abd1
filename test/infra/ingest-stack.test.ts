import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Match } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import {
  type Json,
  onlyResource,
  render,
  resourcesOfType,
  roleStatements,
  type Statement,
  synthIngest,
} from "./template-helpers.ts";

const ASL_FILE = resolve(import.meta.dirname, "../../statemachine/ingest.asl.json");
const { template } = synthIngest();

function functionNamed(name: string): [string, Record<string, Json>] {
  const [id, fn] = onlyResource(template, "AWS::Lambda::Function", (p) => p.FunctionName === name);
  return [id, fn.Properties ?? {}];
}

function bucketId(prefix: string): string {
  const ids = Object.keys(resourcesOfType(template, "AWS::S3::Bucket")).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1) throw new Error(`expected one bucket ${prefix}*, found ${ids.join(", ")}`);
  return ids[0] as string;
}

const configBucket = bucketId("ConfigBucket");
const dataBucket = bucketId("DataBucket");
const logsBucket = bucketId("AccessLogsBucket");

const FUNCTIONS = {
  "list-clients": { memory: 512, timeout: 60 },
  "ingest-client": { memory: 1024, timeout: 600 },
  "aggregate-stats": { memory: 512, timeout: 60 },
} as const;
type FunctionKey = keyof typeof FUNCTIONS;

function statementsOf(key: FunctionKey): Statement[] {
  const [, fn] = functionNamed(`vectora-ingest-dev-${key}`);
  const roleId = render(fn.Role).replace(/^<|\.Arn>$/g, "");
  return roleStatements(template, roleId);
}

function s3Statements(key: FunctionKey): Statement[] {
  return statementsOf(key).filter((s) => s.Action.some((a) => a.startsWith("s3:")));
}

/** Resources granted an S3 action, as `<Bucket.Arn>/prefix/*` text. */
function resourcesFor(key: FunctionKey, action: string): string[] {
  return s3Statements(key)
    .filter((s) => s.Action.includes(action))
    .flatMap((s) => s.Resource)
    .sort();
}

describe("IngestStack state machine", () => {
  const [, machine] = onlyResource(template, "AWS::StepFunctions::StateMachine");
  const props = machine.Properties ?? {};

  it("deploys the ASL file with the function ARNs substituted and MaxConcurrency from context", () => {
    const substitutions = props.DefinitionSubstitutions as Record<string, Json>;
    let deployed = render(props.DefinitionString);
    for (const [key, value] of Object.entries(substitutions))
      deployed = deployed.replaceAll(`\${${key}}`, render(value));

    const expected = JSON.parse(readFileSync(ASL_FILE, "utf8"));
    expected.States["Ingest clients"].MaxConcurrency = 10;
    const arn = (name: string) => `<${functionNamed(`vectora-ingest-dev-${name}`)[0]}.Arn>`;
    const arns = {
      ListClientsFunctionArn: arn("list-clients"),
      IngestClientFunctionArn: arn("ingest-client"),
      AggregateStatsFunctionArn: arn("aggregate-stats"),
    };
    let expectedText = JSON.stringify(expected);
    for (const [key, value] of Object.entries(arns)) {
      expect(expectedText).toContain(`\${${key}}`);
      expectedText = expectedText.replaceAll(`\${${key}}`, value);
    }

    expect(Object.keys(substitutions).sort()).toEqual([
      "AggregateStatsFunctionArn",
      "IngestClientFunctionArn",
      "ListClientsFunctionArn",
    ]);
    expect(deployed).not.toContain("${");
    expect(JSON.parse(deployed)).toEqual(JSON.parse(expectedText));
  });

  it("is a STANDARD workflow logging ALL to its own log group, with X-Ray tracing", () => {
    expect(props.StateMachineType).toBe("STANDARD");
    expect(props.StateMachineName).toBe("vectora-ingest-dev");
    expect(props.TracingConfiguration).toEqual({ Enabled: true });
    const logging = props.LoggingConfiguration as { Level: string; Destinations: Json[] };
    expect(logging.Level).toBe("ALL");
    const [logGroupId, logGroup] = onlyResource(
      template,
      "AWS::Logs::LogGroup",
      (p) => p.LogGroupName === "/aws/vendedlogs/states/vectora-ingest-dev",
    );
    expect(logGroup.Properties?.RetentionInDays).toBeGreaterThan(0);
    expect(JSON.stringify(logging.Destinations)).toContain(logGroupId);
  });

  it("may invoke exactly the three functions", () => {
    const roleId = render(props.RoleArn).replace(/^<|\.Arn>$/g, "");
    const invoke = roleStatements(template, roleId).filter((s) => s.Action.includes("lambda:InvokeFunction"));
    const granted = invoke.flatMap((s) => s.Resource).sort();
    const expected = (["list-clients", "ingest-client", "aggregate-stats"] as const)
      .map((name) => `<${functionNamed(`vectora-ingest-dev-${name}`)[0]}.Arn>`)
      .sort();
    expect(granted).toEqual(expected);
  });
});

describe("IngestStack schedule", () => {
  const [, schedule] = onlyResource(template, "AWS::Scheduler::Schedule");
  const props = schedule.Properties ?? {};
  const target = props.Target as Record<string, Json>;

  it("runs on the default cron expression in the Europe/Paris time zone", () => {
    expect(props.ScheduleExpression).toBe("cron(0 6 ? * MON-FRI *)");
    expect(props.ScheduleExpressionTimezone).toBe("Europe/Paris");
    expect(props.State).toBe("ENABLED");
  });

  it("starts the state machine with only the scheduled time as input", () => {
    const [machineId] = onlyResource(template, "AWS::StepFunctions::StateMachine");
    expect(render(target.Arn)).toBe(`<${machineId}>`);
    expect(target.Input).toBe('{"scheduled_time":"<aws.scheduler.scheduled-time>"}');
  });

  it("retries delivery and dead-letters to an encrypted, SSL-only queue", () => {
    expect(target.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 3 });
    const [queueId, queue] = onlyResource(template, "AWS::SQS::Queue");
    expect(render((target.DeadLetterConfig as Record<string, Json>).Arn)).toBe(`<${queueId}.Arn>`);
    expect(queue.Properties?.SqsManagedSseEnabled).toBe(true);
    template.hasResourceProperties("AWS::SQS::QueuePolicy", {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      },
    });
  });
});

describe("IngestStack Lambdas", () => {
  it.each(Object.entries(FUNCTIONS))("%s has the shared defaults and its own sizing", (name, sizing) => {
    const [, fn] = functionNamed(`vectora-ingest-dev-${name}`);
    const runtime = /^nodejs(\d+)\.x$/.exec(String(fn.Runtime));
    expect(Number(runtime?.[1])).toBeGreaterThanOrEqual(22);
    expect(fn.Handler).toBe("index.handler");
    expect(fn.Architectures).toEqual(["arm64"]);
    expect(fn.TracingConfig).toEqual({ Mode: "Active" });
    expect(fn.MemorySize).toBe(sizing.memory);
    expect(fn.Timeout).toBe(sizing.timeout);
    const variables = (fn.Environment as { Variables: Record<string, Json> }).Variables;
    expect(variables).toMatchObject({
      VECTORA_ENV: "dev",
      POWERTOOLS_SERVICE_NAME: "vectora-ingest",
      POWERTOOLS_METRICS_NAMESPACE: "VectoraIngest",
      POWERTOOLS_LOG_LEVEL: "INFO",
    });
    expect(render(variables.CONFIG_BUCKET)).toBe(`<${configBucket}>`);
    expect(render(variables.DATA_BUCKET)).toBe(`<${dataBucket}>`);
  });

  it.each(Object.keys(FUNCTIONS))("%s logs to an explicit log group with a retention", (name) => {
    const [, fn] = functionNamed(`vectora-ingest-dev-${name}`);
    const logGroupRef = render((fn.LoggingConfig as Record<string, Json>).LogGroup);
    const [logGroupId, logGroup] = onlyResource(
      template,
      "AWS::Logs::LogGroup",
      (p) => p.LogGroupName === `/aws/lambda/vectora-ingest-dev-${name}`,
    );
    expect(logGroupRef).toBe(`<${logGroupId}>`);
    expect(logGroup.Properties?.RetentionInDays).toBeGreaterThan(0);
  });

  it("roles carry no managed policies", () => {
    for (const name of Object.keys(FUNCTIONS)) {
      const [, fn] = functionNamed(`vectora-ingest-dev-${name}`);
      const roleId = render(fn.Role).replace(/^<|\.Arn>$/g, "");
      const role = resourcesOfType(template, "AWS::IAM::Role")[roleId];
      expect(role?.Properties?.ManagedPolicyArns).toBeUndefined();
    }
  });
});

describe("IngestStack S3 permissions", () => {
  it.each(Object.keys(FUNCTIONS) as FunctionKey[])(
    "%s: named actions on named resources, no delete",
    (key) => {
      const statements = s3Statements(key);
      expect(statements.length).toBeGreaterThan(0);
      for (const s of statements) {
        expect(s.Effect).toBe("Allow");
        for (const action of s.Action) {
          expect(action).not.toContain("*");
          expect(action).not.toMatch(/Delete/);
        }
        for (const resource of s.Resource) {
          expect(resource).not.toBe("*");
          expect(resource).toMatch(/^<(ConfigBucket|DataBucket)[A-Z0-9]+\.Arn>(\/[a-z]+\/\*)?$/);
        }
      }
    },
  );

  it("list-clients reads clients/ and canonical/ of the config bucket and nothing of the data bucket", () => {
    expect(resourcesFor("list-clients", "s3:GetObject")).toEqual([
      `<${configBucket}.Arn>/canonical/*`,
      `<${configBucket}.Arn>/clients/*`,
    ]);
    expect(resourcesFor("list-clients", "s3:PutObject")).toEqual([]);
    const listing = s3Statements("list-clients").filter((s) => s.Action.includes("s3:ListBucket"));
    expect(listing).toEqual([
      {
        Effect: "Allow",
        Action: ["s3:ListBucket"],
        Resource: [`<${configBucket}.Arn>`],
        Condition: { StringLike: { "s3:prefix": ["clients/*"] } },
      },
    ]);
    const all = JSON.stringify(statementsOf("list-clients"));
    expect(all).not.toContain(dataBucket);
  });

  it("ingest-client reads the config, reads and writes ingested/, state/ and runs/ of the data bucket", () => {
    expect(resourcesFor("ingest-client", "s3:GetObject")).toEqual([
      `<${configBucket}.Arn>/canonical/*`,
      `<${configBucket}.Arn>/clients/*`,
      `<${dataBucket}.Arn>/ingested/*`,
      `<${dataBucket}.Arn>/runs/*`,
      `<${dataBucket}.Arn>/state/*`,
    ]);
    expect(resourcesFor("ingest-client", "s3:PutObject")).toEqual([
      `<${dataBucket}.Arn>/ingested/*`,
      `<${dataBucket}.Arn>/runs/*`,
      `<${dataBucket}.Arn>/state/*`,
    ]);
    // Listing is what turns a missing state file into 404 NoSuchKey instead of 403.
    expect(resourcesFor("ingest-client", "s3:ListBucket")).toEqual([
      `<${configBucket}.Arn>`,
      `<${dataBucket}.Arn>`,
    ]);
  });

  it("aggregate-stats reads and writes runs/ of the data bucket only", () => {
    expect(resourcesFor("aggregate-stats", "s3:PutObject")).toEqual([`<${dataBucket}.Arn>/runs/*`]);
    expect(resourcesFor("aggregate-stats", "s3:GetObject")).toEqual([`<${dataBucket}.Arn>/runs/*`]);
    expect(JSON.stringify(statementsOf("aggregate-stats"))).not.toContain(configBucket);
  });

  it("grants s3:DeleteObject to no one in the stack", () => {
    for (const policy of Object.values(resourcesOfType(template, "AWS::IAM::Policy"))) {
      expect(JSON.stringify(policy)).not.toMatch(/s3:Delete|"s3:\*"/);
    }
  });
});

describe("IngestStack buckets", () => {
  const buckets = resourcesOfType(template, "AWS::S3::Bucket");
  const policies = Object.values(resourcesOfType(template, "AWS::S3::BucketPolicy"));

  it.each([configBucket, dataBucket, logsBucket])(
    "%s blocks public access, encrypts and requires SSL",
    (id) => {
      const bucket = buckets[id];
      expect(bucket?.Properties?.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(JSON.stringify(bucket?.Properties?.BucketEncryption)).toContain("AES256");
      expect(bucket?.DeletionPolicy).toBe("Retain");
      const policy = policies.find((p) => render(p.Properties?.Bucket) === `<${id}>`);
      const document = policy?.Properties?.PolicyDocument as { Statement: Json[] } | undefined;
      expect(document?.Statement).toContainEqual(
        expect.objectContaining({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
      );
    },
  );

  it.each([configBucket, dataBucket])("%s is versioned and logs access to the log bucket", (id) => {
    const props = buckets[id]?.Properties ?? {};
    expect(props.VersioningConfiguration).toEqual({ Status: "Enabled" });
    expect(render((props.LoggingConfiguration as Record<string, Json>).DestinationBucketName)).toBe(
      `<${logsBucket}>`,
    );
  });
});

describe("IngestStack alarms", () => {
  const [topicId, topic] = onlyResource(template, "AWS::SNS::Topic");
  const alarms = Object.values(resourcesOfType(template, "AWS::CloudWatch::Alarm")).map(
    (a) => a.Properties ?? {},
  );
  const alarmNamed = (name: string) => {
    const found = alarms.find((a) => a.AlarmName === `vectora-ingest-dev-${name}`);
    if (!found) throw new Error(`no alarm ${name}`);
    return found;
  };

  it("notifies an encrypted, SSL-only topic with no subscription by default", () => {
    expect(topic.Properties?.KmsMasterKeyId).toBeDefined();
    template.hasResourceProperties("AWS::SNS::TopicPolicy", {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      },
    });
    template.resourceCountIs("AWS::SNS::Subscription", 0);
  });

  it("routes every alarm to the topic", () => {
    expect(alarms.length).toBeGreaterThanOrEqual(4);
    for (const alarm of alarms) expect((alarm.AlarmActions as Json[]).map(render)).toEqual([`<${topicId}>`]);
  });

  it.each([
    ["ExecutionsFailed", "ExecutionsFailed"],
    ["ExecutionsTimedOut", "ExecutionsTimedOut"],
  ])("%s fires on any %s execution of the state machine", (name, metric) => {
    const [machineId] = onlyResource(template, "AWS::StepFunctions::StateMachine");
    const alarm = alarmNamed(name);
    expect(alarm).toMatchObject({
      Namespace: "AWS/States",
      MetricName: metric,
      Statistic: "Sum",
      Threshold: 0,
      ComparisonOperator: "GreaterThanThreshold",
    });
    expect(alarm.Dimensions).toEqual([{ Name: "StateMachineArn", Value: { Ref: machineId } }]);
  });

  it("fires on any failed client, on the metric the aggregate Lambda publishes", () => {
    const alarm = alarmNamed("ClientsFailed");
    expect(alarm).toMatchObject({
      Namespace: "VectoraIngest",
      MetricName: "ClientsFailed",
      Statistic: "Sum",
      Threshold: 0,
      ComparisonOperator: "GreaterThanThreshold",
      TreatMissingData: "notBreaching",
    });
    expect(alarm.Dimensions).toEqual(
      expect.arrayContaining([
        { Name: "service", Value: "vectora-ingest" },
        { Name: "environment", Value: "dev" },
      ]),
    );
    expect(alarm.Dimensions).toHaveLength(2);
  });

  it("fires when the scheduler dead-letters a start", () => {
    const [queueId] = onlyResource(template, "AWS::SQS::Queue");
    expect(alarmNamed("ScheduleDeadLetters")).toMatchObject({
      Namespace: "AWS/SQS",
      MetricName: "ApproximateNumberOfMessagesVisible",
      Dimensions: [{ Name: "QueueName", Value: { "Fn::GetAtt": [queueId, "QueueName"] } }],
    });
  });
});

describe("IngestStack outputs", () => {
  it("exports the state machine ARN and both bucket names", () => {
    const [machineId] = onlyResource(template, "AWS::StepFunctions::StateMachine");
    const outputs = template.toJSON().Outputs as Record<string, { Value: Json }>;
    expect(render(outputs.StateMachineArn?.Value)).toBe(`<${machineId}>`);
    expect(render(outputs.ConfigBucketName?.Value)).toBe(`<${configBucket}>`);
    expect(render(outputs.DataBucketName?.Value)).toBe(`<${dataBucket}>`);
  });
});
