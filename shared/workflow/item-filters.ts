import type { ContentFilters } from "../config/client-config.ts";
import type { IngestionMode } from "./execution-input.ts";

export interface Window {
  start: Date;
  end: Date;
}

const DAY_MS = 86_400_000;

export function periodWindow(windowEnd: string, periodDays: number): Window {
  const end = new Date(windowEnd);
  return { start: new Date(end.getTime() - periodDays * DAY_MS), end };
}

/** `after_window`: newer than the window's end — a later run will want it (see ingest-client). */
export type WindowVerdict =
  | "in_window"
  | "before_window"
  | "after_window"
  | "undated_kept"
  | "undated_dropped";

/**
 * A dated item counts when it falls in the window (a small future skew is tolerated: publishers' clocks and
 * zones are sloppy). Undated items: strict drops them, balanced keeps those never delivered before (the
 * caller removes delivered ones), broad keeps all, delivered or not (the caller lets them through).
 */
export function windowVerdict(
  publishedAt: string | null,
  window: Window,
  mode: IngestionMode,
): WindowVerdict {
  if (publishedAt === null) return mode === "strict" ? "undated_dropped" : "undated_kept";
  const t = new Date(publishedAt).getTime();
  const skewMs = DAY_MS;
  if (t < window.start.getTime()) return "before_window";
  return t <= window.end.getTime() + skewMs ? "in_window" : "after_window";
}

export function wordCount(text: string): number {
  return text.split(/\s+/u).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

/**
 * Compiles exclude patterns as whole-word, case-insensitive matches: "lai" matches "LAI" and "lai-based" but
 * never "claims". The boundary wraps the whole pattern, alternatives included ("lai|\\bfoo" still never
 * matches "claims"); a pattern's own \\b are kept and harmless.
 */
export function compileExcludePatterns(patterns: readonly string[]): RegExp[] {
  return patterns.map((p) => new RegExp(`(?<![\\p{L}\\p{N}_])(?:${p})(?![\\p{L}\\p{N}_])`, "iu"));
}

export type ContentVerdict =
  | { keep: true }
  | { keep: false; reason: "too_short" | "excluded"; detail: string };

export function contentVerdict(
  title: string,
  content: string,
  filters: ContentFilters | undefined,
  excludes: readonly RegExp[],
): ContentVerdict {
  if (filters?.min_word_count !== undefined) {
    const words = wordCount(`${title} ${content}`);
    if (words < filters.min_word_count) return { keep: false, reason: "too_short", detail: `${words} words` };
  }
  for (const re of excludes) {
    const text = `${title}\n${content}`;
    if (re.test(text)) return { keep: false, reason: "excluded", detail: re.source };
  }
  return { keep: true };
}
