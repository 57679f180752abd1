import { canonicalUrl } from "../canonical-url.ts";

/**
 * Second-level labels under which companies register their names (example.co.uk, example.com.au,
 * example.co.kr, example.co.jp). Without a public-suffix list this covers the corporate sites the
 * ingest meets; a miss only makes a subdomain count as another site.
 */
const SECOND_LEVEL = new Set(["co", "com", "net", "org", "gov", "edu", "ac", "or", "ne", "go", "gob", "nic"]);

function registrableDomain(host: string): string {
  const labels = host.toLowerCase().replace(/\.$/, "").split(".");
  if (labels.length <= 2 || /^\d+$/.test(labels.at(-1) ?? "")) return labels.join(".");
  const tld = labels.at(-1) ?? "";
  const second = labels.at(-2) ?? "";
  const keep = tld.length === 2 && SECOND_LEVEL.has(second) ? 3 : 2;
  return labels.slice(-keep).join(".");
}

function isSameSite(a: URL, b: URL): boolean {
  return registrableDomain(a.hostname) === registrableDomain(b.hostname);
}

export function resolveHttpUrl(href: string | undefined, base: string): URL | null {
  if (!href || /^\s*(?:javascript|mailto|tel|data|sms):/i.test(href)) return null;
  try {
    const url = new URL(href.trim(), base);
    return url.protocol === "http:" || url.protocol === "https:" ? url : null;
  } catch {
    return null;
  }
}

export function isPdfUrl(url: URL): boolean {
  return /\.pdf$/i.test(url.pathname);
}

export interface PageSite {
  pageUrl: URL;
  /** `<base href>` resolved against the page URL, or the page URL. */
  base: string;
  pageKey: string;
}

export interface ItemLink {
  url: URL;
  /** Canonical form, the item's identity. */
  key: string;
}

/** Paths that list other things (a tag, an author, search results) or act on the page, not documents. */
const NON_DOCUMENT_PATH =
  /\/(?:tags?|category|categories|author|authors|topics?|labels?|search|login|log-in|signin|sign-in|register|subscribe|newsletter|share|sharer|print|rss|feed|cdn-cgi)(?:\/[^/]*)?\/?$/i;
const PAGINATION_PATH = /\/(?:page|seite|pagina|sida)\/\d+\/?$/i;

/**
 * The link when `href` may point at a news item of this site: same registrable domain (a PDF may live
 * on a CDN), not the page itself, not the home page, not a taxonomy, search or share page.
 */
function itemLink(href: string | undefined, site: PageSite): ItemLink | null {
  const url = resolveHttpUrl(href, site.base);
  if (!url) return null;
  if (!isPdfUrl(url) && !isSameSite(url, site.pageUrl)) return null;
  const key = canonicalUrl(url.toString());
  if (!key || key === site.pageKey) return null;
  if (url.pathname.length <= 1 && url.search.length === 0) return null;
  if (NON_DOCUMENT_PATH.test(url.pathname) || PAGINATION_PATH.test(url.pathname)) return null;
  if (isListingControl(url, site.pageUrl)) return null;
  return { url, key };
}

/** Query parameters that sort, filter or page a listing rather than name a document. */
const CONTROL_PARAMS =
  /^(?:sort|sortby|order|orderby|dir|page|paged|pg|pag|seite|sida|offset|start|limit|year|jahr|annee|ano|anno|month|category|cat|type|typ|filter|lang|view|q|s|search)$/i;

/** The page itself with sorting, filtering or paging parameters: "?sort=date", "?year=2024&page=2". */
function isListingControl(url: URL, page: URL): boolean {
  if (url.origin !== page.origin || url.pathname.replace(/\/+$/, "") !== page.pathname.replace(/\/+$/, "")) {
    return false;
  }
  const names = [...url.searchParams.keys()];
  return names.length > 0 && names.every((name) => CONTROL_PARAMS.test(name));
}

/** itemLink with a memory: a page repeats the same href in image, title and "Read more" links. */
export function itemLinkReader(site: PageSite): (href: string | undefined) => ItemLink | null {
  const known = new Map<string, ItemLink | null>();
  return (href) => {
    if (href === undefined) return null;
    let link = known.get(href);
    if (link === undefined) {
      link = itemLink(href, site);
      known.set(href, link);
    }
    return link;
  };
}

/**
 * Digits, arrows, "next/previous" and "load more/view all" words: the links that move through a
 * listing, whatever the page's language.
 */
const PAGER_TEXT = new RegExp(
  "^(?:[\\d\\s.…|<>«»‹›←→]+|" +
    [
      "next(?: page)?",
      "previous(?: page)?",
      "prev",
      "older(?: posts| entries| news)?",
      "newer(?: posts| entries| news)?",
      "first",
      "last",
      "(?:load|show|see|view) (?:more|all)(?: news| articles| press releases)?",
      "more news",
      "all news",
      "suivante?",
      "précédente?",
      "page (?:suivante|précédente)",
      "afficher plus",
      "voir tout",
      "weiter",
      "zurück",
      "nächste(?: seite)?",
      "vorherige(?: seite)?",
      "mehr anzeigen",
      "alle meldungen",
      "siguiente",
      "anterior",
      "cargar más",
      "ver todas?(?: las noticias)?",
      "nästa",
      "föregående",
      "visa (?:fler|alla)",
      "successiva",
      "precedente",
      "mostra altri",
      "다음",
      "이전",
      "처음",
      "마지막",
      "次へ",
      "前へ",
    ].join("|") +
    ")(?:\\s*[»›>→]+)?$",
  "i",
);

export function isPagerText(text: string): boolean {
  return text.length > 0 && PAGER_TEXT.test(text.trim());
}

/**
 * A URL whose shape names one document: a slug of several words, a long number, an id parameter,
 * a date or a file. Section pages ("/en/industries/banking") have none of these.
 */
export function looksLikeItemUrl(url: URL): boolean {
  if (isPdfUrl(url)) return true;
  const segments = url.pathname.split("/").filter((segment) => segment.length > 0);
  const last = (segments.at(-1) ?? "").replace(/\.[a-z0-9]{2,5}$/i, "");
  if (last.split(/[-_+]+/).filter((word) => word.length > 0).length >= 3) return true;
  if (/\d{3,}/.test(last) || (segments.length >= 2 && /^\d+$/.test(last))) return true;
  if (/\/(?:19|20)\d{2}\//.test(url.pathname)) return true;
  for (const [name, value] of url.searchParams) {
    if (
      /^\d{3,}$/.test(value) ||
      (/(?:^|_)(?:id|seq|no|idx|nid|num|p)$/i.test(name) && /^\d+$/.test(value))
    ) {
      return true;
    }
  }
  return false;
}
