import { join } from "node:path";
import { ClientIdSchema } from "../../shared/config/client-config.ts";
import { defineCommand } from "../command.ts";
import { requireDir } from "../data-dirs.ts";
import type { Io } from "../io.ts";
import { localRuntime } from "../local/run-local.ts";
import { LOCAL_DATA_BUCKET, startLocalS3 } from "../local/s3-server.ts";
import { latestDropped, storedItems } from "../local/stored-items.ts";
import { UsageError } from "../usage-error.ts";

/** `--client` is a list so that a second one is refused rather than silently winning. */
function oneClientId(clients: readonly string[] | undefined): string | undefined {
  const [clientId, ...others] = clients ?? [];
  return others.length > 0 ? undefined : clientId;
}

async function printStoredItems(dataDir: string, clientId: string, dropped: boolean, io: Io): Promise<void> {
  const s3 = await startLocalS3(join(dataDir, "s3"));
  try {
    const rt = localRuntime(s3, {});
    if (!dropped) {
      for (const item of await storedItems(rt.store, LOCAL_DATA_BUCKET, clientId))
        io.out(JSON.stringify(item));
      return;
    }
    const latest = await latestDropped(rt.store, LOCAL_DATA_BUCKET, clientId);
    if (!latest) throw new UsageError(`--client ${clientId}: no run report in ${dataDir}`);
    io.err(`run ${latest.runId}: ${latest.dropped.length} dropped candidate(s)`);
    for (const candidate of latest.dropped) io.out(JSON.stringify(candidate));
  } finally {
    await s3.close();
  }
}

export const items = defineCommand({
  name: "items",
  usage: ["--data DIR --client ID [--dropped]"],
  description: [
    "Print the stored items of a client as JSON Lines; with --dropped, the candidates its latest run did",
    "not keep, each with the rule (window, filter, ingestion profile) and the term that dropped it.",
  ],
  options: {
    data: { type: "string" },
    client: { type: "string", multiple: true },
    dropped: { type: "boolean", default: false },
  },
  positionals: "none",
  async handler({ values }, io) {
    const clientId = oneClientId(values.client);
    if (!values.data || !clientId) throw new UsageError("items needs --data DIR and one --client ID");
    if (!ClientIdSchema.safeParse(clientId).success)
      throw new UsageError(`--client ${clientId}: not a client id`);
    await printStoredItems(await requireDir(values.data, "--data"), clientId, values.dropped, io);
    return 0;
  },
});
