import { runtimeFromEnv } from "../../shared/runtime.ts";
import { createHandler } from "./handler.ts";

export const handler = createHandler(runtimeFromEnv());
