import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  type ProfileConfigResult,
  type ProfileFiles,
  parseProfileConfig,
  sourceProfileProblems,
} from "../../shared/config/ingestion-profiles.ts";
import { formatProblem } from "../../shared/config/validation.ts";
import { parseYamlFile } from "../../shared/config/yaml-file.ts";
import {
  type CompiledProfiles,
  compileProfiles,
  profileVerdict,
} from "../../shared/filter/profile-filter.ts";
import { INGESTION_PROFILES_KEY } from "../../shared/store/keys.ts";
import { readProfileFiles } from "../fixtures/profiles/config-files.ts";
import { externalDir, titled } from "../support/external-material.ts";

/** The configuration of the system this project replaces, kept outside the repository. */
const material = externalDir("VECTORA_SEED_CONFIG_DIR");
const CATALOG = "canonical/sources/source_catalog.yaml";

/** Only what the check needs: the seed's catalog has fields (empty URLs) the project's schema refuses. */
const RawCatalogSchema = z.object({ sources: z.array(z.record(z.string(), z.unknown())) });

/**
 * press_technology_focused lists, under sector_press_requirements, signal names that no scope file
 * defines (they read like detector names of a runtime that was never written). They are the only dangling
 * references of the seed, and they leave that profile out.
 */
const DANGLING = [
  'sector_press_requirements.exclude_if[0]: unknown scope "oral_route_detected"',
  'sector_press_requirements.exclude_if[1]: unknown scope "anti_lai_terms_detected"',
  'sector_press_requirements.require_one_of[0]: unknown scope "lai_company_detected"',
  'sector_press_requirements.require_one_of[1]: unknown scope "lai_technology_detected"',
  'sector_press_requirements.require_one_of[2]: unknown scope "lai_molecule_detected"',
  'sector_press_requirements.require_one_of[3]: unknown scope "lai_trademark_detected"',
].map((p) => `${INGESTION_PROFILES_KEY}: profiles.press_technology_focused.signal_requirements.${p}`);

/** pubmed_indication_focused requires a group whose two scopes are empty lists ("to be filled later"). */
const INDICATION_GROUP = `${INGESTION_PROFILES_KEY}: profiles.pubmed_indication_focused.signal_requirements.required_signal_groups[0]`;
const WARNINGS = [
  `${INDICATION_GROUP}.scopes[0]: scope "addiction_keywords" has no terms (canonical/scopes/indication_scopes.yaml), so it never matches`,
  `${INDICATION_GROUP}.scopes[1]: scope "psychiatry_keywords" has no terms (canonical/scopes/indication_scopes.yaml), so it never matches`,
  `${INDICATION_GROUP}: group "indication_signals" needs 1 matching terms but its scopes hold fewer, so it is never satisfied`,
];

const LAI_APPROVAL = {
  title: "MedinCell and its partner announce FDA approval of UZEDY® for schizophrenia",
  content:
    "UZEDY (risperidone) extended-release injectable suspension is a long-acting injectable given " +
    "by subcutaneous injection once-monthly or every two months, based on the BEPO® technology.",
};
const HIRING = {
  title: "Nanexa is recruiting a Quality Director",
  content:
    "Nanexa seeks an experienced Quality Director to lead its quality organisation in Uppsala, Sweden.",
};
const INTERIM_REPORT = {
  title: "Camurus publishes interim report January–March",
  content:
    "Camurus today published its interim report for the first quarter, with a conference call at 14:00.",
};
const PRODUCT_REVENUE = {
  title: "MedinCell: royalties on UZEDY® keep growing",
  content:
    "Net revenue from the long-acting injectable rose again in the quarter, the company said in Montpellier.",
};
const PLANT_OPENING = {
  title: "Pfizer opens a new manufacturing site in Ireland",
  content:
    "The site will employ 300 people and produce sterile products for European markets from next year.",
};
const ACADEMIC_TWO_TERMS = {
  title: "Population pharmacokinetics of paliperidone palmitate",
  content: "A long-acting injectable given by intramuscular route was studied over 52 weeks in 300 adults.",
};
const ACADEMIC_ONE_TERM = {
  title: "Paliperidone palmitate in routine care",
  content: "A retrospective cohort of adults treated with long-acting paliperidone in community clinics.",
};
const SECTOR_LAI = {
  title: "Alkermes reports Aristada data at the psychiatry congress",
  content: "Aristada (aripiprazole lauroxil) is a long-acting injectable given every two months.",
};
const SECTOR_TRADEMARK_ONLY = {
  title: "Payers review Sublocade coverage",
  content: "Several regional payers are reviewing their coverage policies for the monthly treatment.",
};
const SECTOR_NO_TECHNOLOGY = {
  title: "Novartis names a new head of its oncology unit",
  content: "The appointment takes effect next month; the unit will keep its current organisation.",
};

/** The seed's profiles file without press_technology_focused's dangling sector_press_requirements. */
function withoutSectorPressRequirements(text: string): string {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => l.trimStart().startsWith("sector_press_requirements:"));
  if (start < 0) return text;
  const indent = (l: string) => l.length - l.trimStart().length;
  const base = indent(lines[start] ?? "");
  let end = start + 1;
  while (end < lines.length && ((lines[end] ?? "").trim() === "" || indent(lines[end] ?? "") > base)) end++;
  return [...lines.slice(0, start), ...lines.slice(end)].join("\n");
}

describe.skipIf(!material.dir)(titled("the seed configuration's ingestion profiles", material), () => {
  const dir = material.dir ?? "";
  let files: ProfileFiles;
  let parsed: ProfileConfigResult;
  let compiled: CompiledProfiles;

  beforeAll(async () => {
    files = await readProfileFiles(dir);
    parsed = parseProfileConfig(files);
    compiled = compileProfiles(parsed.config);
  });

  const verdict = (item: { title: string; content: string }, profile: string, mode: "balanced" | "strict") =>
    profileVerdict(compiled, item, profile, mode);

  it("parses, with exactly the dangling references and empty scopes listed here", () => {
    expect(files.profiles?.file).toBe(INGESTION_PROFILES_KEY);
    expect(files.scopes).toHaveLength(6);
    expect(parsed.problems.map(formatProblem).sort()).toEqual([...DANGLING].sort());
    expect(parsed.warnings.map(formatProblem)).toEqual(WARNINGS);
    expect([...parsed.config.brokenProfiles]).toEqual(["press_technology_focused"]);
    expect([...parsed.config.profiles.keys()]).toEqual([
      "corporate_pure_player_broad",
      "corporate_hybrid_technology_focused",
      "pubmed_technology_focused",
      "pubmed_indication_focused",
      "default_broad",
    ]);
    expect(parsed.config.minimumTextLength).toBe(50);
  });

  it("names the catalog's sources whose profile is not applied", async () => {
    const text = await readFile(join(dir, CATALOG), "utf8");
    const yaml = parseYamlFile(CATALOG, text);
    const sources = RawCatalogSchema.parse(yaml.ok ? yaml.value : {}).sources;
    expect(sources).toHaveLength(8);
    expect(sourceProfileProblems(CATALOG, sources, parsed.config).map(formatProblem)).toEqual(
      [5, 6, 7].map(
        (i) =>
          `${CATALOG}: sources[${i}].ingestion_profile: ingestion profile "press_technology_focused" has problems and is not applied`,
      ),
    );
  });

  it("corporate_pure_player_broad drops HR and financial items and keeps product news", () => {
    const profile = "corporate_pure_player_broad";
    expect(verdict(LAI_APPROVAL, profile, "balanced")).toEqual({ keep: true, rule: null, term: null });
    expect(verdict(HIRING, profile, "balanced")).toEqual({
      keep: false,
      rule: `${profile}: exclusion_scopes exclusion_scopes.hr_recruitment_terms`,
      term: "recruiting",
    });
    expect(verdict(INTERIM_REPORT, profile, "balanced")).toMatchObject({
      keep: false,
      rule: `${profile}: exclusion_scopes exclusion_scopes.financial_reporting_terms`,
    });
    // As the seed is written, a bare "revenue" excludes: product news that mentions revenue is dropped.
    expect(verdict(PRODUCT_REVENUE, profile, "balanced")).toEqual({
      keep: false,
      rule: `${profile}: exclusion_scopes exclusion_scopes.financial_reporting_terms`,
      term: "revenue",
    });
    expect(verdict(PLANT_OPENING, profile, "balanced").keep).toBe(true);
    expect(verdict(PLANT_OPENING, profile, "strict")).toEqual({
      keep: false,
      rule: "strict: pubmed_technology_focused: combination_logic technology_signals_academic AND entity_signals_academic",
      term: null,
    });
  });

  it("corporate_hybrid_technology_focused keeps only items with technology or trademark signals", () => {
    const profile = "corporate_hybrid_technology_focused";
    expect(verdict(LAI_APPROVAL, profile, "balanced")).toMatchObject({
      keep: true,
      term: "extended-release injectable",
    });
    expect(verdict(SECTOR_TRADEMARK_ONLY, profile, "balanced")).toEqual({
      keep: true,
      rule: `${profile}: signals trademark_signals`,
      term: "Sublocade",
    });
    expect(verdict(PLANT_OPENING, profile, "balanced")).toEqual({
      keep: false,
      rule: `${profile}: combination_logic technology_signals_high_precision OR technology_signals_supporting OR trademark_signals`,
      term: null,
    });
  });

  it("pubmed_technology_focused needs two technology terms and an entity", () => {
    const profile = "pubmed_technology_focused";
    expect(compiled.strictest?.profile).toBe(profile);
    expect(verdict(ACADEMIC_TWO_TERMS, profile, "balanced")).toMatchObject({
      keep: true,
      rule: `${profile}: signals technology_signals_academic, entity_signals_academic`,
    });
    expect(verdict(ACADEMIC_ONE_TERM, profile, "balanced")).toMatchObject({ keep: false, term: null });
  });

  it("pubmed_indication_focused drops everything while its indication scopes are empty", () => {
    expect(verdict(ACADEMIC_TWO_TERMS, "pubmed_indication_focused", "balanced")).toEqual({
      keep: false,
      rule: "pubmed_indication_focused: combination_logic indication_signals AND technology_signals_indication",
      term: null,
    });
  });

  it("default_broad keeps everything in balanced runs", () => {
    for (const item of [HIRING, INTERIM_REPORT, PLANT_OPENING]) {
      expect(verdict(item, "default_broad", "balanced")).toEqual({ keep: true, rule: null, term: null });
    }
  });

  it("press_technology_focused is not applied as written, and works without its dangling part", async () => {
    expect(verdict(SECTOR_NO_TECHNOLOGY, "press_technology_focused", "balanced")).toEqual({
      keep: true,
      rule: "press_technology_focused: not applied, it has problems",
      term: null,
    });
    const profiles = files.profiles ?? { file: INGESTION_PROFILES_KEY, text: "" };
    const repaired = parseProfileConfig({
      ...files,
      profiles: { ...profiles, text: withoutSectorPressRequirements(profiles.text) },
    });
    expect(repaired.problems).toEqual([]);
    const press = compileProfiles(repaired.config);
    const pressVerdict = (item: { title: string; content: string }) =>
      profileVerdict(press, item, "press_technology_focused", "balanced");
    expect(pressVerdict(SECTOR_LAI)).toMatchObject({
      keep: true,
      rule: "press_technology_focused: signals entity_signals, technology_signals, trademark_signals",
    });
    expect(pressVerdict(SECTOR_TRADEMARK_ONLY)).toMatchObject({ keep: false, term: null });
    expect(pressVerdict(SECTOR_NO_TECHNOLOGY)).toEqual({
      keep: false,
      rule: "press_technology_focused: combination_logic entity_signals AND (technology_signals OR trademark_signals)",
      term: null,
    });
  });
});
