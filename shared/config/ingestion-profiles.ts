import * as z from "zod";
import { termKey } from "../filter/term-matcher.ts";
import { INGESTION_PROFILES_KEY, SCOPES_PREFIX } from "../store/keys.ts";
import {
  fewestMatches,
  groupIds,
  joinGroups,
  type LogicExpr,
  parseCombinationLogic,
} from "./combination-logic.ts";
import { formatPath } from "./problem-path.ts";
import {
  parseScopeFiles,
  resolveScope,
  type ScopeCatalog,
  type ScopeFileText,
  type ScopeList,
  scopeFileStem,
} from "./scopes.ts";
import type { ValidationProblem } from "./validation.ts";
import { parseYamlFile } from "./yaml-file.ts";

/**
 * Ingestion profiles pre-filter a source's items on keywords before the costly downstream steps. A source
 * names its profile with `ingestion_profile` in the source catalog; a profile names term lists of
 * canonical/scopes/*.yaml (see `resolveScope` for how a name finds its list).
 */

/**
 * - `ingest_all`: no filter.
 * - `exclude_only`: drops items that match an exclusion.
 * - `require_signals`: exclusions, then the required groups, any one of them by default.
 * - `require_multi_signals`: exclusions (`exclude_if` too), `require_one_of`, then the required groups,
 *   all of them by default.
 * `combination_logic` replaces the default combination of groups in both require modes.
 */
export const PROFILE_MODES = [
  "ingest_all",
  "exclude_only",
  "require_signals",
  "require_multi_signals",
] as const;

export const ProfileModeSchema = z.enum(PROFILE_MODES, {
  error: (issue) =>
    `unknown mode ${JSON.stringify(issue.input)}: expected one of ${PROFILE_MODES.join(", ")}`,
});
export type ProfileMode = z.infer<typeof ProfileModeSchema>;

const ScopeNamesSchema = z.array(z.string().min(1, "must name a scope"));

export const SignalGroupSchema = z.looseObject({
  group_id: z.string().regex(/^[A-Za-z0-9_.-]+$/, "must be letters, digits, '_', '.' or '-'"),
  scopes: ScopeNamesSchema.min(1, "must name at least one scope"),
  min_matches: z.number().int().min(1).default(1),
  weight: z.number().nonnegative().default(1),
});
export type SignalGroup = z.infer<typeof SignalGroupSchema>;

/** The real file nests these under `sector_press_requirements`; they are also read directly. */
export const SignalListsSchema = z.looseObject({
  require_one_of: ScopeNamesSchema.default([]),
  exclude_if: ScopeNamesSchema.default([]),
});
export type SignalLists = z.infer<typeof SignalListsSchema>;

export const SignalRequirementsSchema = z.looseObject({
  mode: ProfileModeSchema,
  exclusion_scopes: ScopeNamesSchema.default([]),
  required_signal_groups: z.array(SignalGroupSchema).default([]),
  combination_logic: z.string().optional(),
  minimum_total_weight: z.number().nonnegative().optional(),
  require_one_of: ScopeNamesSchema.default([]),
  exclude_if: ScopeNamesSchema.default([]),
  sector_press_requirements: SignalListsSchema.optional(),
});
export type SignalRequirements = z.infer<typeof SignalRequirementsSchema>;

/** description, strategy, rationale, runtime_config: documentation for people, passed through. */
export const IngestionProfileSchema = z.looseObject({
  signal_requirements: SignalRequirementsSchema,
  applicable_contexts: z.looseObject({ company_scopes: ScopeNamesSchema.default([]) }).optional(),
});
export type IngestionProfile = z.infer<typeof IngestionProfileSchema>;

/**
 * Of `metadata.global_config`, only `minimum_text_length` is read. `case_sensitive: false` is what the
 * matcher always does; `partial_matching: true` (substring hits, "oral" in "moral") is deliberately not
 * followed: terms match whole words only.
 */
export const ProfilesMetadataSchema = z.looseObject({
  global_config: z.looseObject({ minimum_text_length: z.number().int().min(0).optional() }).optional(),
  referenced_scopes: z.record(z.string(), ScopeNamesSchema).optional(),
});
export type ProfilesMetadata = z.infer<typeof ProfilesMetadataSchema>;

export const ProfilesFileSchema = z.looseObject({
  profiles: z
    .record(z.string(), z.unknown())
    .nullish()
    .transform((p) => p ?? {}),
  metadata: z.unknown().optional(),
});
export type ProfilesFile = z.infer<typeof ProfilesFileSchema>;

/** A scope as a profile names it, with the list the name resolved to. */
export interface ScopeRef {
  name: string;
  scope: ScopeList;
}

export interface ProfileGroup {
  id: string;
  scopes: ScopeRef[];
  minMatches: number;
  weight: number;
}

export interface ProfileExclusion {
  /** The profile field that listed it, as rules name it. */
  field: "exclusion_scopes" | "exclude_if";
  ref: ScopeRef;
}

/** A profile with every reference resolved. */
export interface ProfileDefinition {
  name: string;
  mode: ProfileMode;
  exclusions: ProfileExclusion[];
  requireOneOf: ScopeRef[];
  groups: ProfileGroup[];
  /** How the groups combine; null when the profile declares no group. */
  logic: LogicExpr | null;
  /** Whether `logic` was written as `combination_logic` or is the mode's default. */
  logicDeclared: boolean;
  minimumTotalWeight: number | null;
}

export interface ProfileConfig {
  profiles: ReadonlyMap<string, ProfileDefinition>;
  /** Declared but left out for their problems. */
  brokenProfiles: ReadonlySet<string>;
  /** Shorter texts (title + content, in characters) are not filtered in balanced runs. */
  minimumTextLength: number | null;
}

export interface ProfileFiles {
  profiles?: ScopeFileText;
  scopes: readonly ScopeFileText[];
}

export interface ProfileConfigResult {
  config: ProfileConfig;
  /** Wrong or dangling declarations; a profile with one is left out, the others still apply. */
  problems: ValidationProblem[];
  /** Declarations that are valid but cannot work as written (an empty scope a group relies on). */
  warnings: ValidationProblem[];
}

type Path = (string | number)[];

function issuePath(prefix: Path, path: readonly PropertyKey[]): Path {
  return [...prefix, ...path.map((seg) => (typeof seg === "number" ? seg : String(seg)))];
}

function zodIssues(file: string, prefix: Path, error: z.ZodError): ValidationProblem[] {
  return error.issues.map((issue) => ({
    file,
    path: formatPath(issuePath(prefix, issue.path)),
    message: issue.message,
  }));
}

/** Collects the problems and warnings of one profile while its references are resolved. */
class ProfileReader {
  readonly problems: ValidationProblem[] = [];
  readonly warnings: ValidationProblem[] = [];

  constructor(
    private readonly file: string,
    private readonly catalog: ScopeCatalog,
  ) {}

  problem(path: Path, message: string): void {
    this.problems.push({ file: this.file, path: formatPath(path), message });
  }

  warning(path: Path, message: string): void {
    this.warnings.push({ file: this.file, path: formatPath(path), message });
  }

  /** Resolves a list of scope names; unresolved ones are reported and left out of the result. */
  refs(names: readonly string[], path: Path): ScopeRef[] {
    const refs: ScopeRef[] = [];
    names.forEach((name, i) => {
      const resolved = resolveScope(this.catalog, name);
      if (!resolved.ok) {
        this.problem([...path, i], resolved.message);
        return;
      }
      if (resolved.scope.terms.length === 0) {
        this.warning(
          [...path, i],
          `scope "${name}" has no terms (${resolved.scope.file}), so it never matches`,
        );
      }
      refs.push({ name, scope: resolved.scope });
    });
    return refs;
  }
}

function distinctTermCount(refs: readonly ScopeRef[]): number {
  return new Set(refs.flatMap((r) => r.scope.terms.map(termKey))).size;
}

function readGroups(reader: ProfileReader, groups: readonly SignalGroup[], path: Path): ProfileGroup[] {
  const seen = new Set<string>();
  return groups.map((group, i) => {
    if (seen.has(group.group_id)) {
      reader.problem([...path, i, "group_id"], `duplicate group "${group.group_id}"`);
    }
    seen.add(group.group_id);
    const scopes = reader.refs(group.scopes, [...path, i, "scopes"]);
    if (distinctTermCount(scopes) < group.min_matches) {
      reader.warning(
        [...path, i],
        `group "${group.group_id}" needs ${group.min_matches} matching terms but its scopes hold fewer, so it is never satisfied`,
      );
    }
    return { id: group.group_id, scopes, minMatches: group.min_matches, weight: group.weight };
  });
}

function defaultLogic(mode: ProfileMode, groups: readonly ProfileGroup[]): LogicExpr | null {
  if (groups.length === 0) return null;
  return joinGroups(
    mode === "require_multi_signals" ? "and" : "or",
    groups.map((g) => g.id),
  );
}

function readLogic(
  reader: ProfileReader,
  source: string | undefined,
  groups: readonly ProfileGroup[],
  path: Path,
): LogicExpr | null {
  if (source === undefined) return null;
  if (groups.length === 0) {
    reader.problem(path, "combination_logic needs required_signal_groups");
    return null;
  }
  const parsed = parseCombinationLogic(source);
  if (!parsed.ok) {
    reader.problem(path, `cannot read ${JSON.stringify(source)}: ${parsed.message}`);
    return null;
  }
  const known = new Set(groups.map((g) => g.id));
  for (const id of new Set(groupIds(parsed.expr))) {
    if (!known.has(id)) reader.problem(path, `unknown group "${id}"`);
  }
  return parsed.expr;
}

function readExclusions(reader: ProfileReader, req: SignalRequirements, path: Path): ProfileExclusion[] {
  const nested = req.sector_press_requirements;
  const excludeIf = [
    ...reader.refs(req.exclude_if, [...path, "exclude_if"]),
    ...(nested ? reader.refs(nested.exclude_if, [...path, "sector_press_requirements", "exclude_if"]) : []),
  ];
  return [
    ...reader.refs(req.exclusion_scopes, [...path, "exclusion_scopes"]).map((ref) => ({
      field: "exclusion_scopes" as const,
      ref,
    })),
    ...excludeIf.map((ref) => ({ field: "exclude_if" as const, ref })),
  ];
}

function readRequireOneOf(reader: ProfileReader, req: SignalRequirements, path: Path): ScopeRef[] {
  const nested = req.sector_press_requirements;
  return [
    ...reader.refs(req.require_one_of, [...path, "require_one_of"]),
    ...(nested
      ? reader.refs(nested.require_one_of, [...path, "sector_press_requirements", "require_one_of"])
      : []),
  ];
}

function readProfile(
  reader: ProfileReader,
  name: string,
  profile: IngestionProfile,
  path: Path,
): { definition: ProfileDefinition; broken: boolean } {
  const req = profile.signal_requirements;
  const reqPath = [...path, "signal_requirements"];
  const exclusions = readExclusions(reader, req, reqPath);
  const requireOneOf = readRequireOneOf(reader, req, reqPath);
  const groups = readGroups(reader, req.required_signal_groups, [...reqPath, "required_signal_groups"]);
  const declared = readLogic(reader, req.combination_logic, groups, [...reqPath, "combination_logic"]);
  const requires = req.mode === "require_signals" || req.mode === "require_multi_signals";
  if (requires && groups.length === 0 && requireOneOf.length === 0) {
    reader.problem([...reqPath, "mode"], `mode ${req.mode} needs required_signal_groups or require_one_of`);
  }
  const signalProblems = reader.problems.length;
  // applicable_contexts only documents where the profile is meant for: a dangling name there is
  // reported but does not stop the profile from filtering.
  reader.refs(profile.applicable_contexts?.company_scopes ?? [], [
    ...path,
    "applicable_contexts",
    "company_scopes",
  ]);
  return {
    broken: signalProblems > 0,
    definition: {
      name,
      mode: req.mode,
      exclusions,
      requireOneOf,
      groups,
      logic: declared ?? defaultLogic(req.mode, groups),
      logicDeclared: declared !== null,
      minimumTotalWeight: req.minimum_total_weight ?? null,
    },
  };
}

function emptyConfig(): ProfileConfig {
  return { profiles: new Map(), brokenProfiles: new Set(), minimumTextLength: null };
}

function parseMetadata(
  file: string,
  catalog: ScopeCatalog,
  raw: unknown,
): { minimumTextLength: number | null; problems: ValidationProblem[]; warnings: ValidationProblem[] } {
  if (raw === undefined) return { minimumTextLength: null, problems: [], warnings: [] };
  const parsed = ProfilesMetadataSchema.safeParse(raw);
  if (!parsed.success) {
    return { minimumTextLength: null, problems: zodIssues(file, ["metadata"], parsed.error), warnings: [] };
  }
  const reader = new ProfileReader(file, catalog);
  for (const [kind, names] of Object.entries(parsed.data.referenced_scopes ?? {})) {
    reader.refs(names, ["metadata", "referenced_scopes", kind]);
  }
  return {
    minimumTextLength: parsed.data.global_config?.minimum_text_length ?? null,
    problems: reader.problems,
    warnings: reader.warnings,
  };
}

/**
 * Reads the profiles file against the scope files. Never throws: every problem is reported with its file
 * and path, a profile with a problem in what it filters on is left out (named in `brokenProfiles`), and
 * the other profiles still apply. No profiles file means no profiles, which is not a problem.
 */
export function parseProfileConfig(files: ProfileFiles): ProfileConfigResult {
  const scopes = parseScopeFiles(files.scopes);
  const result: ProfileConfigResult = { config: emptyConfig(), problems: [...scopes.problems], warnings: [] };
  if (!files.profiles) return result;
  const { file, text } = files.profiles;
  const yaml = parseYamlFile(file, text);
  if (!yaml.ok) return { ...result, problems: [...result.problems, yaml.problem] };
  const top = ProfilesFileSchema.safeParse(yaml.value);
  if (!top.success) return { ...result, problems: [...result.problems, ...zodIssues(file, [], top.error)] };

  const metadata = parseMetadata(file, scopes.catalog, top.data.metadata);
  result.problems.push(...metadata.problems);
  result.warnings.push(...metadata.warnings);
  const profiles = new Map<string, ProfileDefinition>();
  const broken = new Set<string>();
  for (const [name, raw] of Object.entries(top.data.profiles)) {
    const path = ["profiles", name];
    const parsed = IngestionProfileSchema.safeParse(raw);
    if (!parsed.success) {
      result.problems.push(...zodIssues(file, path, parsed.error));
      broken.add(name);
      continue;
    }
    const reader = new ProfileReader(file, scopes.catalog);
    const read = readProfile(reader, name, parsed.data, path);
    result.problems.push(...reader.problems);
    result.warnings.push(...reader.warnings);
    if (read.broken) broken.add(name);
    else profiles.set(name, read.definition);
  }
  result.config = { profiles, brokenProfiles: broken, minimumTextLength: metadata.minimumTextLength };
  return result;
}

/** The profile a catalog source names (`ingestion_profile`), if any; an empty name is none. */
export function sourceProfileName(source: Readonly<Record<string, unknown>>): string | undefined {
  const name = source.ingestion_profile;
  return typeof name === "string" && name !== "" ? name : undefined;
}

/** Sources naming a profile that is not declared, or that was left out for its problems. */
export function sourceProfileProblems(
  catalogFile: string,
  sources: readonly Readonly<Record<string, unknown>>[],
  config: ProfileConfig,
): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  sources.forEach((source, i) => {
    const path = formatPath(["sources", i, "ingestion_profile"]);
    const raw = source.ingestion_profile;
    if (raw === undefined || raw === null) return;
    const name = sourceProfileName(source);
    if (name === undefined) {
      problems.push({ file: catalogFile, path, message: "must name an ingestion profile" });
    } else if (config.brokenProfiles.has(name)) {
      problems.push({
        file: catalogFile,
        path,
        message: `ingestion profile "${name}" has problems and is not applied`,
      });
    } else if (!config.profiles.has(name)) {
      problems.push({ file: catalogFile, path, message: `unknown ingestion profile "${name}"` });
    }
  });
  return problems;
}

/**
 * The fewest matched terms a profile's signal requirement can be met with (Infinity: never), the measure
 * of strictness `compileProfiles` ranks profiles by.
 */
export function profileStrictness(profile: ProfileDefinition): number {
  if (profile.logic === null && profile.requireOneOf.length === 0) return 0;
  const byId = new Map(profile.groups.map((g) => [g.id, g]));
  const groupMinimum = (id: string) => {
    const group = byId.get(id);
    if (!group) return Number.POSITIVE_INFINITY;
    return distinctTermCount(group.scopes) < group.minMatches ? Number.POSITIVE_INFINITY : group.minMatches;
  };
  const fromGroups = profile.logic ? fewestMatches(profile.logic, groupMinimum) : 0;
  const oneOfPossible = profile.requireOneOf.some((r) => r.scope.terms.length > 0);
  const fromOneOf = profile.requireOneOf.length === 0 ? 0 : oneOfPossible ? 1 : Number.POSITIVE_INFINITY;
  return fromGroups + fromOneOf;
}

function isScopeFileKey(key: string): boolean {
  return (
    key.startsWith(SCOPES_PREFIX) &&
    scopeFileStem(key) !== null &&
    !key.slice(SCOPES_PREFIX.length).includes("/")
  );
}

/**
 * Gathers the profiles file and the scope files from a configuration's keys (S3 keys or relative paths),
 * reading only those; a missing profiles file is left out, which means no profiles.
 */
export async function loadProfileFiles(
  keys: readonly string[],
  read: (key: string) => Promise<string>,
): Promise<ProfileFiles> {
  const scopeKeys = keys.filter(isScopeFileKey).sort();
  const scopes = await Promise.all(scopeKeys.map(async (file) => ({ file, text: await read(file) })));
  if (!keys.includes(INGESTION_PROFILES_KEY)) return { scopes };
  return { profiles: { file: INGESTION_PROFILES_KEY, text: await read(INGESTION_PROFILES_KEY) }, scopes };
}
