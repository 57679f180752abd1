import type { Element } from "domhandler";
import type { ArticleLayout, Block } from "./article-layout.ts";
import { contains, tagOf } from "./article-layout.ts";
import {
  type DateLabel,
  isDatelinePrefix,
  isDatelineSuffix,
  isEventFact,
  isRangeEdge,
  isSiteNotice,
  labelOf,
} from "./date-labels.ts";
import { findDatesInText, parseDate } from "./dates.ts";

/**
 * The publication date an article shows near its headline: the byline or header line ("Published
 * 12 March 2025", "입력 2025.03.12 15:00", a `<time>`), or the dateline that opens the text ("PARIS,
 * March 12, 2025 /Wire/ --"). Dates in the running text, lists after it, sidebars and footers are events,
 * deadlines and other stories, so they are not read; labelled "Updated" and "Stand" dates never are.
 */

export interface VisibleDateOptions {
  locale?: string;
  now?: Date;
  /** The page declares itself an event: unlabelled dates are the event's. */
  eventPage?: boolean;
}

/** Blocks after the headline that still count as its header (kicker, dek, byline, share bar). */
const HEADER_BLOCK_LIMIT = 15;
/** Blocks before the headline, in its own container, that may carry the date ("Press release | 12 May"). */
const BEFORE_BLOCK_LIMIT = 4;
/** Opening paragraphs searched for a dateline. */
const DATELINE_PARAGRAPHS = 3;
/** Words before a date that may label it. */
const CONTEXT_CHARS = 48;
/** A previous block this short is a field label ("Date", "작성일") for the block that follows. */
const LABEL_BLOCK_CHARS = 40;
const DAY_MS = 86_400_000;

interface FoundDate {
  date: Date;
  label: DateLabel | undefined;
  /** Words since the previous date, which may label this one. */
  before: string;
  /** The characters right before and after the date, whatever they belong to (ranges). */
  edgeBefore: string;
  after: string;
  /** Text of the block before the date (a dateline must open its paragraph). */
  prefix: string;
}

/** How much a date is believed, best first. */
const TIER = {
  /** Labelled as the publication ("Published", "입력") in the header. */
  labelled: 0,
  /** Unlabelled in the header: the byline or date line. */
  header: 1,
  /** Opening a paragraph as a dateline. */
  dateline: 2,
  /** Labelled as the publication after the text ("This entry was posted on"). */
  labelledLater: 3,
} as const;

interface Ranked {
  date: Date;
  tier: (typeof TIER)[keyof typeof TIER];
  /** Reading order, from the headline outwards. */
  order: number;
}

/** Running text rather than a byline: a sentence, a long passage, or a list item that reads like one. */
function isProse(block: Block): boolean {
  // Numbers are not counted: "입력 2025.03.12 15:00" is one word and a date, not a sentence.
  const words = block.text.match(/\p{L}[\p{L}\p{N}'’-]*/gu)?.length ?? 0;
  if (block.text.length >= 140) return true;
  if (tagOf(block.owner) === "li" && words >= 6) return true;
  return words >= 8 && /[.!?…"»”。]$/.test(block.text);
}

const DEK_NAMES =
  /dek|standfirst|chapo|chapeau|lead|intro|summary|subtitle|subhead|sub-?title|excerpt|teaser|strap/i;

/** The summary printed under a headline: a subheading, or a block its class calls so. */
function isDek(block: Block): boolean {
  const { name, attribs } = block.owner;
  return ["h2", "h3", "h4"].includes(name) || DEK_NAMES.test(`${attribs.class ?? ""} ${attribs.id ?? ""}`);
}

/** Items of lists and tables after the text are other stories or documents, whatever they say. */
function isListCell(block: Block): boolean {
  return ["li", "dd", "dt", "td", "th"].includes(tagOf(block.owner));
}

function hintLabel(hint: string): DateLabel | undefined {
  if (/publish|pubdate|entry-date|post-date|posted/i.test(hint)) return "published";
  if (/updated|modified|datemodified/i.test(hint)) return "modified";
  return undefined;
}

/** Dates of one block, machine-readable `<time datetime>` values replacing the text they display. */
function datesIn(block: Block, previous: Block | undefined, opts: VisibleDateOptions): FoundDate[] {
  const found = findDatesInText(block.text, opts).map((d) => ({ ...d, hint: "" }));
  for (const mark of block.times) {
    const date = parseDate(mark.datetime, { now: opts.now });
    if (!date) continue;
    const overlapping = found.filter((d) => d.index < mark.end && d.end > mark.start);
    for (const d of overlapping) Object.assign(d, { date, hint: mark.hint });
    if (overlapping.length === 0) found.push({ date, index: mark.start, end: mark.end, hint: mark.hint });
  }
  found.sort((a, b) => a.index - b.index);
  const fieldLabel =
    previous && previous.text.length <= LABEL_BLOCK_CHARS ? labelOf(previous.text) : undefined;
  let previousEnd = 0;
  return found.map((d) => {
    const before = block.text.slice(Math.max(previousEnd, d.index - CONTEXT_CHARS), d.index);
    previousEnd = d.end;
    return {
      date: d.date,
      label: hintLabel(d.hint) ?? labelOf(before) ?? fieldLabel,
      before,
      edgeBefore: block.text.slice(Math.max(0, d.index - 12), d.index),
      after: block.text.slice(d.end, d.end + 24),
      prefix: block.text.slice(0, d.index),
    };
  });
}

/** The block before block `i`, unless it is the headline (whose words label nothing). */
function labelBlock(layout: ArticleLayout, i: number): Block | undefined {
  const previous = layout.blocks[i - 1];
  const { headline } = layout;
  return previous && !(headline && contains(headline, previous.owner)) ? previous : undefined;
}

function isBelievable(found: FoundDate, block: Block, opts: VisibleDateOptions): boolean {
  if (isSiteNotice(block.text) || isRangeEdge(found.edgeBefore, found.after)) return false;
  return !opts.now || found.date.getTime() <= opts.now.getTime() + DAY_MS;
}

/** Where the headline's blocks are; without a headline the article root's first block stands in. */
function anchor(layout: ArticleLayout): { first: number; last: number } | undefined {
  const { headline, root, blocks } = layout;
  const inside = (container: Element) => blocks.flatMap((b, i) => (contains(container, b.owner) ? [i] : []));
  if (headline) {
    const indexes = inside(headline);
    const first = indexes[0];
    const last = indexes.at(-1);
    if (first !== undefined && last !== undefined) return { first, last };
  }
  if (!root) return undefined;
  const first = inside(root)[0];
  return first === undefined ? undefined : { first, last: first - 1 };
}

/** The container whose blocks before the headline belong to the article header (never body). */
function headerContainer(headline: Element | undefined): Element | undefined {
  const parent = headline?.parent;
  if (!parent || !("name" in parent) || ["body", "html"].includes(parent.name)) return undefined;
  const grandparent = parent.parent;
  if (grandparent && "name" in grandparent && !["body", "html"].includes(grandparent.name))
    return grandparent;
  return parent;
}

function isUnlabelled(found: FoundDate): boolean {
  return found.label === undefined || found.label === "generic";
}

/** The first date of an opening paragraph, when the paragraph starts "PLACE, DATE --". */
function dateline(found: FoundDate[]): Date | undefined {
  const opening = found[0];
  if (!opening || !isDatelinePrefix(opening.prefix) || !isDatelineSuffix(opening.after)) return undefined;
  return opening.date;
}

/**
 * Blocks from the headline on: the header runs until the first paragraph of text (or the second, when the
 * first is a dek); later, only datelines and dates labelled as the publication outside lists count.
 */
function rankAfterHeadline(layout: ArticleLayout, start: number, opts: VisibleDateOptions): Ranked[] {
  const { root, blocks } = layout;
  const ranked: Ranked[] = [];
  let proseSeen = 0;
  let proseAllowed = 1;
  for (let i = start; i < blocks.length; i++) {
    const block = blocks[i];
    if (!block || (root && !contains(root, block.owner))) continue;
    const inHeader = proseSeen < proseAllowed && i - start < HEADER_BLOCK_LIMIT;
    const found = datesIn(block, labelBlock(layout, i), opts).filter((d) => isBelievable(d, block, opts));
    const order = i - start;
    if (isProse(block)) {
      if (i === start && found.length === 0 && isDek(block)) proseAllowed = 2;
      proseSeen += 1;
      const date = proseSeen <= DATELINE_PARAGRAPHS ? dateline(found) : undefined;
      if (date) ranked.push({ date, tier: TIER.dateline, order });
      continue;
    }
    for (const d of found) {
      if (d.label === "published" && (inHeader || !isListCell(block))) {
        ranked.push({ date: d.date, tier: inHeader ? TIER.labelled : TIER.labelledLater, order });
      } else if (inHeader && !opts.eventPage && isUnlabelled(d)) {
        ranked.push({ date: d.date, tier: TIER.header, order });
      }
    }
  }
  return ranked;
}

/** Short blocks just above the headline in its own container ("Press release · 12 May 2025"). */
function rankBeforeHeadline(layout: ArticleLayout, first: number, opts: VisibleDateOptions): Ranked[] {
  const container = headerContainer(layout.headline);
  if (!container) return [];
  const ranked: Ranked[] = [];
  for (let i = first - 1; i >= 0 && i >= first - BEFORE_BLOCK_LIMIT; i--) {
    const block = layout.blocks[i];
    if (!block || !contains(container, block.owner) || isProse(block)) continue;
    // After every block below the headline: those are read first.
    const order = layout.blocks.length + first - i;
    for (const d of datesIn(block, labelBlock(layout, i), opts)) {
      if (!isBelievable(d, block, opts)) continue;
      if (d.label === "published") ranked.push({ date: d.date, tier: TIER.labelled, order });
      else if (!opts.eventPage && isUnlabelled(d)) ranked.push({ date: d.date, tier: TIER.header, order });
    }
  }
  return ranked;
}

/** Fields such as "Location:" or "Register now" around the headline mark an event page. */
function looksLikeEvent(layout: ArticleLayout, first: number, last: number): boolean {
  const window = layout.blocks.slice(Math.max(0, first - BEFORE_BLOCK_LIMIT), last + HEADER_BLOCK_LIMIT);
  return window.some((block) => isEventFact(block.text));
}

/**
 * Unlabelled dates near the headline compete by age: a publication precedes its updates and the events it
 * announces. Every other tier takes its first date in reading order.
 */
function choose(ranked: Ranked[]): Date | null {
  const best = Math.min(...ranked.map((r) => r.tier));
  const tier = ranked.filter((r) => r.tier === best);
  if (tier.length === 0) return null;
  if (best === TIER.header) return tier.reduce((a, b) => (b.date < a.date ? b : a)).date;
  return tier.reduce((a, b) => (b.order < a.order ? b : a)).date;
}

export function visiblePublicationDate(layout: ArticleLayout, opts: VisibleDateOptions = {}): Date | null {
  const position = anchor(layout);
  if (!position) return null;
  const eventPage = opts.eventPage || looksLikeEvent(layout, position.first, position.last);
  const options = { ...opts, eventPage };
  return choose([
    ...rankAfterHeadline(layout, position.last + 1, options),
    ...rankBeforeHeadline(layout, position.first, options),
  ]);
}
