import { lambdaHandler } from "../../shared/lambda-handler.ts";
import { ListClientsEventSchema, listClients } from "../../shared/list-clients.ts";
import type { Runtime } from "../../shared/runtime.ts";

export const createHandler = (rt: Runtime) =>
  lambdaHandler((e) => ListClientsEventSchema.parse(e), listClients, rt);
