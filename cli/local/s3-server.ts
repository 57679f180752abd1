import { mkdir } from "node:fs/promises";
import { S3Client } from "@aws-sdk/client-s3";
import S3rver from "s3rver";

export const LOCAL_CONFIG_BUCKET = "vectora-config";
export const LOCAL_DATA_BUCKET = "vectora-data";

export interface LocalS3 {
  endpoint: string;
  client: S3Client;
  close(): Promise<void>;
}

/**
 * An S3-compatible server on loopback, storing objects under `directory`, with the config and data
 * buckets created. Paginated listings need Node's legacy OpenSSL provider (s3rver's continuation tokens
 * use DES): the npm scripts start Node with --openssl-legacy-provider.
 */
export async function startLocalS3(directory: string): Promise<LocalS3> {
  await mkdir(directory, { recursive: true });
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: LOCAL_CONFIG_BUCKET }, { name: LOCAL_DATA_BUCKET }],
  });
  const address = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  const client = new S3Client({
    endpoint,
    forcePathStyle: true,
    region: "us-east-1",
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    maxAttempts: 2,
  });
  return {
    endpoint,
    client,
    async close() {
      client.destroy();
      await server.close();
    },
  };
}
