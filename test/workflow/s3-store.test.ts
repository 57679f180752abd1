import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import pLimit from "p-limit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localRuntime } from "../../cli/local/run-local.ts";
import {
  LOCAL_CONFIG_BUCKET,
  LOCAL_DATA_BUCKET,
  type LocalS3,
  startLocalS3,
} from "../../cli/local/s3-server.ts";
import { StoreUnavailableError } from "../../shared/errors/store-errors.ts";
import { listClients } from "../../shared/workflow/list-clients.ts";

let dir: string;
let s3: LocalS3;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "vectora-s3-"));
  s3 = await startLocalS3(dir);
});
afterAll(async () => {
  await s3.close();
  await rm(dir, { recursive: true, force: true });
});

describe("the S3 store against an S3-compatible server", () => {
  it("lists every key under a prefix across pages", async () => {
    const rt = localRuntime(s3, {});
    const keys = Array.from({ length: 7 }, (_, i) => `pages/k${i}.json`);
    for (const key of keys) await rt.store.putJson(LOCAL_DATA_BUCKET, key, { key });
    expect((await rt.store.listKeys(LOCAL_DATA_BUCKET, "pages/", 3)).sort()).toEqual(keys);
  });

  it("round-trips JSON and answers null for a missing key", async () => {
    const rt = localRuntime(s3, {});
    await rt.store.putJson(LOCAL_DATA_BUCKET, "rt/a.json", { é: "ü", n: 1 });
    expect((await rt.store.getJson(LOCAL_DATA_BUCKET, "rt/a.json"))?.value).toEqual({ é: "ü", n: 1 });
    expect(await rt.store.getJson(LOCAL_DATA_BUCKET, "rt/missing.json")).toBeNull();
  });

  it("reports a bucket that does not exist as StoreUnavailable naming the object", async () => {
    const rt = localRuntime(s3, {});
    await expect(rt.store.putJson("no-such-bucket", "x.json", {})).rejects.toThrow(StoreUnavailableError);
    await expect(rt.store.putJson("no-such-bucket", "x.json", {})).rejects.toThrow(
      "s3://no-such-bucket/x.json",
    );
  });

  it("lists active clients and invalid configs, skips inactive ones, across listing pages", async () => {
    const rt = localRuntime(s3, {});
    const put = (key: string, body: string) =>
      s3.client.send(new PutObjectCommand({ Bucket: LOCAL_CONFIG_BUCKET, Key: key, Body: body }));
    const limit = pLimit(16);
    await Promise.all(
      Array.from({ length: 1005 }, (_, i) =>
        limit(() =>
          put(`clients/c${String(i).padStart(4, "0")}.yaml`, `client_profile:\n  active: ${i % 2 === 0}\n`),
        ),
      ),
    );
    await put("clients/broken.yaml", "client_profile: [\n");
    await put("clients/notes.txt", "not a config");
    const result = await listClients(
      { input: {}, execution_name: "exec-1", execution_start_time: "2026-11-20T06:00:00.000Z" },
      rt,
    );
    expect(result.clients).toHaveLength(503 + 1);
    expect(result.clients[0]).toEqual({ client_id: "broken" });
    expect(result.skipped).toHaveLength(502);
    expect(result.run).toMatchObject({
      run_id: "20261120T060000Z-exec-1",
      window_end: "2026-11-20T06:00:00.000Z",
      options: { period_days: null, dry_run: false, force_refresh: false, ingestion_mode: "balanced" },
    });
  });
});
