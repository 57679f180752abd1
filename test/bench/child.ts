import { bundleSizes } from "./bundle-size.ts";
import { runIngestScenario } from "./ingest-scenario.ts";
import { measureParseRatios } from "./parse-throughput.ts";
import { measureProfileMatching } from "./profile-matching.ts";
import type { ChildResult, ChildTask, ChildValue } from "./tasks.ts";

/**
 * One measurement in its own process, so its peak RSS is its own: the publisher, the other scenarios and
 * the parse corpus stay in other processes. The task comes as JSON in argv; the result goes back over IPC.
 */
async function perform(task: ChildTask): Promise<ChildValue> {
  switch (task.kind) {
    case "ingest":
      return { kind: "ingest", runs: await runIngestScenario(task.spec) };
    case "parse":
      return { kind: "parse", ratios: await measureParseRatios(task.corpusDir) };
    case "profiles":
      return { kind: "profiles", matching: await measureProfileMatching() };
    case "bundles":
      return { kind: "bundles", sizes: await bundleSizes() };
  }
}

function send(message: ChildResult): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) {
      reject(new Error("test/bench/child.ts runs as a forked child of test/bench/main.ts"));
      return;
    }
    process.send(message, (err: Error | null) => (err ? reject(err) : resolve()));
  });
}

const task = JSON.parse(process.argv[2] ?? "null") as ChildTask;
try {
  const value = await perform(task);
  await send({ ok: true, value, peakRssBytes: process.resourceUsage().maxRSS * 1024 });
  process.exit(0);
} catch (err) {
  const message = err instanceof Error ? `${err.name}: ${err.message}\n${err.stack ?? ""}` : String(err);
  await send({ ok: false, error: message }).catch(() => undefined);
  process.exit(1);
}
