import { defineCommand } from "../command.ts";
import { dataDirOr } from "../data-dirs.ts";
import { formatHistoryReport, historyReport } from "../history-report.ts";
import { loadHistory } from "../history-source.ts";
import { sfnClientFor } from "../sfn-client.ts";

export const history = defineCommand({
  name: "history",
  usage: ["EXECUTION [--data DIR] [--json]"],
  description: [
    "One row per client (status, duration, retries, sources, new items, error and cause) and the run",
    'totals. EXECUTION: an execution ARN (AWS), or a local execution name, run id or "latest" (in --data,',
    "default .vectora/demo).",
  ],
  options: {
    data: { type: "string" },
    json: { type: "boolean", default: false },
  },
  positionals: { exactlyOne: "EXECUTION" },
  /** Exit status 0 when the execution succeeded or still runs, 1 when it ended otherwise. */
  async handler({ values, positionals: [execution = ""] }, io) {
    const loaded = await loadHistory(execution, {
      dataDir: dataDirOr(values.data),
      sfn: () => sfnClientFor(execution),
    });
    const report = historyReport(loaded.events, loaded.executionArn);
    io.out(values.json ? JSON.stringify(report) : formatHistoryReport(report));
    return report.status === "SUCCEEDED" || report.status === "RUNNING" ? 0 : 1;
  },
});
