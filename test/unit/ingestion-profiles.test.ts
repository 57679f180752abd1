import { describe, expect, it } from "vitest";
import {
  loadProfileFiles,
  type ProfileFiles,
  parseProfileConfig,
  sourceProfileProblems,
} from "../../shared/config/ingestion-profiles.ts";
import { parseScopeFiles, resolveScope } from "../../shared/config/scopes.ts";
import { formatProblem } from "../../shared/config/validation.ts";
import { INGESTION_PROFILES_KEY } from "../../shared/store/keys.ts";
import { PROFILES_FIXTURE_DIR, readProfileFiles } from "../fixtures/profiles/config-files.ts";

const EXCLUSIONS = "canonical/scopes/exclusion_scopes.yaml";
const COMPANIES = "canonical/scopes/company_scopes.yaml";
const TECHNOLOGY = "canonical/scopes/technology_scopes.yaml";

const SCOPES = [
  { file: EXCLUSIONS, text: "hr_content: [job opening, we are hiring]\noral_routes: [oral]\nempty: []\n" },
  { file: COMPANIES, text: "lai_companies: [Nordvik Pharma]\n" },
  { file: TECHNOLOGY, text: "lai_keywords:\n  _metadata: { note: x }\n  core_phrases: [long-acting]\n" },
];

function withProfiles(yaml: string, scopes = SCOPES): ProfileFiles {
  return { profiles: { file: INGESTION_PROFILES_KEY, text: yaml }, scopes };
}

function problemsOf(yaml: string, scopes = SCOPES): string[] {
  return parseProfileConfig(withProfiles(yaml, scopes)).problems.map(formatProblem);
}

describe("the test configuration", () => {
  it("parses with no problem and no warning", async () => {
    const { config, problems, warnings } = parseProfileConfig(await readProfileFiles(PROFILES_FIXTURE_DIR));
    expect(problems.map(formatProblem)).toEqual([]);
    expect(warnings.map(formatProblem)).toEqual([]);
    expect([...config.profiles.keys()]).toEqual([
      "corporate_pure_player",
      "corporate_hybrid",
      "press_sector",
      "academic",
      "pass_through",
    ]);
    expect(config.minimumTextLength).toBe(30);
  });

  it("reads the nested sector_press_requirements and combination_logic", async () => {
    const { config } = parseProfileConfig(await readProfileFiles(PROFILES_FIXTURE_DIR));
    const press = config.profiles.get("press_sector");
    expect(press?.mode).toBe("require_multi_signals");
    expect(press?.requireOneOf.map((r) => r.name)).toEqual([
      "lai_companies",
      "lai_molecules",
      "lai_trademarks",
    ]);
    expect(press?.exclusions.map((e) => `${e.field} ${e.ref.name}`)).toEqual([
      "exclude_if exclusion_scopes.oral_routes",
    ]);
    expect(press?.groups.map((g) => [g.id, g.minMatches, g.weight])).toEqual([
      ["entity", 1, 2],
      ["technology", 1, 2],
      ["trademark", 1, 1.5],
    ]);
    expect(press?.logicDeclared).toBe(true);
    expect(press?.minimumTotalWeight).toBe(3);
  });
});

describe("scope names", () => {
  const { catalog, problems } = parseScopeFiles([
    ...SCOPES,
    { file: "canonical/scopes/other_scopes.yaml", text: "oral_routes: [by mouth]\n" },
  ]);

  function resolved(name: string): string {
    const r = resolveScope(catalog, name);
    return r.ok ? `${r.scope.file}#${r.scope.path.join(".")}` : r.message;
  }

  it("resolves a file stem, a top-level key, and a key under a mapping", () => {
    expect(problems).toEqual([]);
    expect(resolved("exclusion_scopes.hr_content")).toBe(`${EXCLUSIONS}#hr_content`);
    expect(resolved("hr_content")).toBe(`${EXCLUSIONS}#hr_content`);
    expect(resolved("lai_keywords.core_phrases")).toBe(`${TECHNOLOGY}#lai_keywords.core_phrases`);
    expect(resolved("technology_scopes.lai_keywords.core_phrases")).toBe(
      `${TECHNOLOGY}#lai_keywords.core_phrases`,
    );
    expect(resolved("exclusion_scopes.oral_routes")).toBe(`${EXCLUSIONS}#oral_routes`);
  });

  it("refuses unknown, ambiguous and group names, and metadata keys", () => {
    expect(resolved("exclusion_scopes.nope")).toBe('unknown scope "exclusion_scopes.nope"');
    expect(resolved("nope")).toBe('unknown scope "nope"');
    expect(resolved("oral_routes")).toBe(
      `scope "oral_routes" is ambiguous: it is defined in ${EXCLUSIONS}, canonical/scopes/other_scopes.yaml`,
    );
    expect(resolved("lai_keywords")).toBe(
      'scope "lai_keywords" is a group of scopes (core_phrases): name one, e.g. "lai_keywords.core_phrases"',
    );
    expect(resolved("lai_keywords._metadata")).toBe('unknown scope "lai_keywords._metadata"');
  });

  it("reports unusable entries of a scope file by path and keeps the rest", () => {
    const parsed = parseScopeFiles([
      { file: COMPANIES, text: "lai_companies: [Nordvik Pharma, 42, '®']\nbroken: 7\nnull_list:\n" },
    ]);
    expect(parsed.problems.map(formatProblem)).toEqual([
      `${COMPANIES}: lai_companies[1]: expected a term (text), got 42`,
      `${COMPANIES}: lai_companies[2]: term "®" has no letters or digits`,
      `${COMPANIES}: broken: expected a list of terms or a mapping of lists`,
    ]);
    const companies = resolveScope(parsed.catalog, "lai_companies");
    expect(companies.ok && companies.scope.terms).toEqual(["Nordvik Pharma"]);
    const empty = resolveScope(parsed.catalog, "null_list");
    expect(empty.ok && empty.scope.terms).toEqual([]);
  });

  it("reports a file that is not YAML, and the other files still count", () => {
    const parsed = parseScopeFiles([{ file: EXCLUSIONS, text: "a: [unclosed\n" }, ...SCOPES.slice(1)]);
    expect(parsed.problems).toHaveLength(1);
    expect(formatProblem(parsed.problems[0] ?? { file: "", path: "", message: "" })).toMatch(
      /^canonical\/scopes\/exclusion_scopes\.yaml: invalid YAML/,
    );
    expect(resolveScope(parsed.catalog, "lai_companies").ok).toBe(true);
  });
});

describe("validation problems name the file and the path", () => {
  it("an unknown mode", () => {
    expect(problemsOf("profiles:\n  p:\n    signal_requirements:\n      mode: filter_all\n")).toEqual([
      `${INGESTION_PROFILES_KEY}: profiles.p.signal_requirements.mode: unknown mode "filter_all": expected one of ingest_all, exclude_only, require_signals, require_multi_signals`,
    ]);
  });

  it("an unknown scope, leaving that profile out and keeping the others", () => {
    const yaml = `profiles:
  corporate_pure_player:
    signal_requirements:
      mode: require_multi_signals
      require_one_of: [lai_companies, x]
  other:
    signal_requirements:
      mode: exclude_only
      exclusion_scopes: [exclusion_scopes.hr_content]
`;
    const result = parseProfileConfig(withProfiles(yaml));
    expect(result.problems.map(formatProblem)).toEqual([
      `${INGESTION_PROFILES_KEY}: profiles.corporate_pure_player.signal_requirements.require_one_of[1]: unknown scope "x"`,
    ]);
    expect([...result.config.profiles.keys()]).toEqual(["other"]);
    expect([...result.config.brokenProfiles]).toEqual(["corporate_pure_player"]);
  });

  it("unknown scopes in groups, exclusions and nested requirements", () => {
    const yaml = `profiles:
  p:
    signal_requirements:
      mode: require_signals
      exclusion_scopes: [exclusion_scopes.nope]
      sector_press_requirements:
        exclude_if: [oral_route_detected]
      required_signal_groups:
        - group_id: g
          scopes: [lai_companies, lai_keywords]
`;
    expect(problemsOf(yaml)).toEqual([
      `${INGESTION_PROFILES_KEY}: profiles.p.signal_requirements.sector_press_requirements.exclude_if[0]: unknown scope "oral_route_detected"`,
      `${INGESTION_PROFILES_KEY}: profiles.p.signal_requirements.exclusion_scopes[0]: unknown scope "exclusion_scopes.nope"`,
      `${INGESTION_PROFILES_KEY}: profiles.p.signal_requirements.required_signal_groups[0].scopes[1]: scope "lai_keywords" is a group of scopes (core_phrases): name one, e.g. "lai_keywords.core_phrases"`,
    ]);
  });

  it("an unknown group, a duplicate group and an unreadable combination_logic", () => {
    const group = (id: string) => `        - { group_id: ${id}, scopes: [lai_companies] }\n`;
    const yaml = (logic: string) =>
      `profiles:\n  p:\n    signal_requirements:\n      mode: require_signals\n      combination_logic: "${logic}"\n      required_signal_groups:\n${group("a")}${group("b")}`;
    expect(problemsOf(yaml("a AND (b OR c)"))).toEqual([
      `${INGESTION_PROFILES_KEY}: profiles.p.signal_requirements.combination_logic: unknown group "c"`,
    ]);
    expect(problemsOf(yaml("a AND (b"))).toEqual([
      `${INGESTION_PROFILES_KEY}: profiles.p.signal_requirements.combination_logic: cannot read "a AND (b": missing ")"`,
    ]);
    expect(problemsOf(yaml("a & b"))).toEqual([
      `${INGESTION_PROFILES_KEY}: profiles.p.signal_requirements.combination_logic: cannot read "a & b": unexpected "&"`,
    ]);
    const duplicated = `profiles:\n  p:\n    signal_requirements:\n      mode: require_signals\n      required_signal_groups:\n${group("a")}${group("a")}`;
    expect(problemsOf(duplicated)).toEqual([
      `${INGESTION_PROFILES_KEY}: profiles.p.signal_requirements.required_signal_groups[1].group_id: duplicate group "a"`,
    ]);
  });

  it("a require mode without anything to require, and malformed fields", () => {
    expect(problemsOf("profiles:\n  p:\n    signal_requirements:\n      mode: require_signals\n")).toEqual([
      `${INGESTION_PROFILES_KEY}: profiles.p.signal_requirements.mode: mode require_signals needs required_signal_groups or require_one_of`,
    ]);
    const yaml = `profiles:
  p:
    signal_requirements:
      mode: require_signals
      required_signal_groups:
        - { group_id: g, scopes: [lai_companies], min_matches: 0 }
  q: {}
`;
    expect(problemsOf(yaml)).toEqual([
      `${INGESTION_PROFILES_KEY}: profiles.p.signal_requirements.required_signal_groups[0].min_matches: Too small: expected number to be >=1`,
      `${INGESTION_PROFILES_KEY}: profiles.q.signal_requirements: Invalid input: expected object, received undefined`,
    ]);
  });

  it("a dangling name in applicable_contexts or metadata is reported but filters nothing out", () => {
    const yaml = `profiles:
  p:
    signal_requirements: { mode: exclude_only, exclusion_scopes: [hr_content] }
    applicable_contexts: { company_scopes: [lai_companies_gone] }
metadata:
  referenced_scopes:
    exclusion_scopes: [exclusion_scopes.esg_generic]
`;
    const result = parseProfileConfig(withProfiles(yaml));
    expect(result.problems.map(formatProblem)).toEqual([
      `${INGESTION_PROFILES_KEY}: metadata.referenced_scopes.exclusion_scopes[0]: unknown scope "exclusion_scopes.esg_generic"`,
      `${INGESTION_PROFILES_KEY}: profiles.p.applicable_contexts.company_scopes[0]: unknown scope "lai_companies_gone"`,
    ]);
    expect([...result.config.profiles.keys()]).toEqual(["p"]);
  });

  it("invalid YAML in the profiles file is a problem, not an exception", () => {
    const result = parseProfileConfig(withProfiles("profiles: [unclosed\n"));
    expect(result.problems.map(formatProblem)[0]).toMatch(
      /^canonical\/ingestion\/ingestion_profiles\.yaml: invalid YAML/,
    );
    expect(result.config.profiles.size).toBe(0);
  });
});

describe("leniency", () => {
  it("accepts unknown extra fields anywhere", () => {
    const yaml = `profiles:
  p:
    description: d
    strategy: broad_ingestion
    future_field: { anything: [1, 2] }
    signal_requirements:
      mode: require_signals
      extra: true
      required_signal_groups:
        - { group_id: g, description: x, scopes: [lai_companies], note: y }
    runtime_config: { default_action: ingest, exclusion_threshold: 0.8 }
unrelated_top_level: 1
`;
    expect(problemsOf(yaml)).toEqual([]);
  });

  it("warns about a required group that can never be satisfied", () => {
    const yaml = `profiles:
  p:
    signal_requirements:
      mode: require_signals
      required_signal_groups:
        - { group_id: g, scopes: [exclusion_scopes.empty] }
        - { group_id: h, scopes: [lai_companies], min_matches: 2 }
`;
    const result = parseProfileConfig(withProfiles(yaml));
    expect(result.problems).toEqual([]);
    expect(result.warnings.map(formatProblem)).toEqual([
      `${INGESTION_PROFILES_KEY}: profiles.p.signal_requirements.required_signal_groups[0].scopes[0]: scope "exclusion_scopes.empty" has no terms (${EXCLUSIONS}), so it never matches`,
      `${INGESTION_PROFILES_KEY}: profiles.p.signal_requirements.required_signal_groups[0]: group "g" needs 1 matching terms but its scopes hold fewer, so it is never satisfied`,
      `${INGESTION_PROFILES_KEY}: profiles.p.signal_requirements.required_signal_groups[1]: group "h" needs 2 matching terms but its scopes hold fewer, so it is never satisfied`,
    ]);
    expect(result.config.profiles.has("p")).toBe(true);
  });
});

describe("missing files", () => {
  it("no profiles file means no profiles and no problem", () => {
    const result = parseProfileConfig({ scopes: [] });
    expect(result.problems).toEqual([]);
    expect(result.config.profiles.size).toBe(0);
    expect(parseProfileConfig({ scopes: SCOPES }).problems).toEqual([]);
  });

  it("an empty profiles file means no profiles", () => {
    for (const text of ["", "# nothing yet\n", "profiles:\n"]) {
      const result = parseProfileConfig(withProfiles(text));
      expect(result.problems).toEqual([]);
      expect(result.config.profiles.size).toBe(0);
    }
  });

  it("no scope files makes every scope name unknown", () => {
    const yaml =
      "profiles:\n  p:\n    signal_requirements: { mode: exclude_only, exclusion_scopes: [hr_content] }\n";
    expect(problemsOf(yaml, [])).toEqual([
      `${INGESTION_PROFILES_KEY}: profiles.p.signal_requirements.exclusion_scopes[0]: unknown scope "hr_content"`,
    ]);
  });

  it("loads only the profiles file and the scope files of a key listing", async () => {
    const texts: Record<string, string> = {
      [INGESTION_PROFILES_KEY]: "profiles: {}\n",
      "canonical/scopes/a.yaml": "x: [y]\n",
      "canonical/scopes/nested/b.yaml": "z: [w]\n",
      "canonical/scopes/readme.md": "",
      "canonical/sources/source_catalog.yaml": "sources: []\n",
    };
    const read: string[] = [];
    const files = await loadProfileFiles(Object.keys(texts), async (key) => {
      read.push(key);
      return texts[key] ?? "";
    });
    expect(files.profiles?.file).toBe(INGESTION_PROFILES_KEY);
    expect(files.scopes.map((s) => s.file)).toEqual(["canonical/scopes/a.yaml"]);
    expect(read.sort()).toEqual(["canonical/ingestion/ingestion_profiles.yaml", "canonical/scopes/a.yaml"]);
    expect((await loadProfileFiles([], async () => "")).profiles).toBeUndefined();
  });
});

describe("sourceProfileProblems", () => {
  it("names sources whose profile is unknown, broken or not a name", () => {
    const yaml = `profiles:
  good: { signal_requirements: { mode: ingest_all } }
  broken: { signal_requirements: { mode: exclude_only, exclusion_scopes: [nope] } }
`;
    const { config } = parseProfileConfig(withProfiles(yaml));
    const sources = [
      { source_key: "a", ingestion_profile: "good" },
      { source_key: "b" },
      { source_key: "c", ingestion_profile: "broken" },
      { source_key: "d", ingestion_profile: "missing" },
      { source_key: "e", ingestion_profile: 3 },
    ];
    const catalog = "canonical/sources/source_catalog.yaml";
    expect(sourceProfileProblems(catalog, sources, config).map(formatProblem)).toEqual([
      `${catalog}: sources[2].ingestion_profile: ingestion profile "broken" has problems and is not applied`,
      `${catalog}: sources[3].ingestion_profile: unknown ingestion profile "missing"`,
      `${catalog}: sources[4].ingestion_profile: must name an ingestion profile`,
    ]);
  });
});
