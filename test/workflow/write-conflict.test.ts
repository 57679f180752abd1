import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_DATA_BUCKET, type LocalS3, startLocalS3 } from "../../cli/local/s3-server.ts";
import { WriteConflictError } from "../../shared/errors/store-errors.ts";
import { S3Store } from "../../shared/store/s3-store.ts";
import { type S3Proxy, s3Error, startS3Proxy } from "../support/s3-proxy.ts";

/**
 * s3rver ignores If-Match on PUT, so the conflict path is driven through a proxy in front of it: on the
 * first conditional PUT of the watched key, another writer's version really lands in s3rver, and the
 * proxy answers 412 as S3 would.
 */
const asList = (v: unknown) => (Array.isArray(v) ? (v as string[]) : []);

let dir: string;
let s3: LocalS3;
let proxy: S3Proxy;
let racesLeft = 0;
const rivalWrites: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "vectora-race-"));
  s3 = await startLocalS3(dir);
  proxy = await startS3Proxy(s3.endpoint, (req, res) => {
    const conditional = req.headers["if-match"] || req.headers["if-none-match"];
    if (!(req.method === "PUT" && conditional && racesLeft > 0 && req.url?.includes("race.json")))
      return false;
    racesLeft--;
    req.resume();
    const version = `rival-${rivalWrites.length + 1}`;
    rivalWrites.push(version);
    new S3Store(s3.client)
      .updateJson(LOCAL_DATA_BUCKET, "race.json", asList, (l) => [...l, version])
      .then(() => s3Error(res, 412, "PreconditionFailed"));
    return true;
  });
});
afterAll(async () => {
  await proxy.close();
  await s3.close();
  await rm(dir, { recursive: true, force: true });
});

const storeViaProxy = () => proxy.store();

describe("merging writes that race another writer", () => {
  it("re-reads and merges when the conditional PUT is refused, so both writers' entries land", async () => {
    racesLeft = 1;
    const merged = await storeViaProxy().updateJson(LOCAL_DATA_BUCKET, "race.json", asList, (l) => [
      ...l,
      "mine",
    ]);
    expect(merged).toEqual(["rival-1", "mine"]);
    const stored = await new S3Store(s3.client).getJson(LOCAL_DATA_BUCKET, "race.json");
    expect(stored?.value).toEqual(["rival-1", "mine"]);
  });

  it("gives up with WriteConflict after its attempts rather than overwriting", async () => {
    racesLeft = 10;
    await expect(
      storeViaProxy().updateJson(LOCAL_DATA_BUCKET, "race.json", asList, (l) => [...l, "late"], {
        attempts: 3,
      }),
    ).rejects.toThrow(WriteConflictError);
    const stored = await new S3Store(s3.client).getJson(LOCAL_DATA_BUCKET, "race.json");
    expect(stored?.value).not.toContain("late");
    racesLeft = 0;
  });
});
