import { collapseWhitespace } from "./whitespace.ts";

/**
 * Date reading for feeds and pages. A date is never invented: anything that cannot be read with
 * confidence is null, and a date-less value never becomes "now".
 */

export type DateSource = "feed" | "page_selector" | "page_meta" | "content_text" | "url" | "none";

export interface ParseDateOptions {
  /** Token pattern such as "DD.MM.YYYY", "MM/DD/YYYY", "D MMMM YYYY", "YYYY-MM-DD HH:mm". */
  format?: string;
  /** "en", "fr", "de", "es", "sv", "ko" (a region suffix such as "en-US" is accepted): day/month order. */
  locale?: string;
  /** IANA zone used when the text carries no offset; UTC otherwise. */
  timeZone?: string;
  /** The caller's clock; see `isPlausible` for what changes without it. */
  now?: Date;
}

/** Options of the functions that look for dates inside running text or a URL. */
export interface TextDateOptions {
  /** Settles the day/month order of slashed dates; without it only unambiguous ones are read. */
  locale?: string;
  now?: Date;
}

/** A date found in running text; `index`/`end` point into the text with whitespace runs collapsed. */
export interface TextDate {
  date: Date;
  index: number;
  end: number;
}

const MIN_YEAR = 1990;
const FUTURE_TOLERANCE_YEARS = 2;
/**
 * The bound used when the caller passes no clock. Reading the system clock here would make the same
 * input parse differently depending on when it runs (and untestable); a fixed year only refuses what no
 * clock could make plausible, so callers that know "now" pass it to get the two-year bound.
 */
const LATEST_YEAR_WITHOUT_CLOCK = 2100;

const MONTHS: Record<string, number> = {};
function addMonths(names: string[][]): void {
  names.forEach((aliases, index) => {
    for (const alias of aliases) MONTHS[alias] = index + 1;
  });
}
addMonths([
  // English, French, German, Swedish, then Spanish/Italian/Portuguese (common in captured feeds).
  [
    "january",
    "jan",
    "janvier",
    "janv",
    "januar",
    "jänner",
    "jaenner",
    "januari",
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
    "februari",
    "febrero",
    "febbraio",
    "fevereiro",
  ],
  ["march", "mar", "mars", "märz", "maerz", "mär", "mrz", "marzo", "março", "marco"],
  ["april", "apr", "avril", "avr", "abril", "abr", "aprile"],
  ["may", "mai", "maj", "mayo", "maggio", "mag", "maio"],
  ["june", "jun", "juin", "juni", "junio", "giugno", "giu", "junho"],
  ["july", "jul", "juillet", "juil", "juli", "julio", "luglio", "lug", "julho"],
  ["august", "aug", "août", "aout", "augusti", "agosto", "ago"],
  ["september", "sep", "sept", "septembre", "septiembre", "setiembre", "settembre", "set", "setembro"],
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
  kst: 9 * 60,
};

// Regex fragments. Each composed pattern holds every group name once, so readers use `m.groups`.

const MONTH_NAME = "(?<monthName>[A-Za-zÀ-ÿ]{3,10})\\.?";
const WEEKDAY_PREFIX =
  "(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*" +
  "|(?:lun|mar|mer|jeu|ven|sam|dim)[a-zà-ÿ]*" +
  "|(?:mo|di|mi|do|fr|sa|so|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag)" +
  "|(?:miércoles|miercoles|jueves|viernes|sábado|sabado|domingo)" +
  "|(?:mån|tis|ons|tor|fre|lör|sön)[a-zåäö]*)\\.?,?\\s+";
const TIME_PART =
  "(?:(?:,|\\s)\\s*(?:at\\s+|à\\s+|um\\s+|kl\\.?\\s+|a\\s+las\\s+|-\\s+|—\\s+|–\\s+)?" +
  "(?<hour>\\d{1,2})(?::|h|\\.)(?<minute>\\d{2})" +
  "(?::(?<second>\\d{2}))?\\s*(?<meridiem>[ap]\\.?m\\.?)?(?:\\s*(?:uhr))?" +
  "(?:\\s*(?<zone>[A-Za-z]{1,5}|[+-]\\d{2}:?\\d{2}|(?:GMT|UTC)[+-]\\d{1,2}(?::?\\d{2})?))?)?";
/** Korean clock times: "15:00", "오후 3:00", "오후 2시", "오전 9시 30분", maybe after a weekday "(목)". */
const KOREAN_TIME =
  "(?:\\s*\\([^)\\d]{1,3}\\))?(?:\\s*(?<meridiem>오전|오후)?\\s*(?<hour>\\d{1,2})" +
  "(?::(?<minute>\\d{2})(?::(?<second>\\d{2}))?|\\s*시(?:\\s*(?<koreanMinute>\\d{1,2})\\s*분)?))?";

const ISO_BODY =
  "(?<year>\\d{4})-(?<month>\\d{2})-(?<day>\\d{2})(?:[T ](?<hour>\\d{2}):(?<minute>\\d{2})" +
  "(?::(?<second>\\d{2})(?:[.,](?<fraction>\\d+))?)?\\s*(?<zone>Z|[+-]\\d{2}(?::?\\d{2})?)?)?";
const DAY_FIRST_BODY =
  "(?<day>\\d{1,2})(?:st|nd|rd|th|er|\\.)?\\s+(?:de\\s+)?" +
  `${MONTH_NAME},?\\s+(?:de\\s+|del\\s+)?(?<year>\\d{4})`;
const MONTH_FIRST_BODY = `${MONTH_NAME}\\s+(?<day>\\d{1,2})(?:st|nd|rd|th)?,?\\s+(?<year>\\d{4})`;
const KOREAN_BODY = "(?<year>\\d{4})\\s*년\\s*(?<month>\\d{1,2})\\s*월\\s*(?<day>\\d{1,2})\\s*일";
/** "2025.03.12", "2025. 3. 12." (Korean and Hungarian style), always year first. */
const DOTTED_YMD_BODY = "(?<year>\\d{4})\\.\\s?(?<month>\\d{1,2})\\.\\s?(?<day>\\d{1,2})\\b\\.?";
const ISO_DATE_BODY = "(?<year>\\d{4})-(?<month>\\d{2})-(?<day>\\d{2})";
/** "04/05/2026" or "04-05-2026": which number is the month depends on the locale. */
const SLASHED_BODY =
  "(?<firstNumber>\\d{1,2})(?<separator>[/-])(?<secondNumber>\\d{1,2})\\k<separator>(?<year>\\d{4})";

type Groups = Record<string, string | undefined>;

const groupsOf = (m: RegExpExecArray): Groups => m.groups ?? {};

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
  const input = collapseWhitespace(text);
  if (!input) return null;
  if (opts.format) {
    const formatted = parseWithFormat(input, opts.format);
    if (formatted) return finish(formatted, opts.timeZone, opts.now);
  }
  const parts =
    parseIso(input) ??
    parseRfc822(input) ??
    parseTextual(input) ??
    parseNumeric(input, opts.locale) ??
    parseKorean(input);
  return parts ? finish(parts, opts.timeZone, opts.now) : null;
}

/** The first date written in `text` (see `findDatesInText`), or null. */
export function findDateInText(text: string, opts: TextDateOptions = {}): Date | null {
  return findDatesInText(text, opts)[0]?.date ?? null;
}

/** One way of writing a date inside running text. */
interface TextPattern {
  regex: RegExp;
  read: (groups: Groups) => Parts | undefined;
}

const textPatternsByOrder = new Map<SlashOrder, TextPattern[]>();

/** Compiled once per slash order: pages are read block by block, and `matchAll` leaves the regex untouched. */
function textPatterns(locale: string | undefined): TextPattern[] {
  const order = slashOrder(locale);
  const cached = textPatternsByOrder.get(order);
  if (cached) return cached;
  const patterns = compileTextPatterns(order);
  textPatternsByOrder.set(order, patterns);
  return patterns;
}

function compileTextPatterns(order: SlashOrder): TextPattern[] {
  const pattern = (body: string, read: TextPattern["read"], flags = "gi"): TextPattern => ({
    regex: new RegExp(`\\b${body}`, flags),
    read,
  });
  return [
    pattern(`${ISO_DATE_BODY}\\s*(?=오전|오후)${KOREAN_TIME}`, readNumericWithTime),
    pattern(ISO_BODY, readIso, "g"),
    pattern(`${DAY_FIRST_BODY}${TIME_PART}`, readNamedMonth),
    pattern(`${MONTH_FIRST_BODY}${TIME_PART}`, readNamedMonth),
    pattern(`${KOREAN_BODY}${KOREAN_TIME}`, readNumericWithTime),
    pattern(`${DOTTED_YMD_BODY}${KOREAN_TIME}`, readNumericWithTime),
    pattern("(?<year>\\d{4})/(?<month>\\d{1,2})/(?<day>\\d{1,2})\\b", readNumericWithTime),
    pattern(`(?<day>\\d{1,2})\\.(?<month>\\d{1,2})\\.(?<year>\\d{4})\\b${TIME_PART}`, readNumericWithTime),
    pattern(`${SLASHED_BODY}\\b${TIME_PART}`, (g) => {
      const parts = readSlashed(g, order);
      return parts ? withTime(parts, g) : undefined;
    }),
  ];
}

/**
 * Every plausible date written in `text`, in reading order; where two readings overlap the one that starts
 * first (then the longer one) wins. Slashed dates are read only when `locale` or the numbers settle the
 * day/month order.
 */
export function findDatesInText(text: string, opts: TextDateOptions = {}): TextDate[] {
  const input = text.replace(/\s+/g, " ");
  const found: TextDate[] = [];
  for (const { regex, read } of textPatterns(opts.locale)) {
    for (const m of input.matchAll(regex)) {
      const parts = read(m.groups ?? {});
      const date = parts ? finish(parts, undefined, opts.now) : null;
      if (date && m.index !== undefined) found.push({ date, index: m.index, end: m.index + m[0].length });
    }
  }
  found.sort((a, b) => a.index - b.index || b.end - a.end);
  const kept: TextDate[] = [];
  for (const candidate of found) {
    const last = kept.at(-1);
    if (!last || candidate.index >= last.end) kept.push(candidate);
  }
  return kept;
}

const URL_DATE_PATTERNS = [
  /(?:^|\/)(?<year>(?:19|20)\d{2})\/(?<month>\d{1,2})\/(?<day>\d{1,2})(?=\/|$|[^\d])/,
  /(?:^|[/_-])(?<year>(?:19|20)\d{2})-(?<month>\d{2})-(?<day>\d{2})(?=[/_.-]|$)/,
  /(?:^|[/_-])(?<year>(?:19|20)\d{2})(?<month>\d{2})(?<day>\d{2})(?=[/_.-]|$)/,
];

export function dateFromUrl(url: string, opts: Pick<TextDateOptions, "now"> = {}): Date | null {
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    // A bare path is fine: only the digits matter.
  }
  for (const pattern of URL_DATE_PATTERNS) {
    const m = pattern.exec(path);
    if (!m) continue;
    const date = finish(readNumericDate(groupsOf(m)), undefined, opts.now);
    if (date) return date;
  }
  return null;
}

export function toIsoUtc(d: Date): string {
  return d.toISOString();
}

// Compiled once: parseDate runs for every feed date, <time> and meta tag.
const ISO_WHOLE = new RegExp(`^${ISO_BODY}$`, "i");
const TEXTUAL_WHOLE = [DAY_FIRST_BODY, MONTH_FIRST_BODY].map(
  (body) => new RegExp(`^(?:${WEEKDAY_PREFIX})?${body}${TIME_PART}$`, "i"),
);
const KOREAN_WHOLE = [KOREAN_BODY, DOTTED_YMD_BODY, `${ISO_DATE_BODY}\\s*(?=오전|오후)`].map(
  (body) => new RegExp(`^${body}${KOREAN_TIME}$`),
);
const NUMERIC_WHOLE = new RegExp(
  "^(?<firstNumber>\\d{1,2})(?<separator>[./-])(?<secondNumber>\\d{1,2})\\k<separator>(?<year>\\d{4})" +
    "(?:,?\\s+(?<hour>\\d{1,2}):(?<minute>\\d{2})(?::(?<second>\\d{2}))?)?$",
);

function parseIso(input: string): Parts | undefined {
  const m = ISO_WHOLE.exec(input);
  if (m) return readIso(groupsOf(m));
  const slashed = /^(?<year>\d{4})\/(?<month>\d{1,2})\/(?<day>\d{1,2})$/.exec(input);
  return slashed ? readNumericDate(groupsOf(slashed)) : undefined;
}

function readIso(g: Groups): Parts | undefined {
  const parts = readNumericDate(g);
  if (!parts) return undefined;
  if (g.hour !== undefined) {
    parts.hour = Number(g.hour);
    parts.minute = Number(g.minute);
    parts.second = g.second === undefined ? 0 : Number(g.second);
    parts.millisecond = g.fraction === undefined ? 0 : Number(g.fraction.slice(0, 3).padEnd(3, "0"));
  }
  return withZone(parts, g.zone, true);
}

const RFC822 = new RegExp(
  "^(?:[A-Za-zÀ-ÿ]+\\.?,?\\s*)?(?<day>\\d{1,2})\\s+(?<monthName>[A-Za-zÀ-ÿ]+)\\.?\\s+" +
    "(?<year>\\d{2}|\\d{4})" +
    "(?:\\s+(?<hour>\\d{1,2}):(?<minute>\\d{2})(?::(?<second>\\d{2}))?)?" +
    "\\s*(?<zone>[A-Za-z]{1,5}(?:[+-]\\d{1,4})?|[+-]\\d{4}|[+-]\\d{2}:\\d{2})?$",
);

function parseRfc822(input: string): Parts | undefined {
  const m = RFC822.exec(input);
  if (!m) return undefined;
  const g = groupsOf(m);
  const month = monthNumber(g.monthName);
  if (month === undefined || g.year === undefined) return undefined;
  let year = Number(g.year);
  if (g.year.length === 2) year += year < 50 ? 2000 : 1900;
  const parts: Parts = { year, month, day: Number(g.day) };
  if (g.hour !== undefined) {
    parts.hour = Number(g.hour);
    parts.minute = Number(g.minute);
    parts.second = g.second === undefined ? 0 : Number(g.second);
  }
  return withZone(parts, g.zone, true);
}

function parseTextual(input: string): Parts | undefined {
  for (const re of TEXTUAL_WHOLE) {
    const m = re.exec(input);
    if (m) return readNamedMonth(groupsOf(m));
  }
  return undefined;
}

function parseKorean(input: string): Parts | undefined {
  for (const re of KOREAN_WHOLE) {
    const m = re.exec(input);
    if (m) return readNumericWithTime(groupsOf(m));
  }
  return undefined;
}

function readNamedMonth(g: Groups): Parts | undefined {
  const month = monthNumber(g.monthName);
  if (month === undefined) return undefined;
  return withTime({ year: Number(g.year), month, day: Number(g.day) }, g);
}

function readNumericWithTime(g: Groups): Parts | undefined {
  const parts = readNumericDate(g);
  return parts ? withTime(parts, g) : undefined;
}

/** Reads the clock groups (hour, minute, second, meridiem, zone) that follow a date, when present. */
function withTime(parts: Parts, g: Groups): Parts | undefined {
  if (g.hour === undefined) return parts;
  parts.hour = Number(g.hour);
  parts.minute = Number(g.minute ?? g.koreanMinute ?? 0);
  parts.second = g.second === undefined ? 0 : Number(g.second);
  const meridiem = g.meridiem?.toLowerCase().replace(/\./g, "");
  if (meridiem) {
    if (parts.hour < 1 || parts.hour > 12) return undefined;
    parts.hour = (parts.hour % 12) + (isAfternoon(meridiem) ? 12 : 0);
  }
  // A word after the time may just be the next word of a sentence; a broken offset is not.
  return withZone(parts, g.zone, false);
}

function isAfternoon(meridiem: string): boolean {
  return meridiem === "pm" || meridiem === "오후";
}

/**
 * Applies the zone written after a time. `strict`: an unknown zone voids the date (structured fields);
 * otherwise only a broken numeric offset does, since free text may continue with any word.
 */
function withZone(parts: Parts, zone: string | undefined, strict: boolean): Parts | undefined {
  if (zone === undefined) return parts;
  // In running text a lone letter after a time is a unit or a word ("14:20h", "9:00 a"), not a military zone.
  if (!strict && /^[a-y]$/i.test(zone)) return parts;
  const offset = readZone(zone);
  if (offset !== undefined) {
    parts.offset = offset;
    return parts;
  }
  if (strict || /^(?:[+-]|gmt|utc)/i.test(zone)) return undefined;
  return parts;
}

function parseNumeric(input: string, locale: string | undefined): Parts | undefined {
  const m = NUMERIC_WHOLE.exec(input);
  if (!m) return undefined;
  const g = groupsOf(m);
  const parts =
    g.separator === "."
      ? readNumericDate({ year: g.year, month: g.secondNumber, day: g.firstNumber })
      : readSlashed(g, slashOrder(locale));
  return parts ? withTime(parts, g) : undefined;
}

/** Which number of "04/05/2026" is the month: the US writes it first, other locales second. */
type SlashOrder = "month-first" | "day-first" | "unsettled";

function slashOrder(locale: string | undefined): SlashOrder {
  if (!locale) return "unsettled";
  const lower = locale.toLowerCase().replace("_", "-");
  return lower === "en" || lower === "en-us" ? "month-first" : "day-first";
}

/** A slashed or dashed date in the given order; an unsettled one only when a number cannot be a month. */
function readSlashed(g: Groups, order: SlashOrder): Parts | undefined {
  const { year, firstNumber, secondNumber } = g;
  if (order === "month-first") return readNumericDate({ year, month: firstNumber, day: secondNumber });
  if (order === "day-first") return readNumericDate({ year, month: secondNumber, day: firstNumber });
  return unambiguousSlash(firstNumber, secondNumber, year);
}

/** Day/month order is only settled when one of the two numbers cannot be a month. */
function unambiguousSlash(
  first: string | undefined,
  second: string | undefined,
  year: string | undefined,
): Parts | undefined {
  const a = Number(first);
  const b = Number(second);
  if (a > 12 && b <= 12) return readNumericDate({ year, month: second, day: first });
  if (b > 12 && a <= 12) return readNumericDate({ year, month: first, day: second });
  return undefined;
}

function readNumericDate(g: Groups): Parts | undefined {
  const { year, month, day } = g;
  if (year === undefined || month === undefined || day === undefined) return undefined;
  return { year: Number(year), month: Number(month), day: Number(day) };
}

type FormatField =
  | "year"
  | "year2"
  | "monthName"
  | "month"
  | "day"
  | "hour"
  | "minute"
  | "second"
  | "meridiem";

/** Tokens of a caller-declared pattern ("DD.MM.YYYY"), each longer token before its own prefix. */
const FORMAT_TOKENS: Array<{ token: string; field: FormatField; value: string; suffix?: string }> = [
  { token: "YYYY", field: "year", value: "\\d{4}" },
  { token: "YY", field: "year2", value: "\\d{2}" },
  { token: "MMMM", field: "monthName", value: "[A-Za-zÀ-ÿ]+", suffix: "\\.?" },
  { token: "MMM", field: "monthName", value: "[A-Za-zÀ-ÿ]+", suffix: "\\.?" },
  { token: "MM", field: "month", value: "\\d{2}" },
  { token: "M", field: "month", value: "\\d{1,2}" },
  { token: "Do", field: "day", value: "\\d{1,2}", suffix: "(?:st|nd|rd|th|er)?" },
  { token: "DD", field: "day", value: "\\d{2}" },
  { token: "D", field: "day", value: "\\d{1,2}", suffix: "(?:st|nd|rd|th|er)?" },
  { token: "HH", field: "hour", value: "\\d{2}" },
  { token: "H", field: "hour", value: "\\d{1,2}" },
  { token: "hh", field: "hour", value: "\\d{2}" },
  { token: "h", field: "hour", value: "\\d{1,2}" },
  { token: "mm", field: "minute", value: "\\d{2}" },
  { token: "ss", field: "second", value: "\\d{2}" },
  { token: "A", field: "meridiem", value: "[AaPp]\\.?[Mm]\\.?" },
  { token: "a", field: "meridiem", value: "[AaPp]\\.?[Mm]\\.?" },
];

/** A source declares one or two formats and every item of its page is read with them. */
const formatRegexes = new Map<string, RegExp | null>();

function formatRegex(format: string): RegExp | null {
  let re = formatRegexes.get(format);
  if (re === undefined) {
    re = compileFormat(format);
    formatRegexes.set(format, re);
  }
  return re;
}

/** The regex of a declared format, one named group per field; null when a field repeats. */
function compileFormat(format: string): RegExp | null {
  let pattern = "";
  let rest = format;
  while (rest.length > 0) {
    const token = FORMAT_TOKENS.find((t) => rest.startsWith(t.token));
    if (token) {
      pattern += `(?<${token.field}>${token.value})${token.suffix ?? ""}`;
      rest = rest.slice(token.token.length);
    } else {
      const char = rest[0] ?? "";
      pattern += /\s/.test(char) ? "\\s+" : char.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
      rest = rest.slice(1);
    }
  }
  try {
    return new RegExp(`^${pattern}$`, "i");
  } catch {
    return null;
  }
}

function parseWithFormat(input: string, format: string): Parts | undefined {
  const m = formatRegex(format)?.exec(input);
  if (!m) return undefined;
  const g = groupsOf(m);
  const month = g.monthName === undefined ? Number(g.month) : monthNumber(g.monthName);
  if (month === undefined) return undefined;
  const year = g.year2 === undefined ? Number(g.year) : 2000 + Number(g.year2);
  const parts: Parts = { year, month, day: Number(g.day) };
  if (g.hour === undefined) return parts;
  const meridiem = g.meridiem?.toLowerCase().replace(/\./g, "");
  const hour = Number(g.hour);
  parts.hour = meridiem ? (hour % 12) + (meridiem === "pm" ? 12 : 0) : hour;
  parts.minute = Number(g.minute ?? 0);
  parts.second = Number(g.second ?? 0);
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
  const prefixed = /^(?:gmt|utc|ut)(?<sign>[+-])(?<hours>\d{1,2})(?::?(?<minutes>\d{2}))?$/.exec(
    lower,
  )?.groups;
  if (prefixed)
    return readZone(`${prefixed.sign}${prefixed.hours?.padStart(2, "0")}${prefixed.minutes ?? "00"}`);
  const numeric = /^(?<sign>[+-])(?<hours>\d{2}):?(?<minutes>\d{2})?$/.exec(zone)?.groups;
  if (numeric) {
    const hours = Number(numeric.hours);
    const minutes = Number(numeric.minutes ?? 0);
    if (hours > 14 || minutes > 59) return undefined;
    return (numeric.sign === "-" ? -1 : 1) * (hours * 60 + minutes);
  }
  if (/^[a-ik-y]$/.test(lower)) {
    const code = lower.charCodeAt(0);
    if (lower <= "i") return (code - 96) * 60;
    if (lower <= "m") return (code - 97) * 60;
    return -(code - 109) * 60;
  }
  return undefined;
}

function finish(parts: Parts | undefined, timeZone: string | undefined, now: Date | undefined): Date | null {
  if (!parts) return null;
  const { year, month, day } = parts;
  const hour = parts.hour ?? 0;
  const minute = parts.minute ?? 0;
  const second = Math.min(parts.second ?? 0, 59);
  const millisecond = parts.millisecond ?? 0;
  if (!(isInt(year) && isInt(month) && isInt(day) && isInt(hour) && isInt(minute) && isInt(second)))
    return null;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59) return null;
  const wallClock = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  let instant: number;
  if (parts.offset !== undefined) instant = wallClock - parts.offset * 60_000;
  else if (timeZone) instant = wallClockInZone(wallClock, timeZone);
  else instant = wallClock;
  const date = new Date(instant);
  return isPlausible(date, now) ? date : null;
}

/**
 * Not before MIN_YEAR, and not more than FUTURE_TOLERANCE_YEARS after `now`; without a clock, not after
 * LATEST_YEAR_WITHOUT_CLOCK.
 */
function isPlausible(date: Date, now: Date | undefined): boolean {
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() < MIN_YEAR) return false;
  if (!now) return date.getUTCFullYear() <= LATEST_YEAR_WITHOUT_CLOCK;
  const latest = new Date(now.getTime());
  latest.setUTCFullYear(latest.getUTCFullYear() + FUTURE_TOLERANCE_YEARS);
  return date.getTime() <= latest.getTime();
}

// Every feed entry's date goes through finish: its checks allocate nothing.
const isInt = Number.isInteger;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
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
  opts: TextDateOptions = {},
): { published: string | null; dateSource: DateSource } {
  const fromText = findDateInText(text, opts);
  if (fromText) return { published: toIsoUtc(fromText), dateSource: "content_text" };
  const fromUrl = dateFromUrl(url, opts);
  if (fromUrl) return { published: toIsoUtc(fromUrl), dateSource: "url" };
  return { published: null, dateSource: "none" };
}
