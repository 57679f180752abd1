import * as z from "zod";
import type { HtmlSelectors } from "./source-entry.ts";
import { strptimeToTokens } from "./strptime.ts";
import type { ValidationProblem } from "./validation.ts";
import { zodProblems } from "./validation.ts";
import { parseYamlFile } from "./yaml-file.ts";

/** `canonical/sources/html_extractors.yaml`, the way the system this project replaces declares selectors. */
const ExtractorSelectorsSchema = z.looseObject({
  container: z.string().optional(),
  item: z.string().min(1),
  title: z.string().optional(),
  url: z.string().min(1),
  date: z.string().optional(),
  description: z.string().optional(),
});

export const ExtractorSchema = z.looseObject({
  selectors: ExtractorSelectorsSchema,
  date_format: z.string().optional(),
  base_url: z.url({ protocol: /^https?$/ }).optional(),
  max_items: z.number().int().positive().optional(),
  ssl_verify: z.boolean().optional(),
});
export type Extractor = z.infer<typeof ExtractorSchema>;

export const HtmlExtractorsFileSchema = z.looseObject({
  extractors: z.record(z.string(), z.unknown()).nullable().default({}),
  global_settings: z
    .looseObject({
      default_max_items: z.number().int().positive().optional(),
      default_date_patterns: z.array(z.string()).optional(),
      fallback_selectors: z.record(z.string(), z.string()).optional(),
    })
    .nullable()
    .optional(),
});

/** What the extractors file gives each source, in the catalog's own terms. */
export interface SourceExtraction {
  html: HtmlSelectors;
  max_items?: number;
}

export interface HtmlExtractors {
  bySource: Map<string, SourceExtraction>;
  /** Sources whose extractor entry cannot be used: they fail alone (`config_invalid`). */
  invalid: Map<string, ValidationProblem[]>;
  defaultMaxItems: number | undefined;
}

export interface ExtractorsReading {
  extractors: HtmlExtractors;
  errors: ValidationProblem[];
  warnings: ValidationProblem[];
}

/** Converts strptime patterns, warning about the ones dates.ts cannot read (they are skipped). */
function tokenFormats(
  patterns: readonly string[],
  file: string,
  path: string,
  warnings: ValidationProblem[],
): string[] {
  const formats: string[] = [];
  patterns.forEach((pattern, i) => {
    const converted = strptimeToTokens(pattern);
    if (converted.ok) formats.push(converted.format);
    else
      warnings.push({
        file,
        path: `${path}.${i}`,
        message: `${converted.directive} is not supported: ignored`,
      });
  });
  return formats;
}

function toSelectors(extractor: Extractor, dateFormats: string[]): HtmlSelectors {
  const s = extractor.selectors;
  return {
    ...(s.container ? { container: s.container } : {}),
    item: s.item,
    link: s.url,
    ...(s.title ? { title: s.title } : {}),
    ...(s.date ? { date: { selector: s.date } } : {}),
    ...(s.description ? { summary: s.description } : {}),
    alternatives: true,
    ...(dateFormats.length > 0 ? { date_formats: dateFormats } : {}),
  };
}

function emptyReading(): ExtractorsReading {
  return {
    extractors: { bySource: new Map(), invalid: new Map(), defaultMaxItems: undefined },
    errors: [],
    warnings: [],
  };
}

/**
 * An entry that does not validate fails its source alone; `ssl_verify: false` is refused with a warning
 * (certificates are always verified); `fallback_selectors` are served by generic listing extraction.
 * `base_url` is accepted but not needed: links resolve against the page's own URL, as in a browser, which
 * a bare domain as base would get wrong for relative links ("news_view.php?idx=1" under /eng/pr/).
 */
export function parseHtmlExtractors(file: string, text: string): ExtractorsReading {
  const reading = emptyReading();
  const yaml = parseYamlFile(file, text);
  if (!yaml.ok) return { ...reading, errors: [yaml.problem] };
  const top = HtmlExtractorsFileSchema.safeParse(yaml.value ?? {});
  if (!top.success) return { ...reading, errors: zodProblems(file, top.error) };
  const settings = top.data.global_settings ?? {};
  reading.extractors.defaultMaxItems = settings.default_max_items;
  const defaults = tokenFormats(
    settings.default_date_patterns ?? [],
    file,
    "global_settings.default_date_patterns",
    reading.warnings,
  );
  for (const [key, raw] of Object.entries(top.data.extractors ?? {})) {
    readExtractor(file, key, raw, defaults, reading);
  }
  return reading;
}

function readExtractor(
  file: string,
  key: string,
  raw: unknown,
  defaults: string[],
  reading: ExtractorsReading,
): void {
  const path = `extractors.${key}`;
  const parsed = ExtractorSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = zodProblems(file, parsed.error).map((p) => ({
      ...p,
      path: p.path ? `${path}.${p.path}` : path,
    }));
    reading.errors.push(...problems);
    reading.extractors.invalid.set(key, problems);
    return;
  }
  const extractor = parsed.data;
  if (extractor.ssl_verify === false) {
    reading.warnings.push({
      file,
      path: `${path}.ssl_verify`,
      message: "certificates are always verified: ignored",
    });
  }
  const own = extractor.date_format
    ? tokenFormats([extractor.date_format], file, `${path}.date_format`, reading.warnings)
    : [];
  reading.extractors.bySource.set(key, {
    html: toSelectors(extractor, [...own, ...defaults]),
    ...(extractor.max_items ? { max_items: extractor.max_items } : {}),
  });
}
