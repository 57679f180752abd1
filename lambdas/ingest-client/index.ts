import { runtimeFromEnv } from "../../shared/lambda/runtime.ts";
import { createHandler } from "./handler.ts";

export const handler = createHandler(runtimeFromEnv());
