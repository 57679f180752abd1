import { AggregateEventSchema, aggregateStats } from "../../shared/aggregate-stats.ts";
import { lambdaHandler } from "../../shared/lambda-handler.ts";
import type { Runtime } from "../../shared/runtime.ts";

export const createHandler = (rt: Runtime) =>
  lambdaHandler((e) => AggregateEventSchema.parse(e), aggregateStats, rt);
