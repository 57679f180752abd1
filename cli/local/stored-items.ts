import { type Item, ItemListSchema } from "../../shared/store/item.ts";
import {
  clientItemsPrefix,
  clientReportKey,
  DATA_PREFIXES,
  runIdOfClientReport,
} from "../../shared/store/keys.ts";
import type { S3Store } from "../../shared/store/s3-store.ts";

/** Every stored item of a client, oldest day first, in file order. */
export async function storedItems(store: S3Store, bucket: string, clientId: string): Promise<Item[]> {
  const keys = (await store.listKeys(bucket, clientItemsPrefix(clientId)))
    .filter((k) => k.endsWith("/items.json"))
    .sort();
  const items: Item[] = [];
  for (const key of keys) {
    const stored = await store.getJson(bucket, key);
    if (stored) items.push(...ItemListSchema.parse(stored.value));
  }
  return items;
}

/**
 * The candidates a client's latest run did not keep, with the rule (and the term) that dropped each: from
 * the run report `runs/{run_id}/clients/{client_id}.json`. Run ids start with their time, so the last in
 * order is the latest. Null when no run of the client left a report (a dry run leaves none).
 */
export async function latestDropped(
  store: S3Store,
  bucket: string,
  clientId: string,
): Promise<{ runId: string; dropped: unknown[] } | null> {
  const runId = (await store.listKeys(bucket, DATA_PREFIXES.runs))
    .map((key) => runIdOfClientReport(key, clientId))
    .filter((id): id is string => id !== null)
    .sort()
    .at(-1);
  if (!runId) return null;
  const stored = await store.getJson(bucket, clientReportKey(runId, clientId));
  const report = stored?.value as { dropped_items?: unknown[] } | undefined;
  return { runId, dropped: report?.dropped_items ?? [] };
}
