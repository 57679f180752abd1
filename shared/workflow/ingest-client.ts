import { resolveSources } from "../config/resolve-sources.ts";
import type { Runtime } from "../lambda/runtime.ts";
import { clientConfigKey } from "../store/keys.ts";
import { readClientInputs } from "./client-inputs.ts";
import {
  type ClientResult,
  clientResult,
  failIfAllSourcesFailed,
  sourceReports,
  writeClientReport,
} from "./client-report.ts";
import type { IngestItem } from "./execution-input.ts";
import { fetchSources } from "./fetch-sources.ts";
import { periodWindow } from "./item-filters.ts";
import { selectItems } from "./select-items.ts";
import { sourceAttempts, storeDelivery } from "./store-delivery.ts";

export type { ClientResult } from "./client-report.ts";

/**
 * Ingest one client: read its config and state, fetch all its sources, keep the items of the window that
 * were never delivered before, store them (items, ledger, state, in that order), and report.
 */
export async function ingestClient(item: IngestItem, runtime: Runtime): Promise<ClientResult> {
  const rt: Runtime = {
    ...runtime,
    logger: runtime.logger.createChild({
      persistentKeys: { run_id: item.run_id, client_id: item.client_id },
    }),
  };
  const started = rt.now().getTime();
  const reads = await readClientInputs(item, rt);
  const { config, catalog, extractors } = reads.fetching;
  const resolved = resolveSources(clientConfigKey(item.client_id), config, catalog, extractors);
  const window = periodWindow(item.window_end, item.period_days ?? config.pipeline.default_period_days);
  const results = await fetchSources(resolved, item, reads, window, rt);
  const inputs = await reads.all;
  const now = rt.now();
  const selection = selectItems(results, item, inputs.config, inputs.ledger, now, window, inputs.profiles);
  const attempts = sourceAttempts(results, selection);
  const delivery = await storeDelivery(item, selection, attempts, inputs, now, rt);
  const reports = sourceReports(results, delivery.state, selection);
  const durationMs = rt.now().getTime() - started;
  const result = clientResult(item, inputs.config, selection, reports, delivery.added, durationMs);
  await writeClientReport(item, window, resolved, selection, reports, result, rt);
  rt.logger.info("client ingested", { ...result });
  failIfAllSourcesFailed(item.client_id, reports);
  return result;
}
