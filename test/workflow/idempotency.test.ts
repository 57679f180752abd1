import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import yaml from "js-yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localRuntime } from "../../cli/local/run-local.ts";
import {
  LOCAL_CONFIG_BUCKET,
  LOCAL_DATA_BUCKET,
  type LocalS3,
  startLocalS3,
} from "../../cli/local/s3-server.ts";
import { createHandler } from "../../lambdas/ingest-client/handler.ts";
import { type CraftedServer, startCraftedServer } from "../http/crafted-server.ts";
import { s3Error, startS3Proxy } from "../support/s3-proxy.ts";
import { rss } from "../support/workflow.ts";

let dir: string;
let s3: LocalS3;
let server: CraftedServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "vectora-idem-"));
  s3 = await startLocalS3(dir);
  server = await startCraftedServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/rss+xml" }).end(
      rss("Feed", [
        { title: "Dated", link: "https://news.example.com/dated", pubDate: "Thu, 19 Nov 2026 10:00:00 GMT" },
        { title: "Undated", link: "https://news.example.com/undated" },
      ]),
    );
  });
});
afterAll(async () => {
  await server.close();
  await s3.close();
  await rm(dir, { recursive: true, force: true });
});

const put = (key: string, value: unknown) =>
  s3.client.send(new PutObjectCommand({ Bucket: LOCAL_CONFIG_BUCKET, Key: key, Body: yaml.dump(value) }));

describe("the ingest-client handler", () => {
  it("produces the same stored state when the same Map item is delivered twice", async () => {
    await put("canonical/sources/source_catalog.yaml", {
      sources: [{ source_key: "feed", ingestion_mode: "rss", rss_url: server.url("/feed.xml") }],
    });
    await put("clients/c.yaml", {
      client_profile: { active: true },
      source_config: { sources_extra_enabled: ["feed"] },
    });
    const now = new Date("2026-11-20T06:00:10Z");
    const rt = localRuntime(s3, { allowPrivateNetwork: true, now: () => now });
    const handler = createHandler(rt);
    const item = {
      client_id: "c",
      run_id: "20261120T060000Z-exec",
      window_end: "2026-11-20T06:00:00.000Z",
      period_days: null,
      dry_run: false,
      force_refresh: false,
      ingestion_mode: "balanced",
    };
    const snapshot = async () =>
      Promise.all(
        ["ingested/c/2026/11/20/items.json", "state/c/seen.json"].map(
          async (key) => (await rt.store.getText(LOCAL_DATA_BUCKET, key))?.text,
        ),
      );

    const first = await handler(item);
    const afterFirst = await snapshot();
    const second = await handler(item);
    const afterSecond = await snapshot();

    expect(first).toMatchObject({ status: "succeeded", items_new: 2 });
    expect(second).toMatchObject({ status: "succeeded", items_new: 0 });
    expect(afterFirst.every((text) => typeof text === "string" && text.length > 2)).toBe(true);
    expect(afterSecond).toEqual(afterFirst);
  });

  it("loses and duplicates nothing when S3 fails between the items write and the ledger write", async () => {
    await put("clients/c2.yaml", {
      client_profile: { active: true },
      source_config: { sources_extra_enabled: ["feed"] },
    });
    let failLedgerWrites = 1;
    const proxy = await startS3Proxy(s3.endpoint, (req, res) => {
      if (req.method !== "PUT" || !req.url?.includes("state/c2/seen.json") || failLedgerWrites === 0)
        return false;
      failLedgerWrites--;
      req.resume();
      s3Error(res, 500, "InternalError");
      return true;
    });
    try {
      const rt = { ...localRuntime(s3, { allowPrivateNetwork: true }), store: proxy.store() };
      const handler = createHandler(rt);
      const item = {
        client_id: "c2",
        run_id: "20261120T060000Z-exec",
        window_end: "2026-11-20T06:00:00.000Z",
        period_days: null,
        dry_run: false,
        force_refresh: false,
        ingestion_mode: "balanced",
      };
      await expect(handler(item)).rejects.toMatchObject({ name: "StoreUnavailable" });
      const itemsKey = "ingested/c2/2026/11/20/items.json";
      const afterCrash = (await rt.store.getText(LOCAL_DATA_BUCKET, itemsKey))?.text;
      expect(JSON.parse(afterCrash ?? "[]")).toHaveLength(2);
      expect(await rt.store.getText(LOCAL_DATA_BUCKET, "state/c2/seen.json")).toBeNull();

      // The state machine's retry delivers the same item again.
      await expect(handler(item)).resolves.toMatchObject({ status: "succeeded", items_new: 0 });
      expect((await rt.store.getText(LOCAL_DATA_BUCKET, itemsKey))?.text).toBe(afterCrash);
      const ledger = await rt.store.getJson(LOCAL_DATA_BUCKET, "state/c2/seen.json");
      const seen = (ledger?.value as { seen?: object } | undefined)?.seen ?? {};
      expect(Object.keys(seen)).toHaveLength(2);
    } finally {
      await proxy.close();
    }
  });

  it("refuses an item that is not a valid Map item with InvalidInput", async () => {
    const handler = createHandler(localRuntime(s3, {}));
    await expect(handler({ client_id: "c" })).rejects.toMatchObject({ name: "InvalidInput" });
  });
});
