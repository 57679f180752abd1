import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DeleteObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import yaml from "js-yaml";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { localRuntime } from "../../cli/local/run-local.ts";
import { LOCAL_CONFIG_BUCKET, type LocalS3, startLocalS3 } from "../../cli/local/s3-server.ts";
import type { Runtime } from "../../shared/lambda/runtime.ts";
import { readRunProfiles, readSourceConfig } from "../../shared/workflow/shared-config.ts";
import { type S3Proxy, s3Error, startS3Proxy } from "../support/s3-proxy.ts";

let dir: string;
let s3: LocalS3;
let proxy: S3Proxy;
/** Requests that reached the config bucket, as "METHOD path". */
let requests: string[] = [];
let failNextCatalogRead = false;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "vectora-shared-config-"));
  s3 = await startLocalS3(dir);
  proxy = await startS3Proxy(s3.endpoint, (req, res) => {
    const path = (req.url ?? "").split("?")[0] ?? "";
    requests.push(`${req.method} ${path}${req.url?.includes("list-type=2") ? "?list" : ""}`);
    if (failNextCatalogRead && req.method === "GET" && path.endsWith("source_catalog.yaml")) {
      failNextCatalogRead = false;
      req.resume();
      s3Error(res, 500, "InternalError");
      return true;
    }
    return false;
  });
});
afterAll(async () => {
  await proxy.close();
  await s3.close();
  await rm(dir, { recursive: true, force: true });
});

const put = (key: string, value: unknown) =>
  s3.client.send(new PutObjectCommand({ Bucket: LOCAL_CONFIG_BUCKET, Key: key, Body: yaml.dump(value) }));

const catalogWith = (...keys: string[]) => ({
  sources: keys.map((source_key) => ({
    source_key,
    ingestion_mode: "rss",
    rss_url: `https://${source_key}.example/feed`,
  })),
});

let rt: Runtime;

beforeEach(async () => {
  await put("canonical/sources/source_catalog.yaml", catalogWith("alpha"));
  requests = [];
  // A store of its own per test: the reads kept for a run belong to the store they were made through.
  rt = { ...localRuntime(s3, {}), store: proxy.store() };
});

const catalogReads = () => requests.filter((r) => r.startsWith("GET") && r.endsWith("source_catalog.yaml"));

describe("the config files every client of a run reads", () => {
  it("are read once for all the branches of a run that one process serves", async () => {
    const first = await Promise.all([readSourceConfig("run-1", rt), readSourceConfig("run-1", rt)]);
    const later = await readSourceConfig("run-1", rt);
    expect([...first, later].map((c) => c.catalog.sources.map((s) => s.source_key))).toEqual([
      ["alpha"],
      ["alpha"],
      ["alpha"],
    ]);
    expect(catalogReads()).toHaveLength(1);
    // The catalog and the extractors: one request each.
    expect(requests).toHaveLength(2);
  });

  it("include the profiles, read once per run apart from the files the fetches need", async () => {
    await put("canonical/ingestion/ingestion_profiles.yaml", { profiles: {} });
    requests = [];
    const reads = await Promise.all([readRunProfiles("run-1", rt), readRunProfiles("run-1", rt)]);
    await readRunProfiles("run-1", rt);
    expect(reads[0]).toBe(reads[1]);
    // The profiles file and the listing of the scopes, once; none of the catalog or the extractors.
    expect(requests.sort()).toEqual([
      "GET /vectora-config/?list",
      "GET /vectora-config/canonical/ingestion/ingestion_profiles.yaml",
    ]);
    await s3.client.send(
      new DeleteObjectCommand({
        Bucket: LOCAL_CONFIG_BUCKET,
        Key: "canonical/ingestion/ingestion_profiles.yaml",
      }),
    );
  });

  it("are read afresh by the next run, which sees what changed in between", async () => {
    expect((await readSourceConfig("run-1", rt)).catalog.sources.map((s) => s.source_key)).toEqual(["alpha"]);
    await put("canonical/sources/source_catalog.yaml", catalogWith("alpha", "beta"));
    const next = await readSourceConfig("run-2", rt);
    expect(next.catalog.sources.map((s) => s.source_key)).toEqual(["alpha", "beta"]);
    expect(catalogReads()).toHaveLength(2);
  });

  it("are read again by the retry of a branch whose read failed", async () => {
    failNextCatalogRead = true;
    await expect(readSourceConfig("run-1", rt)).rejects.toMatchObject({ name: "StoreUnavailable" });
    const retried = await readSourceConfig("run-1", rt);
    expect(retried.catalog.sources.map((s) => s.source_key)).toEqual(["alpha"]);
    expect(catalogReads()).toHaveLength(2);
  });
});
