import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { build, type Metafile } from "esbuild";
import { BUNDLING, PROJECT_ROOT } from "../../infra/lambda-defaults.ts";

/** Libraries that parse XML or HTML: they belong to ingest-client only. */
export const PARSER_LIBRARIES = [
  "rss-parser",
  "cheerio",
  "xml2js",
  "htmlparser2",
  "parse5",
  "sax",
  "linkedom",
  "@mozilla/readability",
] as const;

export interface BundleSize {
  lambda: string;
  /** Median time to import the bundle in a fresh Node process (its module-level code included). */
  loadMs: number;
  /** The minified index.mjs, source map not counted. */
  bytes: number;
  sourceMapBytes: number;
  /** Parser libraries with code in the bundle, and how many bytes of output each contributes. */
  parserLibraries: { name: string; bytes: number }[];
  /** The five packages that weigh most in the output. */
  heaviestPackages: { name: string; bytes: number }[];
}

const PACKAGE = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//;

function packageOf(input: string): string {
  // The last node_modules segment names the package whose code it is (nested copies included).
  const parts = input.split("node_modules/");
  if (parts.length < 2) return "(project)";
  const match = PACKAGE.exec(`node_modules/${parts.at(-1)}`);
  return match?.[1] ?? "(project)";
}

function bytesByPackage(output: Metafile["outputs"][string]): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const name = packageOf(input);
    sizes.set(name, (sizes.get(name) ?? 0) + bytesInOutput);
  }
  return sizes;
}

/**
 * Bundles one handler with the options the CDK stack gives NodejsFunction (infra/lambda-defaults.ts), in
 * memory. Only the options CDK turns into esbuild flags are mapped; Docker and asset options do not apply.
 */
export async function bundleSize(lambda: string): Promise<BundleSize> {
  const bundling = BUNDLING ?? {};
  const outfile = join(PROJECT_ROOT, ".bench-bundle", lambda, "index.mjs");
  const result = await build({
    entryPoints: [join(PROJECT_ROOT, "lambdas", lambda, "index.ts")],
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    write: false,
    metafile: true,
    outfile,
    format: bundling.format === "esm" ? "esm" : "cjs",
    target: bundling.target,
    platform: "node",
    mainFields: bundling.mainFields,
    minify: bundling.minify,
    sourcemap: bundling.sourceMap ? true : undefined,
    sourcesContent: bundling.sourcesContent,
    banner: bundling.banner ? { js: bundling.banner } : undefined,
    external: bundling.externalModules,
    alias: aliases(bundling.esbuildArgs),
    logLevel: "silent",
  });
  const js = result.outputFiles.find((f) => f.path.endsWith(".mjs") || f.path.endsWith(".js"));
  const map = result.outputFiles.find((f) => f.path.endsWith(".map"));
  const output = Object.entries(result.metafile.outputs).find(([path]) => !path.endsWith(".map"))?.[1];
  if (!js || !output) throw new Error(`esbuild produced no JavaScript for ${lambda}`);
  const sizes = bytesByPackage(output);
  const parserLibraries = PARSER_LIBRARIES.filter((name) => sizes.has(name)).map((name) => ({
    name,
    bytes: sizes.get(name) ?? 0,
  }));
  const heaviestPackages = [...sizes.entries()]
    .map(([name, bytes]) => ({ name, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 5);
  return {
    lambda,
    loadMs: await medianLoadMs(js.contents, lambda),
    bytes: js.contents.byteLength,
    sourceMapBytes: map?.contents.byteLength ?? 0,
    parserLibraries,
    heaviestPackages,
  };
}

const run = promisify(execFile);

/** The `--alias:NAME` arguments CDK passes to esbuild, as the API's `alias` option. */
function aliases(args: Record<string, string | boolean | string[]> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [flag, value] of Object.entries(args ?? {})) {
    if (flag.startsWith("--alias:") && typeof value === "string") out[flag.slice("--alias:".length)] = value;
  }
  return out;
}
const LOAD_REPETITIONS = 10;

/**
 * What a cold start pays for the code: the bundle imported in a fresh Node process, from a folder with no
 * node_modules above it, with the variables the stack sets (the module reads them at load). Median of 10.
 */
async function medianLoadMs(code: Uint8Array, lambda: string): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), `vectora-load-${lambda}-`));
  try {
    const file = join(dir, "index.mjs");
    await writeFile(file, code);
    const script = `const t = performance.now(); await import(${JSON.stringify(file)}); process.stdout.write(String(performance.now() - t));`;
    const env = {
      PATH: process.env.PATH ?? "",
      AWS_REGION: "eu-west-3",
      CONFIG_BUCKET: "config-bucket",
      DATA_BUCKET: "data-bucket",
    };
    const times: number[] = [];
    for (let i = 0; i < LOAD_REPETITIONS; i++) {
      const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], {
        cwd: dir,
        env,
      });
      times.push(Number(stdout));
    }
    times.sort((a, b) => a - b);
    return ((times[4] ?? 0) + (times[5] ?? 0)) / 2;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function bundleSizes(): Promise<BundleSize[]> {
  const dirs = await readdir(join(PROJECT_ROOT, "lambdas"), { withFileTypes: true });
  const lambdas = dirs
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const sizes: BundleSize[] = [];
  for (const lambda of lambdas) sizes.push(await bundleSize(lambda));
  return sizes;
}
