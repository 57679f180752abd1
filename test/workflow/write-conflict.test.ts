import { mkdtemp, rm } from "node:fs/promises";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_DATA_BUCKET, type LocalS3, startLocalS3 } from "../../cli/local/s3-server.ts";
import { S3Store, WriteConflictError } from "../../shared/s3-store.ts";

/**
 * s3rver ignores If-Match on PUT, so the conflict path is driven through a proxy in front of it: on the
 * first conditional PUT of the watched key, another writer's version really lands in s3rver, and the
 * proxy answers 412 as S3 would.
 */
let dir: string;
let s3: LocalS3;
let proxy: Server;
let proxyEndpoint: string;
let racesLeft = 0;
const rivalWrites: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "vectora-race-"));
  s3 = await startLocalS3(dir);
  const upstream = new URL(s3.endpoint);
  proxy = createServer((req, res) => {
    const conditional = req.headers["if-match"] || req.headers["if-none-match"];
    if (req.method === "PUT" && conditional && racesLeft > 0 && req.url?.includes("race.json")) {
      racesLeft--;
      req.resume();
      const rival = new S3Store(s3.client);
      const version = `rival-${rivalWrites.length + 1}`;
      rivalWrites.push(version);
      rival
        .updateJson(
          LOCAL_DATA_BUCKET,
          "race.json",
          (v) => (Array.isArray(v) ? (v as string[]) : []),
          (l) => [...l, version],
        )
        .then(() =>
          res
            .writeHead(412, { "content-type": "application/xml" })
            .end(
              "<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>",
            ),
        );
      return;
    }
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  proxyEndpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  proxy.closeAllConnections();
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
  await s3.close();
  await rm(dir, { recursive: true, force: true });
});

function storeViaProxy(): S3Store {
  return new S3Store(
    new S3Client({
      endpoint: proxyEndpoint,
      forcePathStyle: true,
      region: "us-east-1",
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
      maxAttempts: 1,
    }),
  );
}

const asList = (v: unknown) => (Array.isArray(v) ? (v as string[]) : []);

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
      storeViaProxy().updateJson(LOCAL_DATA_BUCKET, "race.json", asList, (l) => [...l, "late"], 3),
    ).rejects.toThrow(WriteConflictError);
    const stored = await new S3Store(s3.client).getJson(LOCAL_DATA_BUCKET, "race.json");
    expect(stored?.value).not.toContain("late");
    racesLeft = 0;
  });
});
