import { type Item, ItemListSchema } from "../../shared/store/item.ts";
import type { S3Store } from "../../shared/store/s3-store.ts";

/** Every stored item of a client, oldest day first, in file order. */
export async function storedItems(store: S3Store, bucket: string, clientId: string): Promise<Item[]> {
  const keys = (await store.listKeys(bucket, `ingested/${clientId}/`))
    .filter((k) => k.endsWith("/items.json"))
    .sort();
  const items: Item[] = [];
  for (const key of keys) {
    const stored = await store.getJson(bucket, key);
    if (stored) items.push(...ItemListSchema.parse(stored.value));
  }
  return items;
}
