import { z } from "zod";
import { lambdaHandler } from "../../shared/lambda-handler.ts";
import { listClients } from "../../shared/list-clients.ts";
import type { Runtime } from "../../shared/runtime.ts";

const ListClientsEventSchema = z.object({
  input: z.unknown(),
  execution_name: z.string(),
  execution_start_time: z.string(),
});

export const createHandler = (rt: Runtime) =>
  lambdaHandler((e) => ListClientsEventSchema.parse(e), listClients, rt);
