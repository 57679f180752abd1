import { lambdaHandler } from "../../shared/lambda/lambda-handler.ts";
import type { Runtime } from "../../shared/lambda/runtime.ts";
import { parseIngestItem } from "../../shared/workflow/execution-input.ts";
import { ingestClient } from "../../shared/workflow/ingest-client.ts";

export const createHandler = (rt: Runtime) => lambdaHandler(parseIngestItem, ingestClient, rt);
