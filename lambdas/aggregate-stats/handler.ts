import { lambdaHandler } from "../../shared/lambda/lambda-handler.ts";
import type { Runtime } from "../../shared/lambda/runtime.ts";
import { AggregateEventSchema, aggregateStats } from "../../shared/workflow/aggregate-stats.ts";

export const createHandler = (rt: Runtime) =>
  lambdaHandler((e) => AggregateEventSchema.parse(e), aggregateStats, rt);
