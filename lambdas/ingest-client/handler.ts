import { parseIngestItem } from "../../shared/execution-input.ts";
import { ingestClient } from "../../shared/ingest-client.ts";
import { lambdaHandler } from "../../shared/lambda-handler.ts";
import type { Runtime } from "../../shared/runtime.ts";

export const createHandler = (rt: Runtime) => lambdaHandler(parseIngestItem, ingestClient, rt);
