import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import yaml from "js-yaml";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { localRuntime } from "../../cli/local/run-local.ts";
import { LOCAL_CONFIG_BUCKET, type LocalS3, startLocalS3 } from "../../cli/local/s3-server.ts";
import type { Runtime } from "../../shared/lambda/runtime.ts";
import type { IngestItem } from "../../shared/workflow/execution-input.ts";
import { ingestClient } from "../../shared/workflow/ingest-client.ts";
import { type CraftedServer, startCraftedServer } from "../http/crafted-server.ts";
import { forward, type S3Proxy, s3Error, startS3Proxy } from "../support/s3-proxy.ts";
import { rss } from "../support/workflow.ts";

/**
 * The order of a client's reads, seen from a proxy in front of s3rver that holds the reads of the ledger,
 * the day's items and the profiles until the publisher has been asked for the feed (or for 3 s): a client
 * that read them before fetching would wait the 3 s out.
 */
const HOLD_MS = 3_000;
const HELD = /\/(seen\.json|items\.json|ingestion_profiles\.yaml)$/;

let dir: string;
let s3: LocalS3;
let proxy: S3Proxy;
let publisher: CraftedServer;
let feedRequested: () => void = () => undefined;
let feedAsked: Promise<void>;
/** Each held read and what let it through. */
let held: { path: string; releasedBy: "feed request" | "timeout" }[] = [];
let failLedgerRead = false;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "vectora-read-order-"));
  s3 = await startLocalS3(dir);
  proxy = await startS3Proxy(s3.endpoint, (req, res) => {
    const path = (req.url ?? "").split("?")[0] ?? "";
    if (req.method !== "GET" || !HELD.test(path)) return false;
    const timeout = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), HOLD_MS));
    Promise.race([feedAsked.then(() => "feed request" as const), timeout]).then((releasedBy) => {
      held.push({ path, releasedBy });
      if (failLedgerRead && path.endsWith("seen.json")) s3Error(res, 500, "InternalError");
      else forward(s3.endpoint, req, res);
    });
    return true;
  });
  publisher = await startCraftedServer((_req, res) => {
    feedRequested();
    res.writeHead(200, { "content-type": "application/rss+xml" }).end(
      rss("Wire", [
        {
          title: "Depot data",
          link: "https://news.example.com/1",
          pubDate: "Thu, 19 Nov 2026 10:00:00 GMT",
        },
      ]),
    );
  });
  const put = (key: string, value: unknown) =>
    s3.client.send(new PutObjectCommand({ Bucket: LOCAL_CONFIG_BUCKET, Key: key, Body: yaml.dump(value) }));
  await put("canonical/sources/source_catalog.yaml", {
    sources: [{ source_key: "wire", ingestion_mode: "rss", rss_url: publisher.url("/feed.xml") }],
  });
  await put("canonical/ingestion/ingestion_profiles.yaml", { profiles: {} });
  for (const client of ["acme", "beta"]) {
    await put(`clients/${client}.yaml`, {
      client_profile: { active: true },
      source_config: { sources_extra_enabled: ["wire"] },
    });
  }
});
afterAll(async () => {
  await publisher.close();
  await proxy.close();
  await s3.close();
  await rm(dir, { recursive: true, force: true });
});

let rt: Runtime;
let runs = 0;

beforeEach(() => {
  held = [];
  feedAsked = new Promise((resolve) => {
    feedRequested = resolve;
  });
  rt = { ...localRuntime(s3, { allowPrivateNetwork: true }), store: proxy.store() };
});

const item = (clientId: string): IngestItem => ({
  client_id: clientId,
  run_id: `run-${++runs}`,
  window_end: "2026-11-20T06:00:00Z",
  period_days: 7,
  dry_run: false,
  force_refresh: true,
  ingestion_mode: "balanced",
});

describe("a client's reads", () => {
  it("leave the ledger, the day's items and the profiles to be read while the sources are fetched", async () => {
    const result = await ingestClient(item("acme"), rt);
    expect(result.items_new).toBe(1);
    expect(held.map((h) => h.path.split("/").at(-1)).sort()).toEqual([
      "ingestion_profiles.yaml",
      "items.json",
      "seen.json",
    ]);
    expect(held.every((h) => h.releasedBy === "feed request")).toBe(true);
  });

  it("fail the client, and store nothing, when a read made during the fetches fails", async () => {
    failLedgerRead = true;
    try {
      await expect(ingestClient(item("beta"), rt)).rejects.toMatchObject({ name: "StoreUnavailable" });
    } finally {
      failLedgerRead = false;
    }
    expect(await rt.store.listKeys(rt.dataBucket, "ingested/beta/")).toEqual([]);
    expect(await rt.store.listKeys(rt.dataBucket, "state/beta/")).toEqual([]);
  });
});
