import { fileURLToPath } from "node:url";
import { parseProfileConfig } from "../../shared/config/ingestion-profiles.ts";
import { compileProfiles, type ProfileItem, profileVerdict } from "../../shared/filter/profile-filter.ts";

/**
 * Cost of the ingestion-profile filter per item, with term lists the size a grown configuration reaches
 * (a few thousand company, molecule, trademark and technology terms) and press items of about 300 words
 * (~2,550 characters, a little over the catalog's max_content_length of 2,000). Everything is generated
 * from a fixed seed, so two runs measure the same work. Run alone:
 * `node --import tsx test/bench/profile-matching.ts`.
 */
const TERMS_PER_SCOPE = { companies: 1200, molecules: 800, trademarks: 700, technology: 300 } as const;
const ITEMS = 3000;
const WORDS_PER_ITEM = 300;
const REPETITIONS = 7;

/** Deterministic 32-bit generator (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rand: () => number, list: readonly T[]): T {
  const value = list[Math.floor(rand() * list.length)];
  if (value === undefined) throw new Error("pick from an empty list");
  return value;
}

const SYLLABLES = [
  "ka",
  "lo",
  "mi",
  "ne",
  "ra",
  "zu",
  "vi",
  "do",
  "sa",
  "te",
  "qu",
  "rix",
  "lan",
  "mor",
  "pex",
];
const COMPANY_SUFFIXES = [
  "Therapeutics",
  "Pharma",
  "Biosciences",
  "Pharmaceuticals",
  "Bio",
  "Medical",
  "Labs",
];
const INN_SUFFIXES = ["mab", "tide", "glutide", "relin", "pride", "olol", "azole", "tinib", "vir", "cept"];
const TECH_HEADS = ["depot", "microsphere", "implant", "hydrogel", "liposomal", "nanocrystal", "prodrug"];
const TECH_MODS = ["long-acting", "extended-release", "in-situ forming", "once-monthly", "biodegradable"];

function word(rand: () => number, syllables: number): string {
  return Array.from({ length: syllables }, () => pick(rand, SYLLABLES)).join("");
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Distinct generated terms, `count` of them. */
function generated(count: number, make: () => string): string[] {
  const terms = new Set<string>();
  while (terms.size < count) terms.add(make());
  return [...terms];
}

export interface BenchScopes {
  companies: string[];
  molecules: string[];
  trademarks: string[];
  technology: string[];
}

export function benchScopes(seed = 7): BenchScopes {
  const rand = random(seed);
  return {
    companies: generated(TERMS_PER_SCOPE.companies, () => {
      const name = capitalised(word(rand, 2 + Math.floor(rand() * 2)));
      return `${name} ${pick(rand, COMPANY_SUFFIXES)}`;
    }),
    molecules: generated(TERMS_PER_SCOPE.molecules, () => `${word(rand, 2)}${pick(rand, INN_SUFFIXES)}`),
    trademarks: generated(TERMS_PER_SCOPE.trademarks, () => {
      const name = capitalised(word(rand, 2 + Math.floor(rand() * 2)));
      return rand() < 0.3 ? `${name}®` : rand() < 0.5 ? `${name} ${capitalised(word(rand, 2))}` : name;
    }),
    technology: generated(TERMS_PER_SCOPE.technology, () => {
      const head = pick(rand, TECH_HEADS);
      return rand() < 0.5 ? `${pick(rand, TECH_MODS)} ${head}` : `${word(rand, 2)} ${head} technology`;
    }),
  };
}

const PROSE = (
  "the company announced today that results from a phase study showed patients who received treatment " +
  "reported improvement compared with placebo over weeks according to data presented at annual meeting " +
  "investors analysts said shares rose percent after regulators agreed review application approval expected " +
  "next year market launch partnership agreement million upfront milestone payments royalties rights " +
  "development commercialisation worldwide excluding chief executive officer said we are pleased progress " +
  "program clinical trial enrolled first patient dosing safety tolerability pharmacokinetic profile adverse " +
  "events were mild moderate consistent previous studies moral prevention event oral colonial morale"
).split(" ");

function sentence(rand: () => number, scopes: BenchScopes): string {
  const length = 8 + Math.floor(rand() * 18);
  const words = Array.from({ length }, () => pick(rand, PROSE));
  if (rand() < 0.08) words.splice(Math.floor(rand() * length), 0, pick(rand, scopes.companies));
  if (rand() < 0.05) words.splice(Math.floor(rand() * length), 0, pick(rand, scopes.molecules));
  if (rand() < 0.03) words.splice(Math.floor(rand() * length), 0, pick(rand, scopes.trademarks));
  if (rand() < 0.03) words.splice(Math.floor(rand() * length), 0, pick(rand, scopes.technology));
  return `${capitalised(words.join(" "))}.`;
}

/** Press items of about `WORDS_PER_ITEM` words; some mention terms, most of the text is ordinary prose. */
export function benchItems(scopes: BenchScopes, count = ITEMS, seed = 11): ProfileItem[] {
  const rand = random(seed);
  return Array.from({ length: count }, () => {
    const title = sentence(rand, scopes).slice(0, -1);
    const sentences: string[] = [];
    let words = 0;
    while (words < WORDS_PER_ITEM) {
      const s = sentence(rand, scopes);
      words += s.split(" ").length;
      sentences.push(s);
    }
    return { title, content: sentences.join(" ") };
  });
}

function yamlList(terms: readonly string[]): string {
  return terms.map((t) => `  - ${JSON.stringify(t)}`).join("\n");
}

/** A profile like the sector-press one: entity AND (technology OR trademark), plus an exclusion list. */
function benchFiles(scopes: BenchScopes) {
  const scopeText = Object.entries(scopes)
    .map(([name, terms]) => `bench_${name}:\n${yamlList(terms)}`)
    .join("\n");
  const exclusions = `hr:\n${yamlList(["job opening", "we are hiring", "seeks.*engineer", "join our team"])}`;
  const profiles = `profiles:
  bench_press:
    signal_requirements:
      mode: require_multi_signals
      exclusion_scopes: [exclusion_scopes.hr]
      required_signal_groups:
        - { group_id: entity, scopes: [bench_companies, bench_molecules] }
        - { group_id: technology, scopes: [bench_technology] }
        - { group_id: trademark, scopes: [bench_trademarks] }
      combination_logic: "entity AND (technology OR trademark)"
`;
  return {
    profiles: { file: "canonical/ingestion/ingestion_profiles.yaml", text: profiles },
    scopes: [
      { file: "canonical/scopes/bench_scopes.yaml", text: scopeText },
      { file: "canonical/scopes/exclusion_scopes.yaml", text: exclusions },
    ],
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Median microseconds per item over REPETITIONS passes, after one warm-up pass that is not counted. */
export async function measureProfileMatching(): Promise<{ terms: number; items: number; usPerItem: number }> {
  const scopes = benchScopes();
  const items = benchItems(scopes);
  const parsed = parseProfileConfig(benchFiles(scopes));
  if (parsed.problems.length > 0)
    throw new Error(`bench profile has problems: ${parsed.problems[0]?.message}`);
  const compiled = compileProfiles(parsed.config);
  let kept = 0;
  const pass = () => {
    for (const item of items) if (profileVerdict(compiled, item, "bench_press", "balanced").keep) kept++;
  };
  pass();
  const perItem: number[] = [];
  for (let r = 0; r < REPETITIONS; r++) {
    const started = performance.now();
    pass();
    perItem.push(((performance.now() - started) * 1000) / items.length);
  }
  if (kept === 0) throw new Error("the bench profile kept no item: the generated items lack signals");
  return { terms: compiled.termCount, items: items.length, usPerItem: median(perItem) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  measureProfileMatching().then((figures) => console.log(JSON.stringify(figures)));
}
