import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CATALOG_KEY } from "../../shared/config/source-catalog.ts";
import { UsageError } from "../usage-error.ts";
import { readManifest, startFixtureServer } from "./fixture-server.ts";
import { type LocalRunOptions, type LocalRunResult, runLocal } from "./run-local.ts";

export const EXAMPLES_DIR = join(import.meta.dirname, "..", "..", "examples");

/** Written into a demo's data folder: only a folder holding it may be emptied by the next demo. */
const DEMO_MARKER = ".vectora-demo";

/**
 * Each demo starts from empty data, so it shows a first run. A folder that is not empty and was not made by a
 * demo may hold real local data: it is refused, never deleted.
 */
async function resetDemoData(dataDir: string): Promise<void> {
  const entries = await readdir(dataDir).catch(() => [] as string[]);
  if (entries.length > 0 && !entries.includes(DEMO_MARKER)) {
    throw new UsageError(`--data ${dataDir}: not empty and not a demo folder; choose an empty or new folder`);
  }
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true });
  await writeFile(
    join(dataDir, DEMO_MARKER),
    "Data of `vectora demo`; the next demo run replaces this folder.\n",
  );
}

/**
 * The offline demo: serves examples/recorded on loopback, points a copy of examples/configs' catalog at it,
 * and runs the workflow over the recorded day (the window ends at the recording time, so the demo shows
 * the same items whatever today's date is).
 */
export async function runDemo(
  dataDir: string,
  opts: Pick<LocalRunOptions, "onClientDone"> = {},
): Promise<LocalRunResult & { configsDir: string }> {
  const recordedDir = join(EXAMPLES_DIR, "recorded");
  const manifest = await readManifest(recordedDir);
  const fixtures = await startFixtureServer(recordedDir, manifest);
  const configsDir = await mkdtemp(join(tmpdir(), "vectora-demo-configs-"));
  try {
    await cp(join(EXAMPLES_DIR, "configs"), configsDir, { recursive: true });
    const catalogFile = join(configsDir, ...CATALOG_KEY.split("/"));
    let catalog = await readFile(catalogFile, "utf8");
    for (const { url } of manifest.responses) catalog = catalog.replaceAll(url, fixtures.localUrl(url));
    await writeFile(catalogFile, catalog);
    await resetDemoData(dataDir);
    const result = await runLocal({
      configsDir,
      dataDir,
      input: { scheduled_time: manifest.recorded_on },
      allowPrivateNetwork: true,
      ...opts,
    });
    return { ...result, configsDir: join(EXAMPLES_DIR, "configs") };
  } finally {
    await fixtures.close();
    await rm(configsDir, { recursive: true, force: true });
  }
}
