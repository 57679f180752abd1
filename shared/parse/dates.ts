/**
 * Date reading for feeds and pages. A date is never invented: anything that cannot be read with
 * confidence is null, and a date-less value never becomes "now".
 */

export type DateSource = "feed" | "page_selector" | "page_meta" | "content_text" | "url" | "none";

export interface ParseDateOptions {
  /** Token pattern such as "DD.MM.YYYY", "MM/DD/YYYY", "D MMMM YYYY", "YYYY-MM-DD HH:mm". */
  format?: string;
  /** "en", "fr", "de" (a region suffix such as "en-US" is accepted); settles day/month order. */
  locale?: string;
  /** IANA zone used when the text carries no offset; UTC otherwise. */
  timeZone?: string;
}

const MIN_YEAR = 1990;
const FUTURE_TOLERANCE_YEARS = 2;

const MONTHS: Record<string, number> = {};
function addMonths(names: string[][]): void {
  names.forEach((aliases, index) => {
    for (const alias of aliases) MONTHS[alias] = index + 1;
  });
}
addMonths([
  // English, French, German, then Spanish/Italian/Portuguese (common in captured feeds).
  [
    "january",
    "jan",
    "janvier",
    "janv",
    "januar",
    "jänner",
    "jaenner",
    "enero",
    "ene",
    "gennaio",
    "gen",
    "janeiro",
  ],
  [
    "february",
    "feb",
    "février",
    "fevrier",
    "févr",
    "fevr",
    "fév",
    "fev",
    "februar",
    "febrero",
    "febbraio",
    "fevereiro",
  ],
  ["march", "mar", "mars", "märz", "maerz", "mär", "mrz", "marzo", "março", "marco"],
  ["april", "apr", "avril", "avr", "abril", "abr", "aprile"],
  ["may", "mai", "mayo", "maggio", "mag", "maio"],
  ["june", "jun", "juin", "juni", "junio", "giugno", "giu", "junho"],
  ["july", "jul", "juillet", "juil", "juli", "julio", "luglio", "lug", "julho"],
  ["august", "aug", "août", "aout", "agosto", "ago"],
  ["september", "sep", "sept", "septembre", "septiembre", "settembre", "set", "setembro"],
  ["october", "oct", "octobre", "oktober", "okt", "octubre", "ottobre", "ott", "outubro", "out"],
  ["november", "nov", "novembre", "noviembre", "novembro"],
  [
    "december",
    "dec",
    "décembre",
    "decembre",
    "déc",
    "dezember",
    "dez",
    "diciembre",
    "dic",
    "dicembre",
    "dezembro",
  ],
]);

const MONTH_NAME = "([A-Za-zÀ-ÿ]{3,10})\\.?";
const WEEKDAY_PREFIX =
  "(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*|(?:lun|mar|mer|jeu|ven|sam|dim)[a-z]*|(?:mo|di|mi|do|fr|sa|so|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag))\\.?,?\\s+";
const TIME_PART =
  "(?:(?:,|\\s)\\s*(?:at\\s+|à\\s+|um\\s+|-\\s+|—\\s+)?(\\d{1,2})(?::|h)(\\d{2})(?::(\\d{2}))?\\s*([ap]\\.?m\\.?)?(?:\\s*(?:uhr))?(?:\\s*([A-Za-z]{1,5}|[+-]\\d{2}:?\\d{2}|(?:GMT|UTC)[+-]\\d{1,2}(?::?\\d{2})?))?)?";

const NAMED_ZONES: Record<string, number> = {
  gmt: 0,
  ut: 0,
  utc: 0,
  z: 0,
  est: -5 * 60,
  edt: -4 * 60,
  cst: -6 * 60,
  cdt: -5 * 60,
  mst: -7 * 60,
  mdt: -6 * 60,
  pst: -8 * 60,
  pdt: -7 * 60,
  cet: 60,
  cest: 2 * 60,
  bst: 60,
};

interface Parts {
  year: number;
  month: number;
  day: number;
  hour?: number;
  minute?: number;
  second?: number;
  millisecond?: number;
  /** Minutes east of UTC; undefined when the text has no zone. */
  offset?: number;
}

export function parseDate(text: string, opts: ParseDateOptions = {}): Date | null {
  const input = text.replace(/\s+/g, " ").trim();
  if (!input) return null;
  if (opts.format) {
    const formatted = parseWithFormat(input, opts.format);
    if (formatted) return finish(formatted, opts.timeZone);
  }
  const parts =
    parseIso(input) ?? parseRfc822(input) ?? parseTextual(input, true) ?? parseNumeric(input, opts.locale);
  return parts ? finish(parts, opts.timeZone) : null;
}

export function findDateInText(text: string): Date | null {
  const input = text.replace(/\s+/g, " ");
  const candidates: Array<{ index: number; parts: Parts }> = [];
  const collect = (regex: RegExp, read: (m: RegExpExecArray) => Parts | undefined) => {
    for (const m of input.matchAll(regex)) {
      const parts = read(m);
      if (parts && m.index !== undefined) candidates.push({ index: m.index, parts });
    }
  };
  collect(new RegExp(`\\b${ISO_BODY}`, "g"), readIso);
  collect(new RegExp(`\\b${DAY_FIRST_BODY}${TIME_PART}`, "gi"), readDayFirst);
  collect(new RegExp(`\\b${MONTH_FIRST_BODY}${TIME_PART}`, "gi"), readMonthFirst);
  collect(/\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b/g, (m) => numericParts(m[3], m[2], m[1]));
  collect(/\b(\d{1,2})\/(\d{1,2})\/(\d{4})\b/g, (m) => unambiguousSlash(m[1], m[2], m[3]));
  candidates.sort((a, b) => a.index - b.index);
  for (const candidate of candidates) {
    const date = finish(candidate.parts, undefined);
    if (date) return date;
  }
  return null;
}

export function dateFromUrl(url: string): Date | null {
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    // A bare path is fine: only the digits matter.
  }
  const patterns = [
    /(?:^|\/)((?:19|20)\d{2})\/(\d{1,2})\/(\d{1,2})(?=\/|$|[^\d])/,
    /(?:^|[/_-])((?:19|20)\d{2})-(\d{2})-(\d{2})(?=[/_.-]|$)/,
    /(?:^|[/_-])((?:19|20)\d{2})(\d{2})(\d{2})(?=[/_.-]|$)/,
  ];
  for (const pattern of patterns) {
    const m = pattern.exec(path);
    if (!m) continue;
    const date = finish(numericParts(m[1], m[2], m[3]), undefined);
    if (date) return date;
  }
  return null;
}

export function toIsoUtc(d: Date): string {
  return d.toISOString();
}

const ISO_BODY =
  "(\\d{4})-(\\d{2})-(\\d{2})(?:[T ](\\d{2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d+))?)?\\s*(Z|[+-]\\d{2}(?::?\\d{2})?)?)?";

function parseIso(input: string): Parts | undefined {
  const m = new RegExp(`^${ISO_BODY}$`, "i").exec(input);
  if (m) return readIso(m);
  const slashed = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(input);
  return slashed ? numericParts(slashed[1], slashed[2], slashed[3]) : undefined;
}

function readIso(m: RegExpExecArray): Parts | undefined {
  const parts = numericParts(m[1], m[2], m[3]);
  if (!parts) return undefined;
  if (m[4] !== undefined) {
    parts.hour = Number(m[4]);
    parts.minute = Number(m[5]);
    parts.second = m[6] === undefined ? 0 : Number(m[6]);
    parts.millisecond = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, "0"));
  }
  if (m[8] !== undefined) {
    const offset = readZone(m[8]);
    if (offset === undefined) return undefined;
    parts.offset = offset;
  }
  return parts;
}

const RFC822 = new RegExp(
  "^(?:[A-Za-zÀ-ÿ]+\\.?,?\\s*)?(\\d{1,2})\\s+([A-Za-zÀ-ÿ]+)\\.?\\s+(\\d{2}|\\d{4})" +
    "(?:\\s+(\\d{1,2}):(\\d{2})(?::(\\d{2}))?)?\\s*([A-Za-z]{1,5}(?:[+-]\\d{1,4})?|[+-]\\d{4}|[+-]\\d{2}:\\d{2})?$",
);

function parseRfc822(input: string): Parts | undefined {
  const m = RFC822.exec(input);
  if (!m) return undefined;
  const month = monthNumber(m[2]);
  if (month === undefined || m[3] === undefined) return undefined;
  let year = Number(m[3]);
  if (m[3].length === 2) year += year < 50 ? 2000 : 1900;
  const parts: Parts = { year, month, day: Number(m[1]) };
  if (m[4] !== undefined) {
    parts.hour = Number(m[4]);
    parts.minute = Number(m[5]);
    parts.second = m[6] === undefined ? 0 : Number(m[6]);
  }
  if (m[7] !== undefined) {
    const offset = readZone(m[7]);
    if (offset === undefined) return undefined;
    parts.offset = offset;
  }
  return parts;
}

const DAY_FIRST_BODY = `(\\d{1,2})(?:st|nd|rd|th|er|\\.)?\\s+(?:de\\s+)?${MONTH_NAME},?\\s+(?:de\\s+)?(\\d{4})`;
const MONTH_FIRST_BODY = `${MONTH_NAME}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})`;

function parseTextual(input: string, anchored: boolean): Parts | undefined {
  const wrap = (body: string) =>
    new RegExp(anchored ? `^(?:${WEEKDAY_PREFIX})?${body}${TIME_PART}$` : body, "i");
  const dayFirst = wrap(DAY_FIRST_BODY).exec(input);
  if (dayFirst) return readDayFirst(dayFirst);
  const monthFirst = wrap(MONTH_FIRST_BODY).exec(input);
  if (monthFirst) return readMonthFirst(monthFirst);
  return undefined;
}

function readDayFirst(m: RegExpExecArray): Parts | undefined {
  const month = monthNumber(m[2]);
  if (month === undefined) return undefined;
  return withTime({ year: Number(m[3]), month, day: Number(m[1]) }, m, 4);
}

function readMonthFirst(m: RegExpExecArray): Parts | undefined {
  const month = monthNumber(m[1]);
  if (month === undefined) return undefined;
  return withTime({ year: Number(m[3]), month, day: Number(m[2]) }, m, 4);
}

/** Reads the TIME_PART groups that start at `first`: hour, minute, second, am/pm, zone. */
function withTime(parts: Parts, m: RegExpExecArray, first: number): Parts | undefined {
  const hour = m[first];
  if (hour === undefined) return parts;
  parts.hour = Number(hour);
  parts.minute = Number(m[first + 1]);
  parts.second = m[first + 2] === undefined ? 0 : Number(m[first + 2]);
  const meridiem = m[first + 3]?.toLowerCase().replace(/\./g, "");
  if (meridiem) {
    if (parts.hour < 1 || parts.hour > 12) return undefined;
    parts.hour = (parts.hour % 12) + (meridiem === "pm" ? 12 : 0);
  }
  const zone = m[first + 4];
  if (zone !== undefined) {
    const offset = readZone(zone);
    if (offset !== undefined) parts.offset = offset;
    // A word after the time may just be the next word of a sentence; a broken offset is not.
    else if (/^(?:[+-]|gmt|utc)/i.test(zone)) return undefined;
  }
  return parts;
}

function parseNumeric(input: string, locale: string | undefined): Parts | undefined {
  const m = /^(\d{1,2})([./-])(\d{1,2})\2(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(input);
  if (!m) return undefined;
  const [a, separator, b, year] = [m[1], m[2], m[3], m[4]];
  let parts: Parts | undefined;
  if (separator === ".") parts = numericParts(year, b, a);
  else if (isUsLocale(locale)) parts = numericParts(year, a, b);
  else if (locale) parts = numericParts(year, b, a);
  else parts = unambiguousSlash(a, b, year);
  if (parts && m[5] !== undefined) {
    parts.hour = Number(m[5]);
    parts.minute = Number(m[6]);
    parts.second = m[7] === undefined ? 0 : Number(m[7]);
  }
  return parts;
}

function isUsLocale(locale: string | undefined): boolean {
  const lower = locale?.toLowerCase();
  return lower === "en" || lower === "en-us";
}

/** Day/month order is only settled when one of the two numbers cannot be a month. */
function unambiguousSlash(
  first: string | undefined,
  second: string | undefined,
  year: string | undefined,
): Parts | undefined {
  const a = Number(first);
  const b = Number(second);
  if (a > 12 && b <= 12) return numericParts(year, second, first);
  if (b > 12 && a <= 12) return numericParts(year, first, second);
  return undefined;
}

function numericParts(
  year: string | undefined,
  month: string | undefined,
  day: string | undefined,
): Parts | undefined {
  if (year === undefined || month === undefined || day === undefined) return undefined;
  return { year: Number(year), month: Number(month), day: Number(day) };
}

const FORMAT_TOKENS: Array<
  [string, string, keyof Parts | "monthName" | "meridiem" | "ordinalDay" | "year2"]
> = [
  ["YYYY", "(\\d{4})", "year"],
  ["YY", "(\\d{2})", "year2"],
  ["MMMM", "([A-Za-zÀ-ÿ]+)\\.?", "monthName"],
  ["MMM", "([A-Za-zÀ-ÿ]+)\\.?", "monthName"],
  ["MM", "(\\d{2})", "month"],
  ["M", "(\\d{1,2})", "month"],
  ["Do", "(\\d{1,2})(?:st|nd|rd|th|er)?", "ordinalDay"],
  ["DD", "(\\d{2})", "day"],
  ["D", "(\\d{1,2})(?:st|nd|rd|th|er)?", "day"],
  ["HH", "(\\d{2})", "hour"],
  ["H", "(\\d{1,2})", "hour"],
  ["hh", "(\\d{2})", "hour"],
  ["h", "(\\d{1,2})", "hour"],
  ["mm", "(\\d{2})", "minute"],
  ["ss", "(\\d{2})", "second"],
  ["A", "([AaPp]\\.?[Mm]\\.?)", "meridiem"],
  ["a", "([AaPp]\\.?[Mm]\\.?)", "meridiem"],
];

function parseWithFormat(input: string, format: string): Parts | undefined {
  let pattern = "";
  const fields: Array<(typeof FORMAT_TOKENS)[number][2]> = [];
  let rest = format;
  while (rest.length > 0) {
    const token = FORMAT_TOKENS.find(([name]) => rest.startsWith(name));
    if (token) {
      pattern += token[1];
      fields.push(token[2]);
      rest = rest.slice(token[0].length);
    } else {
      const char = rest[0] ?? "";
      pattern += /\s/.test(char) ? "\\s+" : char.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
      rest = rest.slice(1);
    }
  }
  const m = new RegExp(`^${pattern}$`, "i").exec(input);
  if (!m) return undefined;
  const parts: Parts = { year: Number.NaN, month: Number.NaN, day: Number.NaN };
  let meridiem: string | undefined;
  for (const [i, field] of fields.entries()) {
    const value = m[i + 1] ?? "";
    if (field === "monthName") {
      const month = monthNumber(value);
      if (month === undefined) return undefined;
      parts.month = month;
    } else if (field === "year2") parts.year = 2000 + Number(value);
    else if (field === "ordinalDay") parts.day = Number(value);
    else if (field === "meridiem") meridiem = value.toLowerCase().replace(/\./g, "");
    else parts[field] = Number(value);
  }
  if (meridiem && parts.hour !== undefined) parts.hour = (parts.hour % 12) + (meridiem === "pm" ? 12 : 0);
  if (parts.hour !== undefined) parts.minute ??= 0;
  return parts;
}

function monthNumber(name: string | undefined): number | undefined {
  if (!name) return undefined;
  return MONTHS[name.toLowerCase().replace(/\.$/, "")];
}

/** Minutes east of UTC for "Z", "+0100", "-07:00", "+02", "GMT+1", named and military zones. */
function readZone(zone: string): number | undefined {
  const lower = zone.toLowerCase();
  const named = NAMED_ZONES[lower];
  if (named !== undefined) return named;
  const prefixed = /^(?:gmt|utc|ut)([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(lower);
  if (prefixed) return readZone(`${prefixed[1]}${prefixed[2]?.padStart(2, "0")}${prefixed[3] ?? "00"}`);
  const numeric = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (numeric) {
    const hours = Number(numeric[2]);
    const minutes = Number(numeric[3] ?? 0);
    if (hours > 14 || minutes > 59) return undefined;
    return (numeric[1] === "-" ? -1 : 1) * (hours * 60 + minutes);
  }
  if (/^[a-ik-y]$/.test(lower)) {
    const code = lower.charCodeAt(0);
    if (lower <= "i") return (code - 96) * 60;
    if (lower <= "m") return (code - 97) * 60;
    return -(code - 109) * 60;
  }
  return undefined;
}

function finish(parts: Parts | undefined, timeZone: string | undefined): Date | null {
  if (!parts) return null;
  const { year, month, day } = parts;
  const hour = parts.hour ?? 0;
  const minute = parts.minute ?? 0;
  const second = Math.min(parts.second ?? 0, 59);
  const millisecond = parts.millisecond ?? 0;
  if (![year, month, day, hour, minute, second].every(Number.isInteger)) return null;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59) return null;
  const wallClock = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  let instant: number;
  if (parts.offset !== undefined) instant = wallClock - parts.offset * 60_000;
  else if (timeZone) instant = wallClockInZone(wallClock, timeZone);
  else instant = wallClock;
  const date = new Date(instant);
  if (!isPlausible(date)) return null;
  return date;
}

function isPlausible(date: Date): boolean {
  if (Number.isNaN(date.getTime())) return false;
  const latest = new Date();
  latest.setUTCFullYear(latest.getUTCFullYear() + FUTURE_TOLERANCE_YEARS);
  return date.getUTCFullYear() >= MIN_YEAR && date.getTime() <= latest.getTime();
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The UTC instant at which the clocks of `timeZone` show `wallClock` (given as if it were UTC). */
function wallClockInZone(wallClock: number, timeZone: string): number {
  let formatter: Intl.DateTimeFormat;
  try {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
  } catch {
    return wallClock;
  }
  const offsetAt = (instant: number): number => {
    const fields: Record<string, number> = {};
    for (const part of formatter.formatToParts(new Date(instant))) fields[part.type] = Number(part.value);
    const shown = Date.UTC(
      fields.year ?? 0,
      (fields.month ?? 1) - 1,
      fields.day ?? 1,
      fields.hour ?? 0,
      fields.minute ?? 0,
      fields.second ?? 0,
    );
    return shown - Math.floor(instant / 1000) * 1000;
  };
  let instant = wallClock - offsetAt(wallClock);
  instant = wallClock - offsetAt(instant);
  return instant;
}

/**
 * The last links of every date chain: a date written in the text, then one in the URL. Nothing found ->
 * null with `none`: a date is never invented.
 */
export function dateFromTextOrUrl(
  text: string,
  url: string,
): { published: string | null; dateSource: DateSource } {
  const fromText = findDateInText(text);
  if (fromText) return { published: toIsoUtc(fromText), dateSource: "content_text" };
  const fromUrl = dateFromUrl(url);
  if (fromUrl) return { published: toIsoUtc(fromUrl), dateSource: "url" };
  return { published: null, dateSource: "none" };
}
