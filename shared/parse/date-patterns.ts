import { parseDate } from "./dates.ts";

/**
 * A source's `date_extraction_patterns`: regexes with one capture group around the date, written for the
 * system this project replaces (Python syntax; the common subset is the same in JavaScript). A pattern that
 * does not compile here is left out (validate warns), never fatal to the source.
 */
export function compileDatePatterns(patterns: readonly string[] | undefined): RegExp[] {
  const compiled: RegExp[] = [];
  for (const pattern of patterns ?? []) {
    const problem = datePatternProblem(pattern);
    if (problem === null) compiled.push(new RegExp(pattern, "iu"));
  }
  return compiled;
}

/** Why a pattern cannot be used, or null. */
export function datePatternProblem(pattern: string): string | null {
  let re: RegExp;
  try {
    re = new RegExp(pattern, "iu");
  } catch (err) {
    return `is not a valid regular expression here: ${(err as Error).message}`;
  }
  const groups = new RegExp(`${re.source}|`, "u").exec("")?.length ?? 1;
  return groups < 2 ? "has no capture group around the date" : null;
}

/** The first pattern whose capture reads as a date wins. */
export function dateFromPatterns(text: string, patterns: readonly RegExp[]): Date | null {
  for (const re of patterns) {
    const captured = re.exec(text)?.[1];
    const date = captured ? parseDate(captured.trim()) : null;
    if (date) return date;
  }
  return null;
}
