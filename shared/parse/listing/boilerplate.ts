import type { Element } from "domhandler";
import { collapseWhitespace } from "../whitespace.ts";
import { classTokens } from "./dom.ts";

/**
 * How much a part of the page may hold the news listing. `excluded`: site chrome (navigation, header,
 * footer, consent banners, breadcrumbs, pagers, share bars, language switchers). `side`: sidebars and
 * "most read"/"related" boxes, which repeat items of the listing but are not it. `main`: the page's
 * declared main content.
 */
export type Region = "excluded" | "side" | "neutral" | "main";

const CHROME_TAGS = new Set(["nav", "footer", "header", "menu"]);
const CHROME_ROLES = new Set(["navigation", "banner", "contentinfo", "menubar", "menu", "search", "dialog"]);
const CHROME_WORDS = new Set([
  "nav",
  "navi",
  "navbar",
  "navigation",
  "menu",
  "menue",
  "megamenu",
  "header",
  "masthead",
  "footer",
  "breadcrumb",
  "breadcrumbs",
  "crumbs",
  "pagination",
  "pager",
  "paging",
  "paginator",
  "paginazione",
  "paginacion",
  "share",
  "sharing",
  "social",
  "skip",
  "skiplink",
  "skipnav",
  "lang",
  "language",
  "languages",
  "languagenavigation",
  "langswitcher",
  "gnb",
  "lnb",
  "snb",
  "topicpath",
  "location",
  "toolbar",
  "utility",
  "cookiebar",
  "idiomas",
  "briciole",
]);
/** Consent tools name their containers in many ways ("CybotCookiebotDialog", "onetrust-banner-sdk"). */
const CONSENT_FRAGMENT = /cookie|consent|gdpr|onetrust|tarteaucitron|usercentrics|didomi|cmp-cookie/i;
const SIDE_WORDS = new Set([
  "aside",
  "side",
  "sidebar",
  "rail",
  "widget",
  "secondary",
  "related",
  "popular",
  "mostread",
  "trending",
  "recommended",
  "teaser-aside",
]);
const MAIN_WORDS = new Set(["main", "content", "contents", "primary", "maincontent", "contenido", "inhalt"]);

/** "site-header__nav", "mainNav", "widget_popular_posts" -> their lower-case words. */
function wordsOf(token: string): string[] {
  return token
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[\s_-]+/)
    .filter((word) => word.length > 0);
}

function isChromeWord(word: string): boolean {
  return (
    CHROME_WORDS.has(word) ||
    word.endsWith("nav") ||
    word.endsWith("navi") ||
    word.endsWith("menu") ||
    word.startsWith("navbar") ||
    word.startsWith("breadcrumb")
  );
}

function nameTokens(element: Element): string[] {
  const id = element.attribs.id;
  return id ? [...classTokens(element), id] : classTokens(element);
}

function ownRegion(element: Element): Region | null {
  if (CHROME_TAGS.has(element.name)) return "excluded";
  const role = element.attribs.role?.toLowerCase();
  if (role && CHROME_ROLES.has(role)) return "excluded";
  const label = element.attribs["aria-label"]?.toLowerCase() ?? "";
  if (/breadcrumb|pagination|pager|cookie/.test(label)) return "excluded";
  const tokens = nameTokens(element);
  if (tokens.some((token) => CONSENT_FRAGMENT.test(token))) return "excluded";
  const words = tokens.flatMap(wordsOf);
  if (words.some(isChromeWord)) return "excluded";
  if (element.name === "aside" || role === "complementary" || words.some((word) => SIDE_WORDS.has(word))) {
    return "side";
  }
  if (element.name === "main" || role === "main" || words.some((word) => MAIN_WORDS.has(word))) return "main";
  return null;
}

const RANK: Record<Region, number> = { main: 0, neutral: 1, side: 2, excluded: 3 };

/**
 * The region of an element given its parent's: chrome wins over everything, a sidebar inside the
 * main content is still a sidebar, and html/body classes ("has-header-transparent") say nothing.
 */
export function regionBelow(parent: Region, element: Element): Region {
  if (element.name === "body" || element.name === "html") return parent;
  const own = ownRegion(element);
  if (own === null) return parent;
  return RANK[own] > RANK[parent] || parent === "neutral" ? own : parent;
}

export const REGION_WEIGHT: Record<Region, number> = { excluded: 0, side: 0.35, neutral: 1, main: 1.25 };

/** Box titles of lists that repeat the listing's items by popularity or topic. */
const SIDE_LABEL =
  /most (?:read|viewed|popular)|popular|trending|related|you may also like|recommended|read next|meistgelesen|beliebt|les plus lus|à lire aussi|más leídos|lo más visto|mest lästa|più letti|많이 본|인기|人気|ランキング/i;

export function isSideLabel(text: string): boolean {
  return SIDE_LABEL.test(collapseWhitespace(text));
}
