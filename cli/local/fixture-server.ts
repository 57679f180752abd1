import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { z } from "zod";

export const RecordingManifestSchema = z.object({
  recorded_on: z.string(),
  responses: z.array(z.object({ url: z.string().url(), file: z.string(), content_type: z.string() })),
});
export type RecordingManifest = z.infer<typeof RecordingManifestSchema>;

export interface FixtureServer {
  /** The loopback URL that serves what was recorded at `url`. */
  localUrl(url: string): string;
  /** Requests received, as "METHOD /path", for assertions. */
  requests: string[];
  close(): Promise<void>;
}

interface Route {
  body: Buffer;
  contentType: string;
  etag: string;
}

/** One loopback server per recorded host, so root-relative links in its pages resolve to it. */
function hostServer(routes: Map<string, Route>, requests: string[]): Server {
  return createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const route = routes.get(req.url ?? "");
    if (!route) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not recorded");
      return;
    }
    if (req.headers["if-none-match"] === route.etag) {
      res.writeHead(304, { etag: route.etag }).end();
      return;
    }
    res.writeHead(200, { "content-type": route.contentType, etag: route.etag }).end(route.body);
  });
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

/**
 * Serves recorded responses on loopback: each recorded host gets its own port and keeps its paths, so a
 * page's relative links (article pages, a declared feed) reach the recorded responses too. Each response
 * has an ETag, so conditional requests get 304 as from a real publisher.
 */
export async function startFixtureServer(dir: string, manifest: RecordingManifest): Promise<FixtureServer> {
  const byHost = new Map<string, Map<string, Route>>();
  for (const r of manifest.responses) {
    const body = await readFile(join(dir, r.file));
    const etag = `"${createHash("sha1").update(body).digest("hex").slice(0, 16)}"`;
    const u = new URL(r.url);
    const routes = byHost.get(u.host) ?? new Map<string, Route>();
    routes.set(`${u.pathname}${u.search}`, { body, contentType: r.content_type, etag });
    byHost.set(u.host, routes);
  }
  const requests: string[] = [];
  const servers: Server[] = [];
  const ports = new Map<string, number>();
  for (const [host, routes] of byHost) {
    const server = hostServer(routes, requests);
    servers.push(server);
    ports.set(host, await listen(server));
  }
  return {
    requests,
    localUrl(url: string) {
      const u = new URL(url);
      const port = ports.get(u.host);
      if (port === undefined) throw new Error(`${url}: no recorded response for this host`);
      return `http://127.0.0.1:${port}${u.pathname}${u.search}`;
    },
    close: async () => {
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}

export async function readManifest(dir: string): Promise<RecordingManifest> {
  return RecordingManifestSchema.parse(JSON.parse(await readFile(join(dir, "manifest.json"), "utf8")));
}
