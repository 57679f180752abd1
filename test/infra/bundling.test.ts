import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { App, Duration, Stack } from "aws-cdk-lib";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT, VectoraFunction } from "../../infra/lambda-defaults.ts";

const run = promisify(execFile);

interface Template {
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
}

/** The asset folder of every Lambda of a synthesized template, keyed by function name. */
function lambdaAssets(outdir: string, template: Template): Map<string, string> {
  const assets = new Map<string, string>();
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== "AWS::Lambda::Function") continue;
    const key = String((resource.Properties.Code as { S3Key: string }).S3Key);
    assets.set(String(resource.Properties.FunctionName), join(outdir, `asset.${key.replace(/\.zip$/, "")}`));
  }
  return assets;
}

/** Imports a bundle in a fresh Node process, from a folder with no node_modules above it. */
async function importBundle(file: string, call: boolean, env: Record<string, string> = {}): Promise<unknown> {
  const dir = mkdtempSync(join(tmpdir(), "vectora-runtime-"));
  const copy = join(dir, "index.mjs");
  copyFileSync(file, copy);
  const script = `const m = await import(${JSON.stringify(copy)});
const out = ${call ? "await m.handler({})" : "{ handler: typeof m.handler }"};
process.stdout.write("\\n" + JSON.stringify(out));`;
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "", AWS_REGION: "eu-west-3", ...env },
  });
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "null");
}

/** Signing add-ons the S3 client requires inside a try, only for endpoints that need them (not ours). */
const SDK_OPTIONAL_ADDONS = ["@aws-sdk/signature-v4-crt", "@aws-sdk/signature-v4a"];

const PACKAGE_NAME = /^(?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(?:\/[\w./-]+)?$/i;

/** The packages a bundle leaves to be resolved at run time (Node built-ins aside). */
function externalPackages(code: string): string[] {
  const specifiers = [
    ...code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["']([^"'./][^"']*)["']/g),
  ]
    .map((m) => m[1] ?? "")
    .filter((s) => PACKAGE_NAME.test(s))
    .filter((s) => !s.startsWith("node:") && !builtinModules.includes(s.split("/")[0] ?? ""));
  return [...new Set(specifiers)].sort();
}

describe("Lambda bundling", () => {
  it("bundles an ESM TypeScript handler with .ts imports and npm packages into a self-contained module", async () => {
    const outdir = mkdtempSync(join(tmpdir(), "vectora-bundle-"));
    const app = new App({ outdir });
    const stack = new Stack(app, "BundleProbe");
    new VectoraFunction(stack, "Probe", {
      name: "bundle-probe",
      env: "test",
      description: "bundling probe",
      memorySize: 128,
      timeout: Duration.seconds(10),
      environment: {},
      entry: resolve(import.meta.dirname, "fixtures/bundle-probe/index.ts"),
    });
    const assembly = app.synth();
    const template = assembly.getStackByName("BundleProbe").template as Template;
    const asset = lambdaAssets(outdir, template).get("vectora-ingest-test-bundle-probe");
    expect(asset).toBeDefined();
    const bundle = join(asset as string, "index.mjs");
    expect(existsSync(`${bundle}.map`)).toBe(true);
    expect(externalPackages(readFileSync(bundle, "utf8"))).toEqual(SDK_OPTIONAL_ADDONS);

    const lambdaCredentials = {
      AWS_ACCESS_KEY_ID: "AKIAPROBE",
      AWS_SECRET_ACCESS_KEY: "probe-secret",
      AWS_SESSION_TOKEN: "probe-token",
    };
    expect(await importBundle(bundle, true, lambdaCredentials)).toEqual({
      bundled: true,
      feedTitles: ["First item"],
      listItems: ["alpha", "beta"],
      active: true,
      doubled: [2, 4, 6],
      logger: "function",
      metrics: "function",
      s3Region: "eu-west-3",
      s3AccessKeyId: "AKIAPROBE",
    });
  });

  it("synthesizes infra/app.ts as the CLI runs it, each handler an ESM module exporting `handler`", async () => {
    const outdir = mkdtempSync(join(tmpdir(), "vectora-app-"));
    await run(process.execPath, ["--import", "tsx", "infra/app.ts"], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify({ env: "ci" }) },
    });
    const template = JSON.parse(
      readFileSync(join(outdir, "vectora-ingest-ci.template.json"), "utf8"),
    ) as Template;
    const assets = lambdaAssets(outdir, template);
    expect([...assets.keys()].sort()).toEqual([
      "vectora-ingest-ci-aggregate-stats",
      "vectora-ingest-ci-ingest-client",
      "vectora-ingest-ci-list-clients",
    ]);
    const env = { CONFIG_BUCKET: "config", DATA_BUCKET: "data", VECTORA_ENV: "ci" };
    for (const [name, asset] of assets) {
      const bundle = join(asset, "index.mjs");
      expect(await importBundle(bundle, false, env)).toEqual({ handler: "function" });
      // Cold starts load every byte: the heaviest handler, ingest-client, was 2.45 MB before issue #8 set
      // this bound.
      expect(statSync(bundle).size, name).toBeLessThanOrEqual(1_000_000);
      expect(externalPackages(readFileSync(bundle, "utf8")), name).toEqual(SDK_OPTIONAL_ADDONS);
    }
  });
});
