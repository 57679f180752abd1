import type { Element } from "domhandler";
import type { BlockReading, ItemReading } from "./block-reading.ts";
import type { Block, PageScan } from "./candidates.ts";
import { parentElement, previousElements } from "./dom.ts";
import { effectiveWords } from "./text-signals.ts";

const LEVELS = 3;
const SIBLINGS_PER_LEVEL = 3;

/** A featured story: a headline link with a date, alone in its box. */
function isLeadStory(
  reading: BlockReading,
  known: ReadonlySet<string>,
): reading is { kind: "item"; item: ItemReading } {
  if (reading.kind !== "item" || known.has(reading.item.key)) return false;
  const { entry } = reading.item;
  return (
    reading.item.titleOrigin === "heading" &&
    entry.dateSource !== "none" &&
    entry.dateSource !== "url" &&
    effectiveWords(entry.title ?? "") >= 4
  );
}

/**
 * Stories placed above the listing in a box of their own ("Top story", a hero card): the listing's
 * template does not repeat them, so they are looked for among the boxes that precede its container,
 * a few levels up.
 */
export function leadStories(
  container: Element,
  listed: readonly ItemReading[],
  scan: PageScan,
  read: (block: Block) => BlockReading,
): ItemReading[] {
  const known = new Set(listed.map((item) => item.key));
  const found: Array<{ box: Element; item: ItemReading }> = [];
  let below: Element | null = container;
  for (let level = 0; below && level < LEVELS; level++, below = parentElement(below)) {
    for (const box of previousElements(below, SIBLINGS_PER_LEVEL)) {
      const region = scan.region(box);
      if (region === "excluded" || region === "side" || scan.linkCount(box) === 0) continue;
      const reading = read({ lead: box, nodes: [box] });
      if (!isLeadStory(reading, known)) continue;
      known.add(reading.item.key);
      found.push({ box, item: reading.item });
    }
  }
  return found.sort((a, b) => scan.position(a.box) - scan.position(b.box)).map(({ item }) => item);
}
