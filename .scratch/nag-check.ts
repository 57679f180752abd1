import { AwsSolutionsChecks } from "/work/main/node_modules/cdk-nag/lib/index.js";
import { createIngestApp } from "/work/main/infra/ingest-app.ts";
const { app } = createIngestApp({ context: { "aws:cdk:bundling-stacks": [] }, outdir: "/tmp/synth-out2", nagChecks: false });
const r = new AwsSolutionsChecks(app).validateScope(app);
console.log(JSON.stringify(r, null, 1).slice(0, 5000));
