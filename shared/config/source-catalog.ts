import { z } from "zod";
import { CatalogInvalidError } from "../errors/workflow-errors.ts";
import { formatProblem, type ValidationProblem, zodProblems } from "./validation.ts";
import { parseYamlFile } from "./yaml-file.ts";

export { CATALOG_KEY } from "../store/keys.ts";

const HttpUrlSchema = z.url({ protocol: /^https?$/, message: "must be an http(s) URL" });

export const DateSelectorSchema = z.object({
  selector: z.string().min(1),
  /** Read this attribute instead of the element text (e.g. `datetime`). */
  attr: z.string().min(1).optional(),
  /** Token pattern such as `DD.MM.YYYY` or `D MMMM YYYY` when the text is ambiguous. */
  format: z.string().min(1).optional(),
  locale: z.string().min(2).optional(),
});

/** CSS selectors for a press-release list page; link/title/date/summary are relative to each item. */
export const HtmlSelectorsSchema = z.object({
  item: z.string().min(1),
  link: z.string().min(1),
  title: z.string().min(1).optional(),
  date: DateSelectorSchema.optional(),
  summary: z.string().min(1).optional(),
});
export type HtmlSelectors = z.infer<typeof HtmlSelectorsSchema>;

export const SourceSchema = z
  .looseObject({
    source_key: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "must be lower-case letters, digits, '_' or '-'"),
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
  })
  .superRefine((source, ctx) => {
    if (source.ingestion_mode === "rss" && !source.rss_url) {
      ctx.addIssue({ code: "custom", path: ["rss_url"], message: "is required when ingestion_mode is rss" });
    }
    if (source.ingestion_mode === "html") {
      if (!source.html_url) {
        ctx.addIssue({
          code: "custom",
          path: ["html_url"],
          message: "is required when ingestion_mode is html",
        });
      }
      if (!source.html) {
        ctx.addIssue({
          code: "custom",
          path: ["html"],
          message: "selectors are required when ingestion_mode is html",
        });
      }
    }
  });
export type Source = z.infer<typeof SourceSchema>;

export const BouquetSchema = z.looseObject({
  bouquet_id: z.string().min(1),
  name: z.string().optional(),
  source_keys: z.array(z.string().min(1)),
});
export type Bouquet = z.infer<typeof BouquetSchema>;

export const SourceCatalogSchema = z
  .looseObject({
    sources: z.array(SourceSchema),
    bouquets: z.array(BouquetSchema).default([]),
  })
  .superRefine((catalog, ctx) => {
    const keys = new Set<string>();
    catalog.sources.forEach((source, i) => {
      if (keys.has(source.source_key)) {
        ctx.addIssue({
          code: "custom",
          path: ["sources", i, "source_key"],
          message: `duplicate source_key '${source.source_key}'`,
        });
      }
      keys.add(source.source_key);
    });
    catalog.bouquets.forEach((bouquet, i) => {
      bouquet.source_keys.forEach((key, j) => {
        if (!keys.has(key)) {
          ctx.addIssue({
            code: "custom",
            path: ["bouquets", i, "source_keys", j],
            message: `unknown source_key '${key}'`,
          });
        }
      });
    });
  });
export type SourceCatalog = z.infer<typeof SourceCatalogSchema>;

export type CatalogResult =
  | { ok: true; catalog: SourceCatalog }
  | { ok: false; problems: ValidationProblem[] };

export function parseSourceCatalog(file: string, text: string): CatalogResult {
  const parsed = parseYamlFile(file, text);
  if (!parsed.ok) return { ok: false, problems: [parsed.problem] };
  const result = SourceCatalogSchema.safeParse(parsed.value);
  if (!result.success) return { ok: false, problems: zodProblems(file, result.error) };
  return { ok: true, catalog: result.data };
}

export function loadSourceCatalog(file: string, text: string): SourceCatalog {
  const result = parseSourceCatalog(file, text);
  if (!result.ok) throw new CatalogInvalidError(result.problems.map(formatProblem).join("; "));
  return result.catalog;
}
