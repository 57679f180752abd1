import { lambdaHandler } from "../../shared/lambda/lambda-handler.ts";
import type { Runtime } from "../../shared/lambda/runtime.ts";
import { ListClientsEventSchema, listClients } from "../../shared/workflow/list-clients.ts";

export const createHandler = (rt: Runtime) =>
  lambdaHandler((e) => ListClientsEventSchema.parse(e), listClients, rt);
