import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import aslValidator from "asl-validator";
import type { StateMachineDefinition } from "aws-local-stepfunctions";
import { toDistributedMap } from "./distributed-map.ts";

/** THE state-machine definition: deployed by the stack and executed unchanged by the local runner. */
export const ASL_PATH = resolve(import.meta.dirname, "..", "statemachine", "ingest.asl.json");

export const MAP_STATE_NAME = "Ingest clients";

/**
 * The `${...}` placeholders of the ASL: CloudFormation fills them with the function ARNs
 * (DefinitionSubstitutions); the local runner leaves them, its task overrides stand in for the functions.
 */
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

export interface DefinitionOptions {
  /** The Map state's MaxConcurrency; the file's own when not given. */
  maxConcurrency?: number;
  /** `distributed` turns the Map into a Distributed Map (infra/distributed-map.ts), with `${DataBucketName}`. */
  mapMode?: MapMode;
  path?: string;
}

/**
 * The ASL file, parsed, with the Map state's MaxConcurrency replaced and checked by asl-validator. Everything
 * else is kept as written, so what CDK deploys is what the local runner executes. Throws DefinitionShapeError.
 */
export function loadDefinition(opts: DefinitionOptions = {}): StateMachineDefinition {
  const path = opts.path ?? ASL_PATH;
  const text = readFileSync(path, "utf8");
  const asl: unknown = JSON.parse(text);
  const map = ingestMapOf(asl, path);
  requirePlaceholders(text, path);
  if (opts.maxConcurrency !== undefined) map.MaxConcurrency = opts.maxConcurrency;
  const definition = opts.mapMode === "distributed" ? toDistributedMap(asl as Json, map.MaxConcurrency) : asl;
  requireValidAsl(definition, path);
  return definition as StateMachineDefinition;
}

type Json = Record<string, unknown>;
type IngestMap = Json & { MaxConcurrency: number };

function ingestMapOf(asl: unknown, path: string): IngestMap {
  const states = isRecord(asl) ? asl.States : undefined;
  const map = isRecord(states) ? states[MAP_STATE_NAME] : undefined;
  if (!isRecord(map) || map.Type !== "Map" || typeof map.MaxConcurrency !== "number") {
    throw new DefinitionShapeError(
      `${path}: no top-level Map state named "${MAP_STATE_NAME}" with a MaxConcurrency`,
    );
  }
  return map as IngestMap;
}

function requirePlaceholders(text: string, path: string): void {
  for (const key of DEFINITION_SUBSTITUTION_KEYS) {
    if (!text.includes(`\${${key}}`))
      throw new DefinitionShapeError(`${path}: placeholder \${${key}} not found`);
  }
}

/**
 * asl-validator compiles its schemas on each call (about half a second), and CDK tests and local runs load
 * the same definition many times in one process: each distinct definition is checked once.
 */
const validDefinitions = new Set<string>();

function requireValidAsl(definition: unknown, path: string): void {
  const key = JSON.stringify(definition);
  if (validDefinitions.has(key)) return;
  // The validator writes each state's default QueryLanguage into what it checks: it gets a copy, so the
  // definition stays as written.
  const { isValid, errorsText } = aslValidator(structuredClone(definition));
  if (!isValid)
    throw new DefinitionShapeError(`${path}: not valid Amazon States Language: ${errorsText("; ")}`);
  validDefinitions.add(key);
}

function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
