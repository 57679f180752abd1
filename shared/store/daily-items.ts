import type { Item } from "./item.ts";

/** The document identity inside an item id (`{source_key}__{hash}`). */
function documentKey(item: Item): string {
  return item.item_id.slice(item.item_id.lastIndexOf("__") + 2);
}

/**
 * Merge a run's new items into the day's file: stored items are kept exactly as they are (a rerun never
 * rewrites or drops what an earlier run delivered), and an incoming item whose document is already there
 * (same item id, or the same URL from another source) is not added again.
 */
export function mergeDailyItems(
  existing: readonly Item[],
  incoming: readonly Item[],
): { items: Item[]; added: number } {
  const known = new Set(existing.map(documentKey));
  const items = [...existing];
  for (const item of incoming) {
    const key = documentKey(item);
    if (known.has(key)) continue;
    known.add(key);
    items.push(item);
  }
  return { items, added: items.length - existing.length };
}
