/**
 * What the words around a date say about it, in English, French, German, Spanish, Swedish and Korean:
 * "Published", "Updated", "When:", "© 2025", a dateline "PARIS, le 1er avril 2025 –". Lowercase cues;
 * Latin ones match whole words, Korean ones anywhere (particles attach to them).
 */

export type DateLabel = "published" | "modified" | "event" | "generic";

const LATIN_CUES: Record<DateLabel, string[]> = {
  published: [
    "published",
    "publish date",
    "written",
    "created",
    "dated",
    "publication date",
    "first published",
    "posted",
    "released",
    "issued",
    "press release",
    "news release",
    "media release",
    "publié",
    "publiée",
    "créé",
    "rédigé",
    "mis en ligne",
    "paru",
    "parue",
    "communiqué de presse",
    "communiqué",
    "veröffentlicht",
    "erschienen",
    "erstellt",
    "publiziert",
    "pressemitteilung",
    "pressemeldung",
    "publicado",
    "publicada",
    "creado",
    "fecha de publicación",
    "nota de prensa",
    "comunicado de prensa",
    "comunicado",
    "publicerad",
    "publicerat",
    "skapad",
    "publicerades",
    "pressmeddelande",
  ],
  modified: [
    "updated",
    "update",
    "last updated",
    "modified",
    "last modified",
    "revised",
    "reviewed",
    "edited",
    "changed",
    "mis à jour",
    "mise à jour",
    "modifié",
    "modifiée",
    "actualisé",
    "aktualisiert",
    "geändert",
    "stand",
    "zuletzt",
    "actualizado",
    "actualizada",
    "actualización",
    "modificado",
    "uppdaterad",
    "uppdaterat",
    "ändrad",
    "senast",
  ],
  event: [
    "when",
    "event date",
    "date of the event",
    "takes place",
    "will take place",
    "will be held",
    "held on",
    "deadline",
    "closing date",
    "closes",
    "until",
    "through",
    "register by",
    "starts",
    "starting",
    "from",
    "effective",
    "as of",
    "scheduled",
    "expected",
    "planned",
    "quand",
    "aura lieu",
    "se tiendra",
    "jusqu'au",
    "jusqu’au",
    "date limite",
    "à partir du",
    "à compter du",
    "prévu",
    "prévue",
    "wann",
    "termin",
    "findet",
    "bis zum",
    "bis",
    "ab dem",
    "ab",
    "anmeldeschluss",
    "frist",
    "geplant",
    "cuándo",
    "tendrá lugar",
    "se celebrará",
    "hasta el",
    "hasta",
    "plazo",
    "fecha límite",
    "a partir del",
    "desde el",
    "previsto",
    "prevista",
    "när",
    "äger rum",
    "sista anmälningsdag",
    "till och med",
    "från och med",
    "planeras",
    "från",
  ],
  generic: ["date", "datum", "fecha", "dato"],
};

const KOREAN_CUES: Record<DateLabel, string[]> = {
  published: ["입력", "등록", "게시", "작성", "발행", "승인", "송고", "보도자료", "배포"],
  modified: ["수정", "업데이트", "갱신", "최종"],
  event: ["일시", "기간", "마감", "행사", "개최", "예정"],
  generic: ["날짜"],
};

const asPattern = (cue: string) => cue.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/ /g, "\\s+");

/** One pattern with a named group per label, so the last match tells which label it is. */
const CUE_PATTERN = new RegExp(
  (Object.keys(LATIN_CUES) as DateLabel[])
    .map((label) => {
      const latin = LATIN_CUES[label].map(asPattern).join("|");
      const korean = KOREAN_CUES[label].map(asPattern).join("|");
      return `(?<${label}>(?<![\\p{L}])(?:${latin})(?![\\p{L}])|${korean})`;
    })
    .join("|"),
  "giu",
);

/** The label of the cue closest to the end of `context` (the words before a date); undefined: no cue. */
export function labelOf(context: string): DateLabel | undefined {
  let label: DateLabel | undefined;
  for (const m of context.matchAll(CUE_PATTERN)) {
    const groups = m.groups ?? {};
    label = (Object.keys(LATIN_CUES) as DateLabel[]).find((name) => groups[name] !== undefined) ?? label;
  }
  return label;
}

const COPYRIGHT = new RegExp(
  "©|\\(c\\)|copyright|all rights reserved|tous droits réservés|alle rechte vorbehalten|" +
    "todos los derechos|alla rättigheter|무단|저작권",
  "i",
);
const CONSENT = /cookie|kakor|galletas|privacy|confidentialité|privacidad|datenschutz|integritet|개인정보/i;

/** Text whose dates are about the site (copyright years, cookie and privacy notices), not the article. */
export function isSiteNotice(text: string): boolean {
  return COPYRIGHT.test(text) || CONSENT.test(text);
}

const RANGE_WORDS = "to|au|bis|till|al|hasta|until|through|thru|and|et|und|y|och";
const RANGE_BEFORE = new RegExp(`(?:\\d\\s*\\.?\\s*[-–—~]|(?<![\\p{L}])(?:${RANGE_WORDS}))\\s*$`, "iu");
const RANGE_AFTER = new RegExp(
  `^\\s*(?:[-–—~]|(?:${RANGE_WORDS})\\s)\\s*\\d{1,2}(?![:h.]\\d{2}(?!\\d))`,
  "iu",
);

/** "5–6 June 2025", "du 18 au 21 mars", "2025.05.01 ~ 2025.05.28": neither end is a publication. */
export function isRangeEdge(before: string, after: string): boolean {
  return RANGE_BEFORE.test(before) || RANGE_AFTER.test(after);
}

const VENUE_LABEL = new RegExp(
  "^(?:location|venue|where|place|address|ort|veranstaltungsort|adresse|lieu|lugar|sede|plats|adress|" +
    "장소|위치)\\s*:?(?:\\s|$)",
  "iu",
);
const REGISTRATION = new RegExp(
  "(?<![\\p{L}])(?:register|registration|sign up|rsvp|anmelden|anmeldung|anmäl|anmälan|inscri\\p{L}*|" +
    "regístrate|registrarse)(?![\\p{L}])|참가\\s*신청|신청하기|신청기간|접수기간",
  "iu",
);

/** A short block that marks an event page: a venue field or a call to register. */
export function isEventFact(text: string): boolean {
  if (text.length > 60) return false;
  return VENUE_LABEL.test(text) || REGISTRATION.test(text);
}

const DATELINE_CONNECTORS = new Set([
  "le",
  "la",
  "les",
  "den",
  "am",
  "im",
  "an",
  "der",
  "de",
  "del",
  "di",
  "da",
  "du",
  "el",
  "los",
  "las",
  "sur",
  "upon",
  "on",
  "i",
  "och",
  "und",
  "et",
  "y",
]);
const PLACE_WORD = /^[\p{Lu}][\p{L}\p{M}'’.-]*$/u;

/**
 * The words before the date of a dateline: a place, optionally with region and country ("CAMBRIDGE,
 * Mass.,", "Paris, le", "Stockholm den"), or nothing. A lowercase word other than a connector means a
 * sentence ("The conference on"), not a dateline.
 */
export function isDatelinePrefix(prefix: string): boolean {
  const place = prefix.replace(/[\s,]+$/, "").trim();
  if (place === "") return true;
  if (place.length > 60) return false;
  const segments = place.split(/\s*,\s*/);
  if (segments.length > 3) return false;
  const placeWords = segments.flatMap((segment) => segment.split(/\s+/)).filter(Boolean);
  const first = placeWords[0];
  if (!first || !PLACE_WORD.test(first)) return false;
  return placeWords.every((word) => PLACE_WORD.test(word) || DATELINE_CONNECTORS.has(word));
}

/** What follows the date of a dateline: a dash, the wire's name in slashes or brackets, a colon. */
export function isDatelineSuffix(suffix: string): boolean {
  return /^\s*(?:--|[-–—/(|:]|\.\s*[-–—]|$)/.test(suffix);
}
