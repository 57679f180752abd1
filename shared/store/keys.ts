/**
 * The layout of both buckets: the only module where a key prefix is spelled. The config bucket keeps the
 * layout of the system this project replaces, so an existing bucket works as it is; the data bucket's
 * `ingested/` layout is what the downstream stage reads. infra/ grants IAM access by these prefixes.
 */

/** Config bucket: `clients/{client_id}.yaml` and the shared `canonical/` files. */
export const CONFIG_PREFIXES = { clients: "clients/", canonical: "canonical/" } as const;

export const CATALOG_KEY = `${CONFIG_PREFIXES.canonical}sources/source_catalog.yaml`;
export const HTML_EXTRACTORS_KEY = `${CONFIG_PREFIXES.canonical}sources/html_extractors.yaml`;
export const INGESTION_PROFILES_KEY = `${CONFIG_PREFIXES.canonical}ingestion/ingestion_profiles.yaml`;
export const SCOPES_PREFIX = `${CONFIG_PREFIXES.canonical}scopes/`;

export function clientConfigKey(clientId: string): string {
  return `${CONFIG_PREFIXES.clients}${clientId}.yaml`;
}

/** Data bucket: delivered items, per-client state, per-run reports. */
export const DATA_PREFIXES = { ingested: "ingested/", state: "state/", runs: "runs/" } as const;

/** `ingested/{client_id}/{YYYY}/{MM}/{DD}/items.json`, dated by the run's window end (UTC). */
export function dailyItemsKey(clientId: string, windowEnd: string): string {
  const [year, month, day] = new Date(windowEnd).toISOString().slice(0, 10).split("-");
  return `${clientItemsPrefix(clientId)}${year}/${month}/${day}/items.json`;
}

export function clientItemsPrefix(clientId: string): string {
  return `${DATA_PREFIXES.ingested}${clientId}/`;
}

export function sourcesStateKey(clientId: string): string {
  return `${DATA_PREFIXES.state}${clientId}/sources.json`;
}

export function seenLedgerKey(clientId: string): string {
  return `${DATA_PREFIXES.state}${clientId}/seen.json`;
}

export function runSummaryKey(runId: string): string {
  return `${DATA_PREFIXES.runs}${runId}/summary.json`;
}

/** Where list-clients writes the run's clients, one `{"client_id": ...}` per line, for a Distributed Map. */
export function clientListKey(runId: string): string {
  return `${DATA_PREFIXES.runs}${runId}/clients.jsonl`;
}

export function clientReportsPrefix(runId: string): string {
  return `${DATA_PREFIXES.runs}${runId}/clients/`;
}

export function clientReportKey(runId: string, clientId: string): string {
  return `${clientReportsPrefix(runId)}${clientId}.json`;
}

/** The run a client's report belongs to, or null when the key is not one of that client's reports. */
export function runIdOfClientReport(key: string, clientId: string): string | null {
  const suffix = `/clients/${clientId}.json`;
  if (!key.startsWith(DATA_PREFIXES.runs) || !key.endsWith(suffix)) return null;
  const runId = key.slice(DATA_PREFIXES.runs.length, -suffix.length);
  return runId.length > 0 && !runId.includes("/") ? runId : null;
}
