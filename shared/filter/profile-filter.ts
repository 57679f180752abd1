import { evaluateLogic, formatLogic, type LogicExpr } from "../config/combination-logic.ts";
import {
  type ProfileConfig,
  type ProfileDefinition,
  type ProfileMode,
  profileStrictness,
  type ScopeRef,
} from "../config/ingestion-profiles.ts";
import { scopeKey } from "../config/scopes.ts";
import type { IngestionMode } from "../workflow/execution-input.ts";
import { compileTermIndex, normalizeText, type TermIndex, type TermScan } from "./term-matcher.ts";

/** A scope as a profile names it, and its list in the run's term index. */
export interface CompiledScope {
  name: string;
  list: number;
}

export interface CompiledGroup {
  id: string;
  scopes: CompiledScope[];
  minMatches: number;
  weight: number;
}

export interface SignalRequirement {
  profile: string;
  requireOneOf: CompiledScope[];
  groups: CompiledGroup[];
  logic: LogicExpr | null;
  /** How rules name the group logic: `combination_logic a AND b`, or `required_signal_groups a OR b`. */
  logicLabel: string;
  minimumTotalWeight: number | null;
}

export interface CompiledProfile {
  name: string;
  mode: ProfileMode;
  /** Empty for `ingest_all`, which filters nothing even when it lists exclusions. */
  exclusions: { label: string; scope: CompiledScope }[];
  /** The profile's own signal requirement, whatever its mode; null when it declares none. */
  signals: SignalRequirement | null;
}

export interface CompiledProfiles {
  profiles: ReadonlyMap<string, CompiledProfile>;
  /** Every term list the profiles name, compiled together. */
  index: TermIndex;
  /** Names declared but left out for their problems. */
  brokenProfiles: ReadonlySet<string>;
  /** The requirement strict runs apply to sources whose profile has none (see `pickStrictest`). */
  strictest: SignalRequirement | null;
  minimumTextLength: number | null;
  /** Distinct term lists compiled, and the distinct terms they hold. */
  scopeCount: number;
  termCount: number;
}

export type ProfileVerdict =
  | { keep: true; rule: string | null; term: string | null }
  | { keep: false; rule: string; term: string | null };

export interface ProfileItem {
  title: string;
  content: string;
}

const REQUIRE_MODES: ReadonlySet<ProfileMode> = new Set(["require_signals", "require_multi_signals"]);

/**
 * Numbers each distinct term list once, however many profiles and groups name it; `index()` then compiles
 * them all together, so an item is scanned once whatever the number of lists.
 */
class ScopeCompiler {
  private readonly lists = new Map<string, { list: number; terms: readonly string[] }>();

  compile(ref: ScopeRef): CompiledScope {
    const key = scopeKey(ref.scope);
    let entry = this.lists.get(key);
    if (!entry) {
      entry = { list: this.lists.size, terms: ref.scope.terms };
      this.lists.set(key, entry);
    }
    return { name: ref.name, list: entry.list };
  }

  index(): TermIndex {
    return compileTermIndex([...this.lists.values()].map((e) => e.terms));
  }
}

function logicLabel(profile: ProfileDefinition): string {
  if (!profile.logic) return "";
  return `${profile.logicDeclared ? "combination_logic" : "required_signal_groups"} ${formatLogic(profile.logic)}`;
}

function compileSignals(profile: ProfileDefinition, compiler: ScopeCompiler): SignalRequirement | null {
  if (profile.groups.length === 0 && profile.requireOneOf.length === 0) return null;
  return {
    profile: profile.name,
    requireOneOf: profile.requireOneOf.map((ref) => compiler.compile(ref)),
    groups: profile.groups.map((g) => ({
      id: g.id,
      scopes: g.scopes.map((ref) => compiler.compile(ref)),
      minMatches: g.minMatches,
      weight: g.weight,
    })),
    logic: profile.logic,
    logicLabel: logicLabel(profile),
    minimumTotalWeight: profile.minimumTotalWeight,
  };
}

function compileProfile(profile: ProfileDefinition, compiler: ScopeCompiler): CompiledProfile {
  const exclusions =
    profile.mode === "ingest_all"
      ? []
      : profile.exclusions.map((e) => ({
          label: `${e.field} ${e.ref.name}`,
          scope: compiler.compile(e.ref),
        }));
  return { name: profile.name, mode: profile.mode, exclusions, signals: compileSignals(profile, compiler) };
}

/**
 * The strictest declared profile is the one whose signal requirement needs the most matched terms to be
 * met (AND adds its operands' minimums, OR takes the smallest, a group needs its `min_matches`, a
 * `require_one_of` list one more). Profiles
 * whose requirement can never be met (a required group with too few terms) are passed over: applied to
 * every source they would drop everything. Ties go to the higher `minimum_total_weight`, then to the
 * profile name in code-point order.
 */
function pickStrictest(config: ProfileConfig, compiled: ReadonlyMap<string, CompiledProfile>) {
  const ranked = [...config.profiles.values()]
    .map((p) => ({ p, needed: profileStrictness(p), signals: compiled.get(p.name)?.signals ?? null }))
    .filter((r) => r.signals !== null && r.needed > 0 && Number.isFinite(r.needed))
    .sort(
      (a, b) =>
        b.needed - a.needed ||
        (b.p.minimumTotalWeight ?? 0) - (a.p.minimumTotalWeight ?? 0) ||
        (a.p.name < b.p.name ? -1 : a.p.name > b.p.name ? 1 : 0),
    );
  return ranked[0]?.signals ?? null;
}

/** Compiles every valid profile of a run; do it once per run, not per item. */
export function compileProfiles(config: ProfileConfig): CompiledProfiles {
  const compiler = new ScopeCompiler();
  const profiles = new Map<string, CompiledProfile>();
  for (const profile of config.profiles.values())
    profiles.set(profile.name, compileProfile(profile, compiler));
  const index = compiler.index();
  return {
    profiles,
    index,
    brokenProfiles: config.brokenProfiles,
    strictest: pickStrictest(config, profiles),
    minimumTextLength: config.minimumTextLength,
    scopeCount: index.sizes.length,
    termCount: index.size,
  };
}

/** One item's text, scanned once, on first need, for all term lists. */
class ItemText {
  private scanned: TermScan | null = null;

  constructor(
    private readonly index: TermIndex,
    private readonly item: ProfileItem,
  ) {}

  private get scan(): TermScan {
    this.scanned ??= this.index.scan(normalizeText(this.item.title, this.item.content));
    return this.scanned;
  }

  first(scope: CompiledScope): string | null {
    return this.scan.first(scope.list);
  }

  terms(scope: CompiledScope): string[] {
    return this.scan.find(scope.list);
  }
}

function excluded(profile: CompiledProfile, text: ItemText): ProfileVerdict | null {
  for (const exclusion of profile.exclusions) {
    const term = text.first(exclusion.scope);
    if (term !== null) return { keep: false, rule: `${profile.name}: ${exclusion.label}`, term };
  }
  return null;
}

/** Distinct terms a group matched, across its scopes. */
function groupTerms(group: CompiledGroup, text: ItemText): string[] {
  return [...new Set(group.scopes.flatMap((s) => text.terms(s)))];
}

function firstOf(scopes: readonly CompiledScope[], text: ItemText): string | null {
  for (const scope of scopes) {
    const term = text.first(scope);
    if (term !== null) return term;
  }
  return null;
}

/** Whether the item shows the signals a requirement asks for; `prefix` names who imposed it. */
function signalVerdict(req: SignalRequirement, text: ItemText, prefix: string): ProfileVerdict {
  const name = `${prefix}${req.profile}`;
  const oneOf = req.requireOneOf.length > 0 ? firstOf(req.requireOneOf, text) : null;
  if (req.requireOneOf.length > 0 && oneOf === null) {
    return { keep: false, rule: `${name}: require_one_of`, term: null };
  }
  if (req.logic === null) return { keep: true, rule: `${name}: require_one_of`, term: oneOf };
  const matched = new Map(req.groups.map((g) => [g.id, groupTerms(g, text)]));
  const satisfied = req.groups.filter((g) => (matched.get(g.id)?.length ?? 0) >= g.minMatches);
  const satisfiedIds = new Set(satisfied.map((g) => g.id));
  if (!evaluateLogic(req.logic, (id) => satisfiedIds.has(id))) {
    return { keep: false, rule: `${name}: ${req.logicLabel}`, term: null };
  }
  const weight = satisfied.reduce((sum, g) => sum + g.weight, 0);
  if (req.minimumTotalWeight !== null && weight < req.minimumTotalWeight) {
    return { keep: false, rule: `${name}: minimum_total_weight ${req.minimumTotalWeight}`, term: null };
  }
  const first = satisfied[0];
  const term = first ? (matched.get(first.id)?.[0] ?? null) : oneOf;
  return { keep: true, rule: `${name}: signals ${[...satisfiedIds].join(", ")}`, term };
}

const KEEP: ProfileVerdict = { keep: true, rule: null, term: null };

function balancedVerdict(compiled: CompiledProfiles, item: ProfileItem, profileName: string): ProfileVerdict {
  const profile = compiled.profiles.get(profileName);
  if (!profile) {
    const why = compiled.brokenProfiles.has(profileName) ? "not applied, it has problems" : "no such profile";
    return { keep: true, rule: `${profileName}: ${why}`, term: null };
  }
  if (profile.mode === "ingest_all") return KEEP;
  const minimum = compiled.minimumTextLength;
  if (minimum !== null && `${item.title} ${item.content}`.trim().length < minimum) {
    return { keep: true, rule: `${profileName}: minimum_text_length ${minimum}`, term: null };
  }
  const text = new ItemText(compiled.index, item);
  const drop = excluded(profile, text);
  if (drop) return drop;
  if (profile.signals && REQUIRE_MODES.has(profile.mode)) return signalVerdict(profile.signals, text, "");
  return KEEP;
}

function strictVerdict(compiled: CompiledProfiles, item: ProfileItem, profileName: string | undefined) {
  const profile = profileName === undefined ? undefined : compiled.profiles.get(profileName);
  const text = new ItemText(compiled.index, item);
  const drop = profile ? excluded(profile, text) : null;
  if (drop) return drop;
  if (profile?.signals) return signalVerdict(profile.signals, text, "");
  if (compiled.strictest) return signalVerdict(compiled.strictest, text, "strict: ");
  return KEEP;
}

/**
 * Whether an item of a source with profile `profileName` goes on to the costly steps.
 * - `broad`: no profile filter.
 * - `balanced`: the source's own profile; a source without one (or naming one that is missing or broken)
 *   is not filtered. Texts shorter than `minimum_text_length` are not filtered either.
 * - `strict`: the source's own exclusions, then its own signal requirement, or, when it has none (an
 *   `exclude_only` or `ingest_all` profile, or no profile), the strictest declared profile's requirement,
 *   named `strict: <profile>` in the rule. Whatever balanced drops, strict drops too.
 * Exclusions are checked first, so a dropped item names the term that excluded it; an item dropped for
 * lacking signals has term null.
 */
export function profileVerdict(
  compiled: CompiledProfiles,
  item: ProfileItem,
  profileName: string | undefined,
  mode: IngestionMode,
): ProfileVerdict {
  if (mode === "broad") return KEEP;
  if (mode === "strict") return strictVerdict(compiled, item, profileName);
  return profileName === undefined ? KEEP : balancedVerdict(compiled, item, profileName);
}
