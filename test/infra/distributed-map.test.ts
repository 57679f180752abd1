import aslValidator from "asl-validator";
import { describe, expect, it } from "vitest";
import { DATA_BUCKET_PLACEHOLDER } from "../../infra/distributed-map.ts";
import {
  type Json,
  onlyResource,
  render,
  resourcesOfType,
  roleStatements,
  synthIngest,
} from "./template-helpers.ts";

const { template } = synthIngest({ mapMode: "distributed", maxConcurrency: 200 });
const [, machine] = onlyResource(template, "AWS::StepFunctions::StateMachine");
const props = machine.Properties ?? {};
const definition = JSON.parse(render(props.DefinitionString)) as {
  States: Record<string, Record<string, Json>>;
};
const map = definition.States["Ingest clients"] as Record<string, Json> & {
  ItemProcessor: { ProcessorConfig: Json; States: Record<string, Json> };
};
const dataBucket = Object.keys(resourcesOfType(template, "AWS::S3::Bucket")).find((id) =>
  id.startsWith("DataBucket"),
);

describe("mapMode=distributed", () => {
  it("deploys a valid Distributed Map that reads the client list from S3 and writes outcomes to S3", () => {
    const { isValid, errorsText } = aslValidator(definition);
    expect(errorsText()).toBe("");
    expect(isValid).toBe(true);
    expect(map.ItemsPath).toBeUndefined();
    expect(map.ItemReader).toEqual({
      Resource: "arn:aws:states:::s3:getObject",
      ReaderConfig: { InputType: "JSONL" },
      Parameters: { Bucket: DATA_BUCKET_PLACEHOLDER, "Key.$": "$.clients_key" },
    });
    expect(map.ItemProcessor.ProcessorConfig).toEqual({ Mode: "DISTRIBUTED", ExecutionType: "STANDARD" });
    expect(map.ResultWriter).toMatchObject({
      Parameters: {
        Bucket: DATA_BUCKET_PLACEHOLDER,
        "Prefix.$": "States.Format('runs/{}/map-results', $.run.run_id)",
      },
      WriterConfig: { Transformation: "COMPACT", OutputType: "JSON" },
    });
    expect(map).toMatchObject({
      MaxConcurrency: 200,
      ToleratedFailurePercentage: 100,
      ResultPath: "$.map_results",
    });
    expect(definition.States["Aggregate stats"]?.Parameters).toMatchObject({
      Payload: { "result_writer.$": "$.map_results.ResultWriterDetails" },
    });
    expect(render((props.DefinitionSubstitutions as Record<string, Json>).DataBucketName)).toBe(
      `<${dataBucket}>`,
    );
  });

  it("keeps each branch's retries and catch unchanged", () => {
    expect(map.ItemProcessor.States["Ingest client"]).toMatchObject({
      Catch: [{ ErrorEquals: ["States.ALL"], Next: "Record client failure" }],
    });
  });

  it("lets list-clients write the client list and the state machine run its child executions", () => {
    const [, listFn] = onlyResource(
      template,
      "AWS::Lambda::Function",
      (p) => p.FunctionName === "vectora-ingest-dev-list-clients",
    );
    const env = (listFn.Properties?.Environment as { Variables: Record<string, Json> } | undefined)
      ?.Variables;
    expect(env).toBeDefined();
    expect(env?.VECTORA_CLIENT_LIST).toBe("s3");
    const roleId = render(props.RoleArn ?? null).replace(/^<|\.Arn>$/g, "");
    const statements = roleStatements(template, roleId);
    const grants = (action: string) =>
      statements.filter((s) => s.Action.includes(action)).flatMap((s) => s.Resource);
    expect(grants("s3:GetObject")).toEqual([`<${dataBucket}.Arn>/runs/*`]);
    expect(grants("s3:PutObject")).toEqual([`<${dataBucket}.Arn>/runs/*`]);
    expect(grants("states:StartExecution")).toEqual([
      "arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:vectora-ingest-dev",
    ]);
    expect(grants("states:DescribeExecution")).toEqual([
      "arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:vectora-ingest-dev/*",
    ]);
  });
});
