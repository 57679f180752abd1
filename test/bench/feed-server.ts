import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A publisher on loopback: one listener per address 127.0.0.1 ... 127.0.0.N (all loopback on Linux), so
 * sources spread over N distinct hosts and the fetcher's per-host politeness limit does not serialize them.
 * Every response waits `latencyMs` before its headers, like a distant server's time to first byte.
 */
export interface FeedServer {
  /** URL of `path` on host number `host` (0-based; wraps around the listeners). */
  url(host: number, path: string): string;
  readonly hosts: number;
  readonly requests: number;
  readonly maxInFlight: number;
  readonly bytesServed: number;
  close(): Promise<void>;
}

export interface FeedServerOptions {
  hosts: number;
  latencyMs: number;
  /** The body served at a path, or undefined for a 404. */
  body(path: string): string | undefined;
}

export async function startFeedServer(opts: FeedServerOptions): Promise<FeedServer> {
  let requests = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let bytesServed = 0;
  const bodies = new Map<string, Buffer | null>();
  const bodyOf = (path: string): Buffer | null => {
    let body = bodies.get(path);
    if (body === undefined) {
      const text = opts.body(path);
      body = text === undefined ? null : Buffer.from(text, "utf8");
      bodies.set(path, body);
    }
    return body;
  };

  const handle = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    requests++;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.once("close", () => {
      inFlight--;
    });
    const body = bodyOf(req.url ?? "/");
    setTimeout(() => {
      if (res.destroyed) return;
      if (body === null) {
        res.writeHead(404, { "content-type": "text/plain" }).end("no such feed");
        return;
      }
      bytesServed += body.length;
      res
        .writeHead(200, {
          "content-type": "application/rss+xml; charset=utf-8",
          "content-length": String(body.length),
          "last-modified": new Date(0).toUTCString(),
        })
        .end(body);
    }, opts.latencyMs);
  };

  const servers: http.Server[] = [];
  const origins: string[] = [];
  try {
    for (let i = 0; i < opts.hosts; i++) {
      const address = `127.0.0.${i + 1}`;
      const server = http.createServer(handle);
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, address, () => resolve());
      });
      origins.push(`http://${address}:${(server.address() as AddressInfo).port}`);
    }
  } catch (err) {
    for (const server of servers) server.close();
    throw err;
  }

  return {
    url: (host, path) => `${origins[host % origins.length]}${path}`,
    hosts: opts.hosts,
    get requests() {
      return requests;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    get bytesServed() {
      return bytesServed;
    },
    close: () =>
      Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      ).then(() => undefined),
  };
}
