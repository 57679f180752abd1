import { readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { DeleteObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { S3Store } from "../../shared/store/s3-store.ts";

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && /\.ya?ml$/i.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/**
 * Mirrors a config folder (laid out like the config bucket: clients/*.yaml,
 * canonical/sources/source_catalog.yaml) into the local config bucket. Keys no longer in the folder are
 * removed first, so a client deleted from the folder stops running.
 */
export async function uploadConfigs(
  s3: S3Client,
  store: S3Store,
  bucket: string,
  dir: string,
): Promise<string[]> {
  const files = await listFiles(dir);
  const keys = files.map((f) => relative(dir, f).split(sep).join("/"));
  const wanted = new Set(keys);
  for (const key of await store.listKeys(bucket, "")) {
    if (!wanted.has(key)) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  }
  await Promise.all(
    files.map(async (file, i) =>
      s3.send(new PutObjectCommand({ Bucket: bucket, Key: keys[i], Body: await readFile(file) })),
    ),
  );
  return keys;
}
