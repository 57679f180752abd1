import * as z from "zod";
import { ClientConfigInvalidError } from "../errors/workflow-errors.ts";
import { CONFIG_PREFIXES } from "../store/keys.ts";
import { formatProblem, type ValidationProblem, zodProblems } from "./validation.ts";
import { parseYamlFile } from "./yaml-file.ts";

/**
 * Exclude patterns run against every item of a client, so one that backtracks catastrophically would stall
 * that client's Lambda: nested quantifiers such as `(a+)+` or `(\\w*)*` are refused, and so is length.
 */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)[+*{]/;
const MAX_PATTERN_LENGTH = 200;

/** Word-boundary, case-insensitive regex source; checked to compile at validation time. */
const PatternSchema = z
  .string()
  .max(MAX_PATTERN_LENGTH)
  .refine(
    (p) => {
      try {
        new RegExp(p, "iu");
        return true;
      } catch {
        return false;
      }
    },
    { message: "is not a valid regular expression" },
  )
  .refine((p) => !NESTED_QUANTIFIER.test(p), {
    message: "nests a quantifier inside a repeated group, which can take exponential time",
  });

export const ContentFiltersSchema = z.looseObject({
  min_word_count: z.number().int().min(0).optional(),
  exclude_patterns: z.array(PatternSchema).default([]),
});
export type ContentFilters = z.infer<typeof ContentFiltersSchema>;

/**
 * `clients/{client_id}.yaml`. Only the fields ingest reads are typed; other sections
 * (watch_domains, newsletter_layout, ...) belong to later stages and pass through untouched.
 */
export const ClientConfigSchema = z.looseObject({
  client_profile: z
    .looseObject({
      name: z.string().min(1).optional(),
      active: z.boolean().default(false),
    })
    .default({ active: false }),
  source_config: z
    .looseObject({
      source_bouquets_enabled: z.array(z.string().min(1)).default([]),
      sources_extra_enabled: z.array(z.string().min(1)).default([]),
      content_filters: ContentFiltersSchema.optional(),
    })
    .default({ source_bouquets_enabled: [], sources_extra_enabled: [] }),
  pipeline: z
    .looseObject({
      default_period_days: z.number().int().min(1).max(365).default(7),
    })
    .default({ default_period_days: 7 }),
});
export type ClientConfig = z.infer<typeof ClientConfigSchema>;

export const ClientIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, "must be 1-128 letters, digits, '_', '.' or '-'");

/** `clients/lai.yaml` -> `lai`; anything that is not a direct child YAML file -> null. */
export function clientIdFromKey(key: string): string | null {
  if (!key.startsWith(CONFIG_PREFIXES.clients)) return null;
  const name = key.slice(CONFIG_PREFIXES.clients.length);
  const match = /^([^/]+)\.yaml$/.exec(name);
  const id = match?.[1];
  return id && ClientIdSchema.safeParse(id).success ? id : null;
}

export type ClientConfigResult =
  | { ok: true; config: ClientConfig }
  | { ok: false; problems: ValidationProblem[] };

export function parseClientConfig(file: string, text: string): ClientConfigResult {
  const parsed = parseYamlFile(file, text);
  if (!parsed.ok) return { ok: false, problems: [parsed.problem] };
  const result = ClientConfigSchema.safeParse(parsed.value);
  if (!result.success) return { ok: false, problems: zodProblems(file, result.error) };
  return { ok: true, config: result.data };
}

/** Throws ClientConfigInvalid naming the file and every bad field. */
export function loadClientConfig(file: string, text: string): ClientConfig {
  const result = parseClientConfig(file, text);
  if (!result.ok) throw new ClientConfigInvalidError(result.problems.map(formatProblem).join("; "));
  return result.config;
}
