import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HistoryEvent } from "../../cli/local/history.ts";
import {
  createWorkspace,
  type Publisher,
  rss,
  startPublisher,
  type Workspace,
  writeConfigs,
} from "../support/workflow.ts";

const CLIENTS = 1_000;
/** Step Functions refuses a state input or output over 256 KB; keep a margin. */
const PAYLOAD_BUDGET = 200 * 1024;

let publisher: Publisher;
let ws: Workspace;

beforeAll(async () => {
  publisher = await startPublisher();
  publisher.routes.set("/feed.xml", {
    status: 200,
    body: rss("Feed", [
      {
        title: "Depot news",
        link: "https://news.example.com/depot",
        pubDate: "Thu, 19 Nov 2026 10:00:00 GMT",
      },
    ]),
  });
  ws = await createWorkspace();
});
afterAll(async () => {
  await publisher.close();
  await ws.dispose();
});

/** Every state input and output the execution carried, as the JSON strings Step Functions would hold. */
function payloadSizes(events: readonly HistoryEvent[]): number[] {
  return events.flatMap((e) =>
    Object.values(e)
      .filter((v): v is Record<string, unknown> => typeof v === "object" && v !== null)
      .flatMap((details) => [details.input, details.output])
      .filter((v): v is string => typeof v === "string")
      .map((s) => Buffer.byteLength(s)),
  );
}

describe("a run over 1,000 clients", () => {
  // A thousand branches through the local interpreter and s3rver take minutes on a loaded 2-core machine.
  it("keeps every state's data under 200 KB, failures included", async () => {
    const clients: Record<string, unknown> = {};
    for (let i = 0; i < CLIENTS; i++) {
      const id = `client-${String(i).padStart(4, "0")}-newsletter`;
      // One in ten clients names a source the catalog lacks: a failed branch with an error and a cause.
      clients[id] = {
        client_profile: { active: true },
        source_config: { sources_extra_enabled: [i % 10 === 0 ? "missing_source" : "feed"] },
      };
    }
    await writeConfigs(
      ws.configsDir,
      { sources: [{ source_key: "feed", ingestion_mode: "rss", rss_url: publisher.url("/feed.xml") }] },
      clients,
    );
    const result = await ws.run(
      { scheduled_time: "2026-11-20T06:00:00Z", dry_run: true },
      { maxConcurrency: 40 },
    );
    expect(result.output).toMatchObject({
      status: "partial",
      totals: { clients: CLIENTS, clients_failed: CLIENTS / 10, clients_succeeded: CLIENTS - CLIENTS / 10 },
    });
    const largest = Math.max(...payloadSizes(result.history));
    console.log(`1,000 clients: largest state payload ${(largest / 1024).toFixed(1)} KB`);
    expect(largest).toBeGreaterThan(50 * 1024);
    expect(largest).toBeLessThan(PAYLOAD_BUDGET);
  }, 240_000);
});
