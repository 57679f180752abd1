import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { parseProfileConfig } from "../../shared/config/ingestion-profiles.ts";
import { parseYamlFile } from "../../shared/config/yaml-file.ts";
import {
  type CompiledProfiles,
  compileProfiles,
  type ProfileItem,
  profileVerdict,
} from "../../shared/filter/profile-filter.ts";
import { INGESTION_PROFILES_KEY } from "../../shared/store/keys.ts";
import { PROFILES_FIXTURE_DIR, readProfileFiles } from "../fixtures/profiles/config-files.ts";

const ItemsSchema = z.record(z.string(), z.object({ title: z.string(), content: z.string() }));

function loadItems(): Record<string, ProfileItem> {
  const file = join(PROFILES_FIXTURE_DIR, "items.yaml");
  const parsed = parseYamlFile(file, readFileSync(file, "utf8"));
  if (!parsed.ok) throw new Error(parsed.problem.message);
  return ItemsSchema.parse(parsed.value);
}

const items = loadItems();

function item(id: string): ProfileItem {
  const found = items[id];
  if (!found) throw new Error(`no sample item ${id}`);
  return found;
}

let compiled: CompiledProfiles;

beforeAll(async () => {
  const { config, problems } = parseProfileConfig(await readProfileFiles(PROFILES_FIXTURE_DIR));
  expect(problems).toEqual([]);
  compiled = compileProfiles(config);
});

function verdict(
  id: string,
  profile: string | undefined,
  mode: "broad" | "balanced" | "strict" = "balanced",
) {
  return profileVerdict(compiled, item(id), profile, mode);
}

describe("balanced: each source's own profile", () => {
  it("keeps an LAI press item on a required group, naming the group and the term", () => {
    expect(verdict("lai_press", "corporate_hybrid")).toEqual({
      keep: true,
      rule: "corporate_hybrid: signals technology",
      term: "long-acting injectable",
    });
    expect(verdict("lai_press", "press_sector")).toEqual({
      keep: true,
      rule: "press_sector: signals entity, technology",
      term: "Nordvik Pharma",
    });
  });

  it("drops a hiring announcement on an exclusion scope, naming the term", () => {
    expect(verdict("hiring", "corporate_pure_player")).toEqual({
      keep: false,
      rule: "corporate_pure_player: exclusion_scopes exclusion_scopes.hr_content",
      term: "we are hiring",
    });
    expect(verdict("hiring", "corporate_hybrid")).toMatchObject({
      keep: false,
      rule: "corporate_hybrid: exclusion_scopes hr_content",
    });
  });

  it("does not read 'moral' as the excluded route 'oral', nor 'prevention' as 'event'", () => {
    expect(verdict("moral", "press_sector")).toEqual({
      keep: true,
      rule: "press_sector: signals entity, technology",
      term: "Kestrel Biotherapeutics",
    });
    expect(verdict("oral_tablet", "press_sector")).toEqual({
      keep: false,
      rule: "press_sector: exclude_if exclusion_scopes.oral_routes",
      term: "oral tablet",
    });
  });

  it("matches trademarks written with or without ®, whichever way the scope spells them", () => {
    expect(verdict("trademark", "corporate_hybrid")).toEqual({
      keep: true,
      rule: "corporate_hybrid: signals trademark",
      term: "Velantra",
    });
    expect(verdict("sustavo", "corporate_hybrid")).toEqual({
      keep: true,
      rule: "corporate_hybrid: signals trademark",
      term: "Sustavo®",
    });
  });

  it("matches Korean text with particles", () => {
    expect(verdict("korean", "press_sector")).toEqual({
      keep: true,
      rule: "press_sector: signals entity, technology",
      term: "한빛제약",
    });
  });

  it("applies combination_logic, require_one_of and min_matches", () => {
    // A trademark without an entity: require_one_of passes (trademarks count), entity AND ... does not.
    expect(verdict("trademark", "press_sector")).toEqual({
      keep: false,
      rule: "press_sector: combination_logic entity AND (technology OR trademark)",
      term: null,
    });
    expect(verdict("office_opening", "press_sector")).toMatchObject({ keep: false });
    expect(verdict("academic_two_terms", "academic")).toMatchObject({ keep: true, term: "long-acting" });
    expect(verdict("academic_one_term", "academic")).toEqual({
      keep: false,
      rule: "academic: required_signal_groups technology AND indication",
      term: null,
    });
  });

  it("keeps items of sources without a profile, with an unknown one, or with ingest_all", () => {
    expect(verdict("office_opening", undefined)).toEqual({ keep: true, rule: null, term: null });
    expect(verdict("office_opening", "pass_through")).toEqual({ keep: true, rule: null, term: null });
    expect(verdict("office_opening", "nope")).toEqual({
      keep: true,
      rule: "nope: no such profile",
      term: null,
    });
  });

  it("does not filter texts shorter than minimum_text_length", () => {
    expect(verdict("short", "corporate_hybrid")).toEqual({
      keep: true,
      rule: "corporate_hybrid: minimum_text_length 30",
      term: null,
    });
  });
});

describe("strict: every source must show signals", () => {
  it("drops on a corporate source an item that balanced keeps", () => {
    expect(verdict("office_opening", "corporate_pure_player", "balanced")).toEqual({
      keep: true,
      rule: null,
      term: null,
    });
    expect(verdict("office_opening", "corporate_pure_player", "strict")).toEqual({
      keep: false,
      rule: "strict: press_sector: combination_logic entity AND (technology OR trademark)",
      term: null,
    });
  });

  it("takes the strictest declared profile's requirement when the source's profile has none", () => {
    expect(compiled.strictest?.profile).toBe("press_sector");
    expect(verdict("lai_press", undefined, "strict")).toMatchObject({
      keep: true,
      rule: "strict: press_sector: signals entity, technology",
    });
    expect(verdict("lai_press", "pass_through", "strict")).toMatchObject({ keep: true });
    expect(verdict("office_opening", undefined, "strict")).toMatchObject({ keep: false });
    expect(verdict("office_opening", "nope", "strict")).toMatchObject({ keep: false });
  });

  it("keeps the source's own exclusions and its own requirement", () => {
    expect(verdict("hiring", "corporate_pure_player", "strict")).toMatchObject({
      keep: false,
      rule: "corporate_pure_player: exclusion_scopes exclusion_scopes.hr_content",
    });
    expect(verdict("trademark", "corporate_hybrid", "strict")).toMatchObject({
      keep: true,
      rule: "corporate_hybrid: signals trademark",
    });
  });

  it("filters short texts too", () => {
    expect(verdict("short", "corporate_hybrid", "strict")).toMatchObject({ keep: false });
  });

  it("drops everything balanced drops", () => {
    const profiles = [undefined, "nope", ...compiled.profiles.keys()];
    for (const id of Object.keys(items)) {
      for (const profile of profiles) {
        if (!verdict(id, profile, "balanced").keep) {
          expect(verdict(id, profile, "strict").keep, `${id} on ${profile}`).toBe(false);
        }
      }
    }
  });
});

describe("broad", () => {
  it("applies no profile at all", () => {
    for (const id of Object.keys(items)) {
      expect(verdict(id, "press_sector", "broad")).toEqual({ keep: true, rule: null, term: null });
    }
  });
});

describe("compilation", () => {
  it("compiles each term list once, however many profiles name it", () => {
    // hr_content, financial_noise, oral_routes, lai_companies, lai_molecules, lai_trademarks,
    // core_phrases, technology_terms, interval_patterns, route_terms, psychiatry_keywords.
    expect(compiled.scopeCount).toBe(11);
  });

  function compiledFrom(yaml: string): CompiledProfiles {
    const scopes = [
      { file: "canonical/scopes/s.yaml", text: "a: [alpha]\nb: [beta]\nc: [gamma, delta]\nempty: []\n" },
    ];
    const { config, problems } = parseProfileConfig({
      profiles: { file: INGESTION_PROFILES_KEY, text: yaml },
      scopes,
    });
    expect(problems).toEqual([]);
    return compileProfiles(config);
  }

  it("checks minimum_total_weight after the combination", () => {
    const weighted = compiledFrom(`profiles:
  w:
    signal_requirements:
      mode: require_signals
      minimum_total_weight: 3
      required_signal_groups:
        - { group_id: a, scopes: [a], weight: 2 }
        - { group_id: b, scopes: [b], weight: 2 }
`);
    const text = (content: string) => ({ title: "", content });
    expect(profileVerdict(weighted, text("alpha"), "w", "balanced")).toEqual({
      keep: false,
      rule: "w: minimum_total_weight 3",
      term: null,
    });
    expect(profileVerdict(weighted, text("alpha beta"), "w", "balanced")).toMatchObject({ keep: true });
  });

  it("ranks profiles by the fewest terms that meet them, skipping those that can never be met", () => {
    const ranked = compiledFrom(`profiles:
  one: { signal_requirements: { mode: require_signals, required_signal_groups: [{ group_id: a, scopes: [a] }] } }
  two_b:
    signal_requirements:
      mode: require_multi_signals
      required_signal_groups: [{ group_id: a, scopes: [a] }, { group_id: c, scopes: [c] }]
  two_a:
    signal_requirements:
      mode: require_signals
      required_signal_groups: [{ group_id: c, scopes: [c], min_matches: 2 }]
  never:
    signal_requirements:
      mode: require_multi_signals
      required_signal_groups: [{ group_id: a, scopes: [a] }, { group_id: e, scopes: [empty], min_matches: 3 }]
`);
    // two_a and two_b both need two terms and no weight: the name decides.
    expect(ranked.strictest?.profile).toBe("two_a");
  });

  it("has no strict fallback when no profile requires signals", () => {
    const none = compiledFrom(
      "profiles:\n  x: { signal_requirements: { mode: exclude_only, exclusion_scopes: [a] } }\n",
    );
    expect(none.strictest).toBeNull();
    expect(profileVerdict(none, { title: "beta", content: "" }, undefined, "strict")).toEqual({
      keep: true,
      rule: null,
      term: null,
    });
  });
});
