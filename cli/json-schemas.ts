import { join } from "node:path";
import { z } from "zod";
import { ClientConfigSchema } from "../shared/config/client-config.ts";
import { SourceCatalogSchema } from "../shared/config/source-catalog.ts";

export const SCHEMAS_DIR = join(import.meta.dirname, "..", "examples", "schemas");

/**
 * JSON Schemas of the config files, from the zod schemas ingest validates with. `io: "input"` describes what
 * a file may contain (fields with defaults are optional), not what parsing returns. Checks zod cannot express
 * (duplicate source keys, regexes that compile, bouquet references) stay with `vectora validate`.
 */
export function configJsonSchemas(): Record<string, Record<string, unknown>> {
  return {
    "client-config.schema.json": {
      ...z.toJSONSchema(ClientConfigSchema, { io: "input" }),
      title: "Vectora ingest client config (clients/{client_id}.yaml)",
    },
    "source-catalog.schema.json": {
      ...z.toJSONSchema(SourceCatalogSchema, { io: "input" }),
      title: "Vectora ingest source catalog (canonical/sources/source_catalog.yaml)",
    },
  };
}

export function serializeSchema(schema: unknown): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
