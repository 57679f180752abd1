import { defineCommand } from "../command.ts";
import { dataDirOr } from "../data-dirs.ts";
import { runDemo } from "../local/demo.ts";
import { printRunResult, progressLines } from "../local/run-report.ts";

export const demo = defineCommand({
  name: "demo",
  usage: ["[--data DIR] [--json]"],
  description: ["Run the bundled example clients over recorded feeds and pages, offline."],
  options: {
    data: { type: "string" },
    json: { type: "boolean", default: false },
  },
  positionals: "none",
  async handler({ values }, io) {
    const dataDir = dataDirOr(values.data);
    const result = await runDemo(dataDir, { onClientDone: progressLines(io, values.json) });
    return printRunResult(result, values.json, dataDir, io);
  },
});
