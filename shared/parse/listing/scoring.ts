import type { Element } from "domhandler";
import type { BlockReading, ItemReading } from "./block-reading.ts";
import { isSideLabel, REGION_WEIGHT, type Region } from "./boilerplate.ts";
import { type Block, blockShape, type CandidateGroup, MIN_BLOCKS } from "./candidates.ts";
import { childElements, classTokens, elementText, isHeading, isInside, previousElements } from "./dom.ts";
import { looksLikeItemUrl } from "./site.ts";
import { effectiveWords } from "./text-signals.ts";

export interface ScoredGroup {
  group: CandidateGroup;
  items: ItemReading[];
  score: number;
  meanQuality: number;
}

/** Below this a group reads like menus, link lists or feature boxes rather than news items. */
export const MIN_MEAN_QUALITY = 1.2;

/** News titles run from a few words to a long sentence; menu entries are one or two words. */
function titleWeight(title: string | null): number {
  if (!title) return 0;
  const words = effectiveWords(title);
  if (words > 30) return 0.6;
  if (words >= 4) return 1;
  if (words >= 3) return 0.5;
  return words >= 2 ? 0.2 : 0;
}

/** How much one item looks like news: a real title, a date, a teaser, a document-like URL, a heading. */
function itemQuality(item: ItemReading): number {
  const { entry } = item;
  let quality = titleWeight(entry.title);
  if (entry.dateSource === "page_selector" || entry.dateSource === "content_text") quality += 1;
  else if (entry.dateSource === "url") quality += 0.5;
  if (entry.summary) quality += 0.4;
  if (looksLikeItemUrl(item.url)) quality += 0.3;
  if (item.titleOrigin === "heading") quality += 0.2;
  return quality;
}

function isLabel(element: Element): boolean {
  return isHeading(element) || classTokens(element).some((token) => /title|heading/i.test(token));
}

/** The heading just above the group ("Most read", "Related"), inside or before its container. */
function groupLabel(group: CandidateGroup): string {
  const first = group.blocks[0]?.nodes[0];
  for (const kid of childElements(group.container)) {
    if (!first || isInside(first, kid)) break;
    if (isLabel(kid)) return elementText(kid);
  }
  const label = previousElements(group.container, 3).find(isLabel);
  return label ? elementText(label) : "";
}

/** The share of blocks with the most common shape: a listing repeats one template. */
function agreement(shapes: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const shape of shapes) counts.set(shape, (counts.get(shape) ?? 0) + 1);
  return shapes.length === 0 ? 0 : Math.max(...counts.values()) / shapes.length;
}

interface Member {
  item: ItemReading;
  lead: Element;
}

function hasWrittenDate(item: ItemReading): boolean {
  return item.entry.dateSource === "page_selector" || item.entry.dateSource === "content_text";
}

/**
 * Strays among a dated listing's members ("Archive", a header row of sort links): no date and a title
 * of one or two words, where most members show a date.
 */
function withoutStrays(members: readonly Member[]): Member[] {
  const dated = members.filter((member) => hasWrittenDate(member.item)).length;
  if (dated < MIN_BLOCKS || dated < members.length / 2) return [...members];
  return members.filter(
    (member) => hasWrittenDate(member.item) || effectiveWords(member.item.entry.title ?? "") >= 3,
  );
}

function readMembers(group: CandidateGroup, read: (block: Block) => BlockReading): Member[] {
  const members: Member[] = [];
  const seen = new Set<string>();
  for (const block of group.blocks) {
    const reading = read(block);
    if (reading.kind !== "item" || seen.has(reading.item.key)) continue;
    seen.add(reading.item.key);
    members.push({ item: reading.item, lead: block.lead });
  }
  return withoutStrays(members);
}

/**
 * A group's score: the summed news-likeness of its items, scaled by how uniform their template is,
 * where they sit on the page and whether the box is titled as a "most read"/"related" list.
 */
export function scoreGroup(
  group: CandidateGroup,
  read: (block: Block) => BlockReading,
  region: (element: Element) => Region,
): ScoredGroup {
  const members = readMembers(group, read);
  const items = members.map((member) => member.item);
  if (items.length === 0) return { group, items, score: 0, meanQuality: 0 };
  const quality = items.reduce((sum, item) => sum + itemQuality(item), 0);
  const placement = members.reduce((sum, member) => sum + REGION_WEIGHT[region(member.lead)], 0);
  const shapes = members.map((member) => blockShape(member.lead));
  const label = isSideLabel(groupLabel(group)) ? REGION_WEIGHT.side : 1;
  const score = quality * agreement(shapes) * (placement / items.length) * label;
  return { group, items, score, meanQuality: quality / items.length };
}

export function isListing(scored: ScoredGroup): boolean {
  return scored.items.length >= MIN_BLOCKS && scored.meanQuality >= MIN_MEAN_QUALITY && scored.score > 0;
}
