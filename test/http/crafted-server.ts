import http from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
}

/** What the server saw of one response: how much it wrote and whether the client hung up first. */
export interface ResponseTrace {
  path: string;
  /** Bytes the connection had written when the response closed (headers included). */
  bytesWritten: number;
  finished: boolean;
  /** Resolves when the response's connection is closed, by either side. */
  closed: Promise<void>;
}

export type CraftedHandler = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  server: CraftedServer,
) => void | Promise<void>;

export interface CraftedServer {
  readonly origin: string;
  readonly port: number;
  url(path: string): string;
  readonly requests: RecordedRequest[];
  readonly traces: ResponseTrace[];
  /** Requests the server has seen for one path (query string included). */
  count(path: string): number;
  /** Highest number of requests being answered at the same time. */
  readonly maxInFlight: number;
  close(): Promise<void>;
}

/**
 * A loopback HTTP server on 127.0.0.1 and an ephemeral port, answering with a test-supplied handler
 * and recording what it received.
 */
export async function startCraftedServer(handler: CraftedHandler): Promise<CraftedServer> {
  const requests: RecordedRequest[] = [];
  const traces: ResponseTrace[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  const crafted: CraftedServer = {
    origin,
    port,
    url: (path) => `${origin}${path}`,
    requests,
    traces,
    count: (path) => requests.filter((r) => r.path === path).length,
    get maxInFlight() {
      return maxInFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    const path = req.url ?? "/";
    requests.push({ method: req.method ?? "GET", path, headers: req.headers });
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const trace: ResponseTrace = {
      path,
      bytesWritten: 0,
      finished: false,
      closed: new Promise<void>((resolve) => res.once("close", () => resolve())),
    };
    traces.push(trace);
    res.once("finish", () => {
      trace.finished = true;
    });
    const socket = req.socket;
    res.once("close", () => {
      inFlight -= 1;
      trace.bytesWritten = socket.bytesWritten;
    });
    Promise.resolve(handler(req, res, crafted)).catch((err: unknown) => {
      res.destroy(err instanceof Error ? err : new Error(String(err)));
    });
  });
  return crafted;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Writes `totalBytes` in chunks, respecting backpressure, and stops as soon as the client goes away.
 * Resolves with whether the whole body was sent.
 */
export async function streamBody(
  res: http.ServerResponse,
  totalBytes: number,
  chunkBytes = 16 * 1024,
): Promise<boolean> {
  const chunk = Buffer.alloc(chunkBytes, 0x61);
  let sent = 0;
  while (sent < totalBytes) {
    if (res.destroyed) return false;
    const ok = res.write(chunk);
    sent += chunk.length;
    if (!ok) {
      const drained = await new Promise<boolean>((resolve) => {
        const onDrain = () => {
          res.off("close", onClose);
          resolve(true);
        };
        const onClose = () => {
          res.off("drain", onDrain);
          resolve(false);
        };
        res.once("drain", onDrain);
        res.once("close", onClose);
      });
      if (!drained) return false;
    }
  }
  res.end();
  return true;
}
