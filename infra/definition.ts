import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { toDistributedMap } from "./distributed-map.ts";

/** THE state-machine definition: deployed by the stack and executed unchanged by the local runner. */
export const ASL_PATH = resolve(import.meta.dirname, "..", "statemachine", "ingest.asl.json");

export const MAP_STATE_NAME = "Ingest clients";

/** The `${...}` placeholders of the ASL, filled by CloudFormation with the function ARNs. */
export const DEFINITION_SUBSTITUTION_KEYS = [
  "ListClientsFunctionArn",
  "IngestClientFunctionArn",
  "AggregateStatsFunctionArn",
] as const;
export type DefinitionSubstitutionKey = (typeof DEFINITION_SUBSTITUTION_KEYS)[number];

export class DefinitionShapeError extends Error {
  override readonly name = "DefinitionShapeError";
}

export type MapMode = "inline" | "distributed";

/**
 * The ASL file as JSON text with the Map state's MaxConcurrency replaced. Everything else is kept as
 * written, so what is deployed is what the local runner executes. `distributed` turns the Map into a
 * Distributed Map (infra/distributed-map.ts), which adds the `${DataBucketName}` placeholder.
 */
export function loadIngestDefinition(
  maxConcurrency: number,
  path: string = ASL_PATH,
  mapMode: MapMode = "inline",
): string {
  const text = readFileSync(path, "utf8");
  const asl: unknown = JSON.parse(text);
  const states = isRecord(asl) ? asl.States : undefined;
  const map = isRecord(states) ? states[MAP_STATE_NAME] : undefined;
  if (!isRecord(map) || map.Type !== "Map") {
    throw new DefinitionShapeError(`${path}: no top-level Map state named "${MAP_STATE_NAME}"`);
  }
  for (const key of DEFINITION_SUBSTITUTION_KEYS) {
    if (!text.includes(`\${${key}}`))
      throw new DefinitionShapeError(`${path}: placeholder \${${key}} not found`);
  }
  map.MaxConcurrency = maxConcurrency;
  return JSON.stringify(
    mapMode === "distributed" ? toDistributedMap(asl as Record<string, unknown>, maxConcurrency) : asl,
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
