import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { S3Client } from "@aws-sdk/client-s3";
import { S3Store } from "../../shared/store/s3-store.ts";

/**
 * A loopback proxy in front of s3rver for the faults s3rver cannot produce (a 412 on a conditional PUT, a
 * 500 on one write): `intercept` may answer a request itself; everything else reaches s3rver unchanged.
 */
export interface S3Proxy {
  endpoint: string;
  /** An S3Store whose requests go through the proxy. */
  store(): S3Store;
  close(): Promise<void>;
}

export type Intercept = (req: IncomingMessage, res: ServerResponse) => boolean;

/** Passes a request to s3rver and its answer back: what the proxy does with any request not intercepted. */
export function forward(upstreamEndpoint: string, req: IncomingMessage, res: ServerResponse): void {
  const upstream = new URL(upstreamEndpoint);
  const passed = request(
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
  req.pipe(passed);
}

export async function startS3Proxy(upstreamEndpoint: string, intercept: Intercept): Promise<S3Proxy> {
  const server: Server = createServer((req, res) => {
    if (!intercept(req, res)) forward(upstreamEndpoint, req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    store: () =>
      new S3Store(
        new S3Client({
          endpoint,
          forcePathStyle: true,
          region: "us-east-1",
          credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
          maxAttempts: 1,
        }),
      ),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers as S3 does when it refuses a request. */
export function s3Error(res: ServerResponse, status: number, code: string): void {
  res
    .writeHead(status, { "content-type": "application/xml" })
    .end(`<Error><Code>${code}</Code><Message>${code}</Message></Error>`);
}
