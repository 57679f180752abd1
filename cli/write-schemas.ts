import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { configJsonSchemas, SCHEMAS_DIR, serializeSchema } from "./json-schemas.ts";

await mkdir(SCHEMAS_DIR, { recursive: true });
for (const [name, schema] of Object.entries(configJsonSchemas())) {
  await writeFile(join(SCHEMAS_DIR, name), serializeSchema(schema));
  process.stdout.write(`wrote ${join("examples", "schemas", name)}\n`);
}
