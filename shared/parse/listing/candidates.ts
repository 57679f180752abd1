import type { Document, Element } from "domhandler";
import { type Region, regionBelow } from "./boilerplate.ts";
import { childElements, classTokens, parentElement } from "./dom.ts";

/** One repeated element, with the siblings that belong to it when the listing is a flat run. */
export interface Block {
  lead: Element;
  nodes: Element[];
}

/** Repeated blocks that may be the items of a listing. */
export interface CandidateGroup {
  container: Element;
  blocks: Block[];
}

export interface PageScan {
  groups: CandidateGroup[];
  region: (element: Element) => Region;
  linkCount: (element: Element) => number;
  position: (element: Element) => number;
}

/** Fewer repeated blocks than this are a pair of links, not a listing. */
export const MIN_BLOCKS = 3;
/** Tags that, repeated with other elements between them, start an item: "h3, date, teaser, h3, ...". */
const RUN_STARTERS = new Set([
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "dt",
  "dd",
  "p",
  "a",
  "strong",
  "b",
  "span",
]);

export function blockShape(element: Element): string {
  return `${element.name}.${classTokens(element)[0] ?? ""}`;
}

/** Shape of a sibling between run starters; "p/strong" (a bold date line) is not "p" (a teaser). */
function runShape(element: Element): string {
  const kids = childElements(element);
  const bare = element.children.every((child) => child.type !== "text" || child.data.trim().length === 0);
  const only = kids.length === 1 && bare ? `/${kids[0]?.name}` : "";
  return `${blockShape(element)}${only}`;
}

function bucket<T>(values: readonly T[], keyOf: (value: T) => string): Map<string, T[]> {
  const buckets = new Map<string, T[]>();
  for (const value of values) {
    const key = keyOf(value);
    const same = buckets.get(key);
    if (same) same.push(value);
    else buckets.set(key, [value]);
  }
  return buckets;
}

function matchingPrefix(candidates: readonly Element[], pattern: readonly string[]): number {
  let n = 0;
  while (n < candidates.length && n < pattern.length && runShape(candidates[n] as Element) === pattern[n])
    n++;
  return n;
}

function matchingSuffix(candidates: readonly Element[], pattern: readonly string[]): number {
  let n = 0;
  while (
    n < candidates.length &&
    n < pattern.length &&
    runShape(candidates[candidates.length - 1 - n] as Element) === pattern[pattern.length - 1 - n]
  ) {
    n++;
  }
  return n;
}

/**
 * Splits a flat run ("date, h3, teaser, date, h3, teaser") into one block per starter. With the same
 * siblings between every two starters, the siblings after the last starter tell how many of each gap
 * belong to the starter before it; the rest opens the next item (a date line above its heading, a
 * `<dt>` before its `<dd>`). Uneven gaps go with the starter before them.
 */
function runBlocks(siblings: readonly Element[], starters: readonly Element[]): Block[] {
  const indexOf = new Map(siblings.map((sibling, index) => [sibling, index]));
  const at = starters.map((starter) => indexOf.get(starter) ?? 0);
  const gaps = at.slice(1).map((index, i) => siblings.slice((at[i] ?? 0) + 1, index));
  const head = siblings.slice(0, at[0] ?? 0);
  const tail = siblings.slice((at.at(-1) ?? 0) + 1);
  const shapes = gaps.map((gap) => gap.map(runShape).join(","));
  const even = shapes.every((shape) => shape === shapes[0]);
  if (even && gaps[0]) {
    const pattern = gaps[0].map(runShape);
    const after = matchingPrefix(tail, pattern);
    const before = after > 0 ? pattern.length - after : matchingSuffix(head, pattern);
    const keep = pattern.length - before;
    return starters.map((starter, i) => ({
      lead: starter,
      nodes: [
        ...(i === 0 ? head.slice(head.length - before) : (gaps[i - 1] ?? []).slice(keep)),
        starter,
        ...(i < gaps.length ? (gaps[i] ?? []).slice(0, keep) : tail.slice(0, Math.min(after, keep))),
      ],
    }));
  }
  const gapShapes = new Set(gaps.flatMap((gap) => gap.map(runShape)));
  const longest = Math.max(0, ...gaps.map((gap) => gap.length));
  const trailing: Element[] = [];
  for (const element of tail) {
    if (trailing.length >= longest || !gapShapes.has(runShape(element))) break;
    trailing.push(element);
  }
  return starters.map((starter, i) => ({
    lead: starter,
    nodes: [starter, ...(i < gaps.length ? (gaps[i] ?? []) : trailing)],
  }));
}

function isAdjacentRun(siblings: readonly Element[], members: readonly Element[]): boolean {
  const first = siblings.indexOf(members[0] as Element);
  return members.every((member, i) => siblings[first + i] === member);
}

function single(element: Element): Block {
  return { lead: element, nodes: [element] };
}

function siblingGroups(
  parent: Element,
  siblings: readonly Element[],
  usable: (element: Element) => boolean,
): CandidateGroup[] {
  const groups: CandidateGroup[] = [];
  for (const [tag, members] of bucket(siblings, (element) => element.name)) {
    const withLinks = members.filter(usable);
    if (withLinks.length < MIN_BLOCKS) continue;
    const blocks =
      RUN_STARTERS.has(tag) && !isAdjacentRun(siblings, withLinks)
        ? runBlocks(siblings, withLinks)
        : withLinks.map(single);
    groups.push({ container: parent, blocks });
    const byShape = bucket(withLinks, blockShape);
    if (byShape.size < 2) continue;
    for (const same of byShape.values()) {
      if (same.length >= MIN_BLOCKS) groups.push({ container: parent, blocks: same.map(single) });
    }
  }
  return groups;
}

interface CousinSet {
  container: Element;
  parents: Set<Element>;
  members: Element[];
}

/**
 * Every element in document order with its region and the number of links below it, then the groups:
 * same-tag siblings (and their same-class subsets), and "cousins", the same-shape children of
 * same-shape siblings, which is how grids in rows and year-by-year lists repeat their items.
 */
export function scanPage(document: Document): PageScan {
  const infos = new Map<Element, { kids: Element[]; region: Region; links: number; position: number }>();
  const order: Element[] = [];
  const stack: Array<[Element, Region]> = childElements(document)
    .reverse()
    .map((element) => [element, "neutral"]);
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [element, parentRegion] = next;
    const region = regionBelow(parentRegion, element);
    const kids = childElements(element);
    const own = element.name === "a" && element.attribs.href ? 1 : 0;
    infos.set(element, { kids, region, links: own, position: order.length });
    order.push(element);
    for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i] as Element, region]);
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const info = infos.get(order[i] as Element);
    if (info) for (const kid of info.kids) info.links += infos.get(kid)?.links ?? 0;
  }
  const linkCount = (element: Element) => infos.get(element)?.links ?? 0;
  const region = (element: Element) => infos.get(element)?.region ?? "neutral";
  const position = (element: Element) => infos.get(element)?.position ?? 0;

  const groups: CandidateGroup[] = [];
  const cousins = new Map<string, CousinSet>();
  const usable = (element: Element) => linkCount(element) > 0 && region(element) !== "excluded";
  for (const parent of order) {
    if (!usable(parent)) continue;
    const kids = infos.get(parent)?.kids ?? [];
    if (linkCount(parent) >= MIN_BLOCKS) groups.push(...siblingGroups(parent, kids, usable));
    const grand = parentElement(parent);
    if (!grand) continue;
    const parentShape = blockShape(parent);
    for (const kid of kids) {
      if (!usable(kid)) continue;
      const key = `${position(grand)}|${parentShape}|${blockShape(kid)}`;
      const set = cousins.get(key) ?? { container: grand, parents: new Set(), members: [] };
      set.parents.add(parent);
      set.members.push(kid);
      cousins.set(key, set);
    }
  }
  for (const set of cousins.values()) {
    if (set.parents.size < 2 || set.members.length < MIN_BLOCKS) continue;
    groups.push({ container: set.container, blocks: set.members.map(single) });
  }
  return { groups, region, linkCount, position };
}
