import { formatHistoryReport, historyReport } from "../history-report.ts";
import { loadHistory } from "../history-source.ts";
import type { Io } from "../io.ts";
import { sfnClientFor } from "../sfn-client.ts";

export interface HistoryOptions {
  execution: string;
  dataDir: string;
  json: boolean;
}

/** Exit status 0 when the execution succeeded or still runs, 1 when it ended otherwise. */
export async function history(opts: HistoryOptions, io: Io): Promise<number> {
  const loaded = await loadHistory(opts.execution, {
    dataDir: opts.dataDir,
    sfn: () => sfnClientFor(opts.execution),
  });
  const report = historyReport(loaded.events, loaded.executionArn);
  io.out(opts.json ? JSON.stringify(report) : formatHistoryReport(report));
  return report.status === "SUCCEEDED" || report.status === "RUNNING" ? 0 : 1;
}
