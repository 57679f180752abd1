import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import yaml from "js-yaml";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { type JSONValue, type LocalRunOptions, localRuntime, runLocal } from "../../cli/local/run-local.ts";
import { LOCAL_DATA_BUCKET, startLocalS3 } from "../../cli/local/s3-server.ts";
import { storedItems } from "../../cli/local/stored-items.ts";
import type { Item } from "../../shared/store/item.ts";
import { type CraftedServer, startCraftedServer } from "../http/crafted-server.ts";

export interface Route {
  status: number;
  body: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

/** A loopback publisher whose responses a test sets per path. */
export interface Publisher {
  server: CraftedServer;
  routes: Map<string, Route>;
  url(path: string): string;
  close(): Promise<void>;
}

export async function startPublisher(): Promise<Publisher> {
  const routes = new Map<string, Route>();
  const server = await startCraftedServer((req, res) => {
    const route = routes.get(req.url ?? "");
    if (!route) {
      res.writeHead(404, { "content-type": "text/plain" }).end("no such page");
      return;
    }
    const etag = route.headers?.etag;
    if (etag && req.headers["if-none-match"] === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    res
      .writeHead(route.status, {
        "content-type": route.contentType ?? "application/rss+xml",
        ...route.headers,
      })
      .end(route.body);
  });
  return { server, routes, url: (p) => server.url(p), close: () => server.close() };
}

export interface RssItem {
  title: string;
  link: string;
  pubDate?: string;
  description?: string;
}

export function rss(title: string, items: RssItem[]): string {
  const entries = items
    .map(
      (i) =>
        `<item><title>${i.title}</title><link>${i.link}</link>` +
        (i.pubDate ? `<pubDate>${i.pubDate}</pubDate>` : "") +
        `<description>${i.description ?? `${i.title} — a story long enough to pass the filters.`}</description></item>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${title}</title><link>https://example.com/</link>${entries}</channel></rss>`;
}

/** A config folder laid out like the config bucket, written from objects. */
export async function writeConfigs(
  dir: string,
  catalog: unknown,
  clients: Record<string, unknown>,
  rawClients: Record<string, string> = {},
): Promise<void> {
  const write = async (key: string, text: string) => {
    const file = join(dir, ...key.split("/"));
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text);
  };
  await write("canonical/sources/source_catalog.yaml", yaml.dump(catalog));
  for (const [id, config] of Object.entries(clients)) await write(`clients/${id}.yaml`, yaml.dump(config));
  for (const [id, text] of Object.entries(rawClients)) await write(`clients/${id}.yaml`, text);
}

export interface Workspace {
  root: string;
  configsDir: string;
  dataDir: string;
  run(input: JSONValue, extra?: Partial<LocalRunOptions>): ReturnType<typeof runLocal>;
  items(clientId: string): Promise<Item[]>;
  /** Every key in the local data bucket. */
  dataKeys(): Promise<string[]>;
  /** A JSON object of the local data bucket, or null. */
  readJson(key: string): Promise<unknown>;
  dispose(): Promise<void>;
}

export async function createWorkspace(): Promise<Workspace> {
  const root = await mkdtemp(join(tmpdir(), "vectora-wf-"));
  const configsDir = join(root, "configs");
  const dataDir = join(root, "data");
  await mkdir(configsDir, { recursive: true });
  const withS3 = async <T>(fn: (rt: ReturnType<typeof localRuntime>) => Promise<T>): Promise<T> => {
    const s3 = await startLocalS3(join(dataDir, "s3"));
    try {
      return await fn(localRuntime(s3, {}));
    } finally {
      await s3.close();
    }
  };
  return {
    root,
    configsDir,
    dataDir,
    run: (input, extra = {}) =>
      runLocal({
        configsDir,
        dataDir,
        input,
        allowPrivateNetwork: true,
        retryIntervalMs: 1,
        fetchPolicy: {
          timeoutMs: 5_000,
          retry: { retries: 1, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 100 },
        },
        ...extra,
      }),
    items: (clientId) => withS3((rt) => storedItems(rt.store, LOCAL_DATA_BUCKET, clientId)),
    dataKeys: () => withS3((rt) => rt.store.listKeys(LOCAL_DATA_BUCKET, "")),
    readJson: (key) => withS3(async (rt) => (await rt.store.getJson(LOCAL_DATA_BUCKET, key))?.value ?? null),
    dispose: () => rm(root, { recursive: true, force: true }),
  };
}

/**
 * A loopback publisher for the whole test file and a fresh workspace for each test, registered as vitest
 * hooks. Routes and recorded requests are cleared before each test; a file's own beforeEach runs after.
 */
export function useWorkflowFixtures(): { readonly publisher: Publisher; readonly ws: Workspace } {
  let publisher: Publisher | undefined;
  let ws: Workspace | undefined;
  beforeAll(async () => {
    publisher = await startPublisher();
  });
  afterAll(async () => {
    await publisher?.close();
  });
  beforeEach(async () => {
    ws = await createWorkspace();
    publisher?.routes.clear();
    if (publisher) publisher.server.requests.length = 0;
  });
  afterEach(async () => {
    await ws?.dispose();
  });
  const ready = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`${name} is only available inside a test`);
    return value;
  };
  return {
    get publisher() {
      return ready(publisher, "publisher");
    },
    get ws() {
      return ready(ws, "ws");
    },
  };
}
