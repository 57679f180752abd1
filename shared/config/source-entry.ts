import * as z from "zod";

const HttpUrlSchema = z.url({ protocol: /^https?$/, message: "must be an http(s) URL" });

export const DateSelectorSchema = z.object({
  selector: z.string().min(1),
  /** Read this attribute instead of the element text (e.g. `datetime`). */
  attr: z.string().min(1).optional(),
  /** Token pattern such as `DD.MM.YYYY` or `D MMMM YYYY` when the text is ambiguous. */
  format: z.string().min(1).optional(),
  locale: z.string().min(2).optional(),
});

/**
 * CSS selectors for a press-release list page; link/title/date/summary are relative to each item. The
 * fields after `summary` come from html_extractors.yaml: a container that scopes the items, alternatives
 * tried in order, and more date formats.
 */
export const HtmlSelectorsSchema = z.object({
  item: z.string().min(1),
  link: z.string().min(1),
  title: z.string().min(1).optional(),
  date: DateSelectorSchema.optional(),
  summary: z.string().min(1).optional(),
  container: z.string().min(1).optional(),
  /** Each selector is a list of comma-separated alternatives, the first that matches wins (seed semantics). */
  alternatives: z.boolean().optional(),
  date_formats: z.array(z.string().min(1)).optional(),
});
export type HtmlSelectors = z.infer<typeof HtmlSelectorsSchema>;

/**
 * One catalog entry. Unknown fields of the system this project replaces (company_id, notes, ...) pass
 * through; the ones that mean something to ingestion are declared here.
 */
export const SourceSchema = z
  .looseObject({
    source_key: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_.-]*$/, "must be lower-case letters, digits, '_', '.' or '-'"),
    name: z.string().optional(),
    ingestion_mode: z.enum(["rss", "html", "none"]),
    rss_url: HttpUrlSchema.optional(),
    html_url: HttpUrlSchema.optional(),
    homepage_url: HttpUrlSchema.optional(),
    enabled: z.boolean().default(true),
    source_type: z.string().min(1).default("news"),
    default_language: z.string().min(2).default("en"),
    tags: z.array(z.string()).default([]),
    html: HtmlSelectorsSchema.optional(),
    user_agent: z.string().min(1).optional(),
    ingestion_profile: z.string().min(1).optional(),
    /** `full_article`: always take the article page's main text as content, not only for short teasers. */
    content_enrichment: z.string().min(1).optional(),
    max_content_length: z.number().int().positive().optional(),
    /** Cap on list entries taken per run (and so on article pages fetched). */
    max_items: z.number().int().positive().optional(),
    /** Regexes with one capture group, tried on an item's text before the generic date finder. */
    date_extraction_patterns: z.array(z.string()).optional(),
  })
  .superRefine((source, ctx) => {
    // A disabled source never runs, so it needs no URL (real catalogs keep placeholders with "").
    if (!source.enabled) return;
    if (source.ingestion_mode === "rss" && !source.rss_url) {
      ctx.addIssue({ code: "custom", path: ["rss_url"], message: "is required when ingestion_mode is rss" });
    }
    // With only a homepage, the first run finds the listing itself (see workflow/discovered-listing.ts).
    if (source.ingestion_mode === "html" && !source.html_url && !source.homepage_url) {
      ctx.addIssue({
        code: "custom",
        path: ["html_url"],
        message: "is required when ingestion_mode is html (or a homepage_url to discover the listing from)",
      });
    }
  });
export type Source = z.infer<typeof SourceSchema>;

/** Empty strings are absent values: `rss_url: ""` means "no feed", not an invalid URL. */
export function withoutEmptyStrings(value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => !(typeof v === "string" && v.trim() === "")),
  );
}
