/**
 * The switch from the inline Map to a Distributed Map, as a transformation of the one ASL file, so both
 * modes keep the same states, names, retries and catches. Chosen with CDK context `mapMode=distributed`.
 *
 * Why: an inline Map carries every branch's outcome in the execution's state (256 KB at most) and runs at
 * most 40 branches at once. About 100 bytes per client keeps 1,000 clients near 130 KB; past a few
 * thousand clients, or to run more than 40 at once, branches must run as child executions whose inputs
 * are read from S3 and whose outcomes are written to S3:
 * - List clients writes `runs/{run_id}/clients.jsonl` (VECTORA_CLIENT_LIST=s3) and returns its key;
 * - Ingest clients reads it with an ItemReader (JSONL) and runs each client as a child execution
 *   (ProcessorConfig DISTRIBUTED/STANDARD), tolerating any share of failed children (each branch already
 *   catches its own failure);
 * - the outcomes go to `runs/{run_id}/map-results/` (ResultWriter, COMPACT JSON) and Aggregate stats reads
 *   them from the manifest (shared/map-results.ts).
 * The local interpreter (aws-local-stepfunctions) runs inline Maps only, so this mode is covered by
 * template assertions and by reading a recorded ResultWriter output, not by a local execution.
 */
/** A definitionSubstitutions placeholder, filled by CloudFormation with the data bucket's name. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: the ASL's placeholder syntax, not a JS template.
export const DATA_BUCKET_PLACEHOLDER = "${DataBucketName}";

type Json = Record<string, unknown>;

function state(states: Json, name: string): Json {
  const found = states[name];
  if (typeof found !== "object" || found === null) throw new Error(`ASL has no state named "${name}"`);
  return found as Json;
}

export function toDistributedMap(asl: Json, maxConcurrency: number): Json {
  const copy = structuredClone(asl);
  const states = copy.States as Json;
  const list = state(states, "List clients");
  list.ResultSelector = { ...(list.ResultSelector as Json), "clients_key.$": "$.Payload.clients_key" };

  const map = state(states, "Ingest clients");
  delete map.ItemsPath;
  map.ItemReader = {
    Resource: "arn:aws:states:::s3:getObject",
    ReaderConfig: { InputType: "JSONL" },
    Parameters: { Bucket: DATA_BUCKET_PLACEHOLDER, "Key.$": "$.clients_key" },
  };
  const processor = map.ItemProcessor as Json;
  processor.ProcessorConfig = { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" };
  map.ResultWriter = {
    Resource: "arn:aws:states:::s3:putObject",
    Parameters: {
      Bucket: DATA_BUCKET_PLACEHOLDER,
      "Prefix.$": "States.Format('runs/{}/map-results', $.run.run_id)",
    },
    WriterConfig: { Transformation: "COMPACT", OutputType: "JSON" },
  };
  map.ToleratedFailurePercentage = 100;
  map.MaxConcurrency = maxConcurrency;
  map.ResultPath = "$.map_results";

  const aggregate = state(states, "Aggregate stats");
  aggregate.Parameters = {
    FunctionName: (aggregate.Parameters as Json).FunctionName,
    Payload: {
      "run.$": "$.run",
      "skipped.$": "$.skipped",
      "result_writer.$": "$.map_results.ResultWriterDetails",
    },
  };
  return copy;
}
