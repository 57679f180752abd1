import { findDateInText, parseDate } from "../dates.ts";

const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/g;

/**
 * Length of a text in words, counting two CJK characters as a word: Japanese and Chinese titles have
 * no spaces, and a 24-character headline is as long as a 12-word one.
 */
export function effectiveWords(text: string): number {
  const spaced = text.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
  const cjk = text.match(CJK)?.length ?? 0;
  return Math.max(spaced, cjk / 2);
}

/** "(PDF, 412 KB)", "[PDF 2 MB]", "(1.4 MB)" after a document's name or a download link. */
const FILE_NOTE =
  /\s*[([]\s*(?:(?:pdf|docx?|xlsx?|pptx?|zip)\b[^)\]]*|[\d.,]+\s*(?:[kmg]i?b|ko|mo|bytes?))\s*[)\]]\s*$/i;

export function withoutFileNote(text: string): string {
  return text.replace(FILE_NOTE, "").trim();
}

const GENERIC_LINK_TEXT = new RegExp(
  "^(?:" +
    [
      "read(?: the)?(?: full)? (?:more|story|release|article|press release)",
      "more",
      "more info(?:rmation)?",
      "learn more",
      "find out more",
      "continue reading",
      "details",
      "view(?: more| details| release)?",
      "see more",
      "open",
      "download(?: (?:the )?(?:pdf|file|document|release))?",
      "pdf",
      "lire la suite",
      "lire plus",
      "en savoir plus",
      "voir plus",
      "télécharger(?: le (?:pdf|communiqué|document))?",
      "weiterlesen",
      "mehr(?: erfahren| lesen| dazu)?",
      "zum artikel",
      "herunterladen",
      "leer más",
      "más información",
      "ver más",
      "seguir leyendo",
      "descargar(?: (?:el )?pdf)?",
      "läs mer",
      "ladda ner",
      "leggi(?: tutto| di più)?",
      "scopri di più",
      "scarica(?: il (?:pdf|documento))?",
      "더보기",
      "자세히(?: 보기)?",
      "다운로드",
      "詳細",
      "詳しく見る",
      "続きを読む",
      "もっと見る",
    ].join("|") +
    ")$",
  "i",
);

/** Link text that names an action ("Read more", "Download PDF (1.2 MB)"), not the document. */
export function isGenericLinkText(text: string): boolean {
  const bare = withoutFileNote(text)
    .replace(/[»›>→…|.:\s]+$/u, "")
    .trim();
  if (bare.length === 0) return true;
  if (/^(?:pdf|docx?|xlsx?|zip)\b[\s,\d.]*(?:[kmg]i?b|ko|mo|bytes?)?$/i.test(bare)) return true;
  return GENERIC_LINK_TEXT.test(bare);
}

/** A year, or day and month in figures: without one of these no text is a date line. */
const DATE_FIGURES = /\b(?:19|20)\d{2}\b|\b\d{1,2}[./-]\d{1,2}\b/;
/** A short text that is a date and little else ("12 March 2025", "Published 12 mars 2025 | Finance"). */
export function isDateLine(text: string): boolean {
  if (text.length > 40 || !DATE_FIGURES.test(text)) return false;
  return parseDate(text) !== null || findDateInText(text) !== null;
}
