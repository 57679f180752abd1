import type { AnyNode, Element, ParentNode, Text } from "domhandler";
import { collapseWhitespace } from "../whitespace.ts";

/** domhandler's own guards are runtime code of a package the project does not declare; these read `type`. */
function isElement(node: AnyNode): node is Element {
  return node.type === "tag" || node.type === "script" || node.type === "style";
}

function isTextNode(node: AnyNode): node is Text {
  return node.type === "text";
}

/** Never part of a listing, and their text (scripts, option lists) would pollute titles and dates. */
const INVISIBLE = new Set([
  "script",
  "style",
  "noscript",
  "template",
  "svg",
  "iframe",
  "object",
  "select",
  "textarea",
]);

function isVisibleElement(node: AnyNode): node is Element {
  return isElement(node) && !INVISIBLE.has(node.name);
}

/** Child elements, leaving out those that never show text on the page. */
export function childElements(node: ParentNode): Element[] {
  return node.children.filter(isVisibleElement);
}

export function parentElement(element: Element): Element | null {
  const parent = element.parent;
  return parent && isElement(parent) ? parent : null;
}

/** The element's preceding sibling elements, nearest first (invisible ones left out). */
export function previousElements(element: Element, limit: number): Element[] {
  const found: Element[] = [];
  for (let node = element.prev; node && found.length < limit; node = node.prev) {
    if (isVisibleElement(node)) found.push(node);
  }
  return found;
}

export function isInside(element: Element, container: Element): boolean {
  for (let current: Element | null = element; current; current = parentElement(current)) {
    if (current === container) return true;
  }
  return false;
}

export function classTokens(element: Element): string[] {
  return (element.attribs.class ?? "").split(/\s+/).filter((token) => token.length > 0);
}

/** Inline elements that sit inside words ("<b>W</b>ord", "Acme<sup>®</sup>"): no space around them. */
const WORD_INLINE = new Set([
  "abbr",
  "b",
  "bdi",
  "bdo",
  "cite",
  "code",
  "em",
  "font",
  "i",
  "mark",
  "q",
  "s",
  "small",
  "strong",
  "sub",
  "sup",
  "u",
  "wbr",
]);

/**
 * Visible text of the nodes, with a space at every other element boundary: "<span>12.03.2025</span>
 * <span>Finance</span>" must not read "12.03.2025Finance", which no date pattern would find.
 */
export function textOf(nodes: readonly AnyNode[], skip?: (element: Element) => boolean): string {
  const parts: string[] = [];
  const visit = (node: AnyNode): void => {
    if (isTextNode(node)) {
      parts.push(node.data);
      return;
    }
    if (!isVisibleElement(node) || skip?.(node)) return;
    const spaced = !WORD_INLINE.has(node.name);
    if (spaced) parts.push(" ");
    for (const child of node.children) visit(child);
    if (spaced) parts.push(" ");
  };
  for (const node of nodes) visit(node);
  return collapseWhitespace(parts.join(""));
}

const elementTexts = new WeakMap<Element, string>();

/** textOf for one element, remembered: titles, link texts and teasers are read by several groups. */
export function elementText(element: Element): string {
  let text = elementTexts.get(element);
  if (text === undefined) {
    text = textOf([element]);
    elementTexts.set(element, text);
  }
  return text;
}

const HEADING = /^h[1-6]$/;

export function isHeading(element: Element): boolean {
  return HEADING.test(element.name) || element.attribs.role === "heading";
}
