import { App } from "aws-cdk-lib";
import { describe, expect, it } from "vitest";
import { InvalidContextError, readIngestContext } from "../../infra/config.ts";
import { type Json, onlyResource, render, synthIngest } from "./template-helpers.ts";

function contextOf(values: Record<string, unknown>) {
  return readIngestContext(new App({ context: values }).node);
}

describe("readIngestContext", () => {
  it("applies the documented defaults when no key is set", () => {
    expect(contextOf({})).toEqual({
      env: "dev",
      scheduleExpression: "cron(0 6 ? * MON-FRI *)",
      scheduleTimezone: "Europe/Paris",
      maxConcurrency: 10,
      mapMode: "inline",
    });
  });

  it("allows more than 40 concurrent clients only with a Distributed Map", () => {
    expect(() => contextOf({ maxConcurrency: 100 })).toThrow(/maxConcurrency: at most 40 with an inline Map/);
    expect(contextOf({ maxConcurrency: "100", mapMode: "distributed" })).toMatchObject({
      maxConcurrency: 100,
      mapMode: "distributed",
    });
    expect(() => contextOf({ mapMode: "parallel" })).toThrow(/mapMode/);
  });

  it("coerces numbers given as strings, as `cdk -c maxConcurrency=25` passes them", () => {
    expect(contextOf({ maxConcurrency: "25" }).maxConcurrency).toBe(25);
  });

  it("treats an empty alarmEmail as unset", () => {
    expect(contextOf({ alarmEmail: "" }).alarmEmail).toBeUndefined();
  });

  it.each([
    [{ maxConcurrency: 0 }, "maxConcurrency"],
    [{ maxConcurrency: 41 }, "maxConcurrency"],
    [{ maxConcurrency: "ten" }, "maxConcurrency"],
    [{ maxConcurrency: 2.5 }, "maxConcurrency"],
    [{ env: "Prod_1" }, "env"],
    [{ scheduleTimezone: "Mars/Olympus_Mons" }, "scheduleTimezone"],
    [{ scheduleExpression: "every day" }, "scheduleExpression"],
    [{ alarmEmail: "ops-at-example" }, "alarmEmail"],
  ])("rejects %j, naming %s", (values, key) => {
    expect(() => contextOf(values)).toThrow(InvalidContextError);
    expect(() => contextOf(values)).toThrow(new RegExp(`Invalid CDK context: .*${key}`));
  });
});

describe("IngestStack with context overrides", () => {
  const { stack, template } = synthIngest({
    env: "prod",
    maxConcurrency: "3",
    scheduleExpression: "cron(30 5 * * ? *)",
    scheduleTimezone: "America/New_York",
    alarmEmail: "ops@example.com",
  });

  it("names the stack and its resources after the environment", () => {
    expect(stack.stackName).toBe("vectora-ingest-prod");
    const [, machine] = onlyResource(template, "AWS::StepFunctions::StateMachine");
    expect(machine.Properties?.StateMachineName).toBe("vectora-ingest-prod");
    const [, fn] = onlyResource(
      template,
      "AWS::Lambda::Function",
      (p) => p.FunctionName === "vectora-ingest-prod-ingest-client",
    );
    const environment = fn.Properties?.Environment as { Variables: Record<string, Json> } | undefined;
    expect(environment?.Variables.VECTORA_ENV).toBe("prod");
    template.hasResourceProperties("AWS::SNS::Topic", { TopicName: "vectora-ingest-prod-alarms" });
  });

  it("sets the Map state's MaxConcurrency", () => {
    const [, machine] = onlyResource(template, "AWS::StepFunctions::StateMachine");
    const definition = JSON.parse(render(machine.Properties?.DefinitionString));
    expect(definition.States["Ingest clients"].MaxConcurrency).toBe(3);
  });

  it("schedules on the given expression and time zone", () => {
    template.hasResourceProperties("AWS::Scheduler::Schedule", {
      ScheduleExpression: "cron(30 5 * * ? *)",
      ScheduleExpressionTimezone: "America/New_York",
    });
  });

  it("watches the ClientsFailed metric of that environment", () => {
    const [, alarm] = onlyResource(
      template,
      "AWS::CloudWatch::Alarm",
      (p) => p.MetricName === "ClientsFailed",
    );
    expect(alarm.Properties?.Dimensions).toEqual(
      expect.arrayContaining([
        { Name: "environment", Value: "prod" },
        { Name: "service", Value: "vectora-ingest" },
      ]),
    );
  });

  it("subscribes the alarm email to the topic", () => {
    const [topicId] = onlyResource(template, "AWS::SNS::Topic");
    template.hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "email",
      Endpoint: "ops@example.com",
      TopicArn: { Ref: topicId },
    });
  });

  it("tags resources with the project and environment", () => {
    const [, bucket] = onlyResource(template, "AWS::S3::Bucket", (p) =>
      JSON.stringify(p.LoggingConfiguration ?? "").includes("data-bucket/"),
    );
    expect(bucket.Properties?.Tags).toEqual(
      expect.arrayContaining([
        { Key: "environment", Value: "prod" },
        { Key: "project", Value: "vectora-ingest" },
      ]),
    );
  });
});
