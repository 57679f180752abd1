import { SFNClient } from "@aws-sdk/client-sfn";
import { parseStatesArn } from "./execution-arn.ts";

/** A Step Functions client in the ARN's region (credentials from the usual AWS chain). */
export function sfnClientFor(arn: string): SFNClient {
  const region = parseStatesArn(arn)?.region;
  return new SFNClient(region ? { region } : {});
}
