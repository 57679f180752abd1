import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { z } from "zod";

export const RecordingManifestSchema = z.object({
  /** The instant the responses were recorded: the demo's window ends there, so it replays that day. */
  recorded_on: z.iso.datetime(),
  responses: z.array(z.object({ url: z.url(), file: z.string(), content_type: z.string() })),
});
export type RecordingManifest = z.infer<typeof RecordingManifestSchema>;

export interface FixtureServer {
  /** The loopback URL that serves what was recorded at `url`. */
  localUrl(url: string): string;
  /** Requests received, as "METHOD /path", for assertions. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * Serves recorded responses on loopback, each at `/{host}{path}` of its original URL, with an ETag so that
 * conditional requests get 304 as from a real publisher.
 */
export async function startFixtureServer(dir: string, manifest: RecordingManifest): Promise<FixtureServer> {
  const routes = new Map<string, { body: Buffer; contentType: string; etag: string }>();
  for (const r of manifest.responses) {
    const body = await readFile(join(dir, r.file));
    const etag = `"${createHash("sha1").update(body).digest("hex").slice(0, 16)}"`;
    const u = new URL(r.url);
    routes.set(`/${u.host}${u.pathname}${u.search}`, { body, contentType: r.content_type, etag });
  }
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
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
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    requests,
    localUrl(url: string) {
      const u = new URL(url);
      return `http://127.0.0.1:${port}/${u.host}${u.pathname}${u.search}`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function readManifest(dir: string): Promise<RecordingManifest> {
  return RecordingManifestSchema.parse(JSON.parse(await readFile(join(dir, "manifest.json"), "utf8")));
}
