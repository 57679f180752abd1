import { Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { createIngestApp } from "../infra/ingest-app.ts";
// biome-ignore lint: scratch
(Validations.prototype as any).acknowledge = () => {};
const { app } = createIngestApp({ context: { "aws:cdk:bundling-stacks": [] }, outdir: "/tmp/synth-out4", nagChecks: false });
const r = new AwsSolutionsChecks(app).validateScope(app);
for (const v of r.violations) console.log(v.severity, v.ruleName, v.violatingResources.map((x) => x.constructPath).join(", "));
