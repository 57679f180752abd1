import { describe, expect, it } from "vitest";
import { mergeDailyItems } from "../../shared/store/daily-items.ts";
import type { Item } from "../../shared/store/item.ts";
import { dailyItemsKey } from "../../shared/store/keys.ts";
import { recordSeen } from "../../shared/store/seen-ledger.ts";
import { nextSourceState } from "../../shared/store/source-state.ts";
import {
  compileExcludePatterns,
  contentVerdict,
  periodWindow,
  windowVerdict,
  wordCount,
} from "../../shared/workflow/item-filters.ts";

function item(id: string, title = id): Item {
  return {
    item_id: id,
    source_key: id.split("__")[0] ?? "s",
    source_type: "news",
    title,
    content: "",
    url: `https://x.example.com/${id}`,
    published_at: null,
    date_source: "none",
    ingested_at: "2026-11-20T06:00:00.000Z",
    language: "en",
    content_hash: "h",
    metadata: {},
  };
}

describe("the period window", () => {
  const window = periodWindow("2026-11-20T06:00:00Z", 7);

  it("spans period_days before the window end", () => {
    expect(window.start.toISOString()).toBe("2026-11-13T06:00:00.000Z");
    expect(window.end.toISOString()).toBe("2026-11-20T06:00:00.000Z");
  });

  it("keeps dated items inside the window and drops those before it", () => {
    expect(windowVerdict("2026-11-19T10:00:00.000Z", window, "balanced")).toBe("in_window");
    expect(windowVerdict("2026-11-13T05:59:59.000Z", window, "broad")).toBe("before_window");
  });

  it("tolerates a day of clock skew past the window end, not more", () => {
    expect(windowVerdict("2026-11-20T20:00:00.000Z", window, "strict")).toBe("in_window");
    expect(windowVerdict("2026-11-22T00:00:00.000Z", window, "strict")).toBe("after_window");
  });

  it("drops undated items in strict mode and keeps them in balanced and broad", () => {
    expect(windowVerdict(null, window, "strict")).toBe("undated_dropped");
    expect(windowVerdict(null, window, "balanced")).toBe("undated_kept");
    expect(windowVerdict(null, window, "broad")).toBe("undated_kept");
  });
});

describe("content filters", () => {
  it("matches exclude patterns as whole words, case-insensitively, never inside words", () => {
    const excludes = compileExcludePatterns(["lai"]);
    expect(contentVerdict("New LAI data", "", undefined, excludes)).toMatchObject({
      keep: false,
      reason: "excluded",
    });
    expect(contentVerdict("Payer claims rise", "The claims backlog", undefined, excludes)).toEqual({
      keep: true,
    });
    expect(contentVerdict("Lai-based depot", "", undefined, excludes)).toMatchObject({ keep: false });
  });

  it("bounds every alternative of a pattern, even when another alternative has its own \\b", () => {
    const excludes = compileExcludePatterns(["lai|\\bfoo"]);
    expect(contentVerdict("Payer claims rise", "", undefined, excludes)).toEqual({ keep: true });
    expect(contentVerdict("LAI market", "", undefined, excludes)).toMatchObject({ keep: false });
    expect(contentVerdict("foo fighters", "", undefined, excludes)).toMatchObject({ keep: false });
  });

  it("keeps a pattern's own word boundaries and regex syntax", () => {
    const excludes = compileExcludePatterns(["\\bwebinars?\\b", "sponsor(ed)?"]);
    expect(contentVerdict("Join our Webinars", "", undefined, excludes)).toMatchObject({ keep: false });
    expect(contentVerdict("Sponsored content", "", undefined, excludes)).toMatchObject({ keep: false });
    expect(contentVerdict("Sponsorship deal", "", undefined, excludes)).toEqual({ keep: true });
  });

  it("drops items under min_word_count, counting title and content words", () => {
    const filters = { min_word_count: 5, exclude_patterns: [] };
    expect(contentVerdict("Two words", "and one", filters, [])).toMatchObject({
      keep: false,
      reason: "too_short",
    });
    expect(contentVerdict("Two words", "and three more", filters, [])).toEqual({ keep: true });
    expect(wordCount("  a — b, c ... ")).toBe(3);
  });
});

describe("the day's items file", () => {
  it("is keyed by client and the UTC date of the window end", () => {
    expect(dailyItemsKey("lai", "2026-11-20T23:30:00-05:00")).toBe("ingested/lai/2026/11/21/items.json");
  });

  it("keeps stored items untouched and adds only documents not already there", () => {
    const stored = [item("a__1111", "kept as stored"), item("b__2222")];
    const { items, added } = mergeDailyItems(stored, [
      item("a__1111", "new title"),
      item("c__2222"),
      item("a__3333"),
    ]);
    expect(added).toBe(1);
    expect(items.map((i) => [i.item_id, i.title])).toEqual([
      ["a__1111", "kept as stored"],
      ["b__2222", "b__2222"],
      ["a__3333", "a__3333"],
    ]);
  });
});

describe("the seen ledger", () => {
  it("records first-seen times and forgets entries past retention", () => {
    const at = new Date("2026-11-20T00:00:00Z");
    const ledger = recordSeen(
      { seen: { old: "2025-01-01T00:00:00.000Z", kept: "2026-11-01T00:00:00.000Z" } },
      ["kept", "new"],
      at,
    );
    expect(ledger.seen).toEqual({ kept: "2026-11-01T00:00:00.000Z", new: "2026-11-20T00:00:00.000Z" });
  });
});

describe("source health", () => {
  const at = "2026-11-20T06:00:00.000Z";
  const ok = { outcome: "ok" as const, at, etag: '"v1"', lastModified: null, bodySha256: "abc", error: null };

  it("counts consecutive failures and keeps the last validators through a failure", () => {
    let state = nextSourceState(undefined, ok);
    state = nextSourceState(state, {
      ...ok,
      outcome: "http_5xx",
      etag: null,
      bodySha256: null,
      error: "HTTP 503",
    });
    state = nextSourceState(state, {
      ...ok,
      outcome: "timeout",
      etag: null,
      bodySha256: null,
      error: "timed out",
    });
    expect(state).toMatchObject({
      consecutive_failures: 2,
      etag: '"v1"',
      last_error_class: "timeout",
      last_success_at: at,
    });
    state = nextSourceState(state, { ...ok, outcome: "not_modified" });
    expect(state.consecutive_failures).toBe(0);
  });
});
