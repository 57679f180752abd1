import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as cwActions from "aws-cdk-lib/aws-cloudwatch-actions";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as sns from "aws-cdk-lib/aws-sns";
import * as snsSubscriptions from "aws-cdk-lib/aws-sns-subscriptions";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import type * as sfn from "aws-cdk-lib/aws-stepfunctions";
import { Construct } from "constructs";
import { METRICS_NAMESPACE, POWERTOOLS_SERVICE_NAME, type VectoraFunction } from "./lambda-defaults.ts";

export interface IngestAlarmsProps {
  /** `vectora-ingest-{env}`: names the topic and each alarm. */
  readonly prefix: string;
  readonly env: string;
  readonly alarmEmail?: string;
  readonly stateMachine: sfn.StateMachine;
  readonly scheduleDeadLetterQueue: sqs.Queue;
  /** Functions whose errors are not already counted as failed clients. */
  readonly functions: readonly VectoraFunction[];
}

/**
 * What an operator is told about: failed or timed-out executions, failed clients in a run that succeeded,
 * a schedule that could not start a run, and Lambda errors outside the per-client Catch. Every alarm
 * notifies one encrypted SNS topic.
 */
export class IngestAlarms extends Construct {
  readonly topic: sns.Topic;
  readonly #notify: cwActions.SnsAction;

  constructor(scope: Construct, id: string, props: IngestAlarmsProps) {
    super(scope, id);
    this.topic = this.#topic(props);
    this.#notify = new cwActions.SnsAction(this.topic);
    this.#alarm(
      props,
      "ExecutionsFailed",
      "An ingest execution failed (invalid input, every client failed, or a Lambda kept failing).",
      props.stateMachine.metricFailed({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
    );
    this.#alarm(
      props,
      "ExecutionsTimedOut",
      "An ingest execution timed out.",
      props.stateMachine.metricTimedOut({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
    );
    this.#alarm(
      props,
      "ClientsFailed",
      "At least one client failed in a run that otherwise succeeded; the run summary names each error.",
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: "ClientsFailed",
        dimensionsMap: { service: POWERTOOLS_SERVICE_NAME, environment: props.env },
        statistic: cloudwatch.Stats.SUM,
        // A run publishes the metric once; an hour covers it whatever the run's duration.
        period: Duration.hours(1),
      }),
    );
    this.#alarm(
      props,
      "ScheduleDeadLetters",
      "The scheduler could not start an ingest execution; the message in the dead-letter queue says why.",
      props.scheduleDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
    );
    for (const fn of props.functions) {
      this.#alarm(
        props,
        `${fn.node.id}Errors`,
        `${fn.functionName} raised errors; the state machine retries transient ones, so check whether the run succeeded.`,
        fn.function.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      );
    }
  }

  #topic(props: IngestAlarmsProps): sns.Topic {
    const key = new kms.Key(this, "AlarmTopicKey", {
      description: `Encrypts the ${props.prefix} alarm topic`,
      enableKeyRotation: true,
    });
    // CloudWatch must encrypt the alarm notifications it publishes; an AWS managed key can't grant it that.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal("cloudwatch.amazonaws.com")],
        actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
        resources: ["*"],
      }),
    );
    const topic = new sns.Topic(this, "AlarmTopic", {
      topicName: `${props.prefix}-alarms`,
      displayName: `Vectora ingest (${props.env}) alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    if (props.alarmEmail) topic.addSubscription(new snsSubscriptions.EmailSubscription(props.alarmEmail));
    return topic;
  }

  #alarm(props: IngestAlarmsProps, id: string, description: string, metric: cloudwatch.IMetric): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmName: `${props.prefix}-${id}`,
      alarmDescription: description,
      metric,
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.#notify);
  }
}
