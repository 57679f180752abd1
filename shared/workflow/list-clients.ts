import pLimit from "p-limit";
import * as z from "zod";
import { clientIdFromKey, parseClientConfig } from "../config/client-config.ts";
import type { Runtime } from "../lambda/runtime.ts";
import { CONFIG_PREFIXES, clientListKey } from "../store/keys.ts";
import {
  type ExecutionInput,
  makeRunId,
  parseExecutionInput,
  type Run,
  runOptions,
} from "./execution-input.ts";

/** What `List clients` passes: the raw execution input and the execution's name and start time. */
export const ListClientsEventSchema = z.object({
  input: z.unknown(),
  execution_name: z.string(),
  execution_start_time: z.string(),
});
export type ListClientsEvent = z.infer<typeof ListClientsEventSchema>;

export interface ClientsToRun {
  run: Run;
  /** Empty when the list was written to S3 for a Distributed Map (see `clients_key`). */
  clients: { client_id: string }[];
  clients_key?: string;
  /** Inactive clients of a scan, by id (ids only: the list can hold a thousand of them). */
  skipped: string[];
}

/** Reading configs is I/O-bound and small; 16 in flight keeps 1,000 clients to a few seconds. */
const CONFIG_READ_CONCURRENCY = 16;

/**
 * Resolves the run: validates the input (InvalidInput fails the execution), fixes the window end, and
 * lists the clients to ingest. Named clients run whatever their `active` flag, and a named client with no
 * config is left to fail in its own branch (ClientNotFound). A scan keeps active clients and also clients
 * whose config does not validate, so that they fail visibly instead of silently never running.
 */
export async function listClients(event: ListClientsEvent, rt: Runtime): Promise<ClientsToRun> {
  const input = parseExecutionInput(event.input);
  const run = resolveRun(event, input);
  const named = namedClients(input);
  if (named) return deliver({ run, clients: named.map((client_id) => ({ client_id })), skipped: [] }, rt);
  const { clients, skipped } = partition(await scanClients(rt));
  rt.logger.info("clients resolved", {
    run_id: run.run_id,
    clients: clients.length,
    skipped: skipped.length,
  });
  return deliver({ run, clients, skipped }, rt);
}

function resolveRun(event: ListClientsEvent, input: ExecutionInput): Run {
  const startedAt = new Date(event.execution_start_time);
  return {
    run_id: makeRunId(startedAt, event.execution_name),
    started_at: startedAt.toISOString(),
    window_end: new Date(
      input.window_end ?? input.scheduled_time ?? event.execution_start_time,
    ).toISOString(),
    options: runOptions(input),
    ...(input.run_id ? { rerun_of: input.run_id } : {}),
  };
}

/** Every client config: whether it runs (active, or not valid, so it fails visibly), in id order. */
async function scanClients(rt: Runtime): Promise<{ clientId: string; run: boolean }[]> {
  const keys = await rt.store.listKeys(rt.configBucket, CONFIG_PREFIXES.clients);
  const candidates = keys
    .map((key) => ({ key, clientId: clientIdFromKey(key) }))
    .filter((c): c is { key: string; clientId: string } => c.clientId !== null)
    .sort((a, b) => a.clientId.localeCompare(b.clientId));
  const limit = pLimit(CONFIG_READ_CONCURRENCY);
  return Promise.all(
    candidates.map(({ key, clientId }) =>
      limit(async () => {
        const stored = await rt.store.getText(rt.configBucket, key);
        if (!stored) return { clientId, run: false };
        const parsed = parseClientConfig(key, stored.text);
        return { clientId, run: !parsed.ok || parsed.config.client_profile.active };
      }),
    ),
  );
}

function partition(verdicts: readonly { clientId: string; run: boolean }[]) {
  const seen = new Set<string>();
  const clients: { client_id: string }[] = [];
  const skipped: string[] = [];
  for (const verdict of verdicts) {
    if (seen.has(verdict.clientId)) continue;
    seen.add(verdict.clientId);
    if (verdict.run) clients.push({ client_id: verdict.clientId });
    else skipped.push(verdict.clientId);
  }
  return { clients, skipped };
}

/**
 * A Distributed Map reads its items from S3, so the list goes there, even on a dry run: it is the run's
 * own input, not data.
 */
async function deliver(result: ClientsToRun, rt: Runtime): Promise<ClientsToRun> {
  if (rt.clientList === "state") return result;
  const key = clientListKey(result.run.run_id);
  await rt.store.putText(rt.dataBucket, key, clientListJsonl(result.clients), "application/x-ndjson");
  return { ...result, clients: [], clients_key: key };
}

function namedClients(input: ExecutionInput): string[] | null {
  if (input.client_id) return [input.client_id];
  if (input.client_ids) return [...new Set(input.client_ids)];
  return null;
}

/** One `{"client_id": ...}` per line: the shape a Distributed Map's ItemReader reads as JSON Lines. */
function clientListJsonl(clients: readonly { client_id: string }[]): string {
  return clients.map((c) => JSON.stringify(c)).join("\n") + (clients.length > 0 ? "\n" : "");
}
