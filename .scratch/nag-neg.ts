import * as s3 from "aws-cdk-lib/aws-s3";
import { createIngestApp } from "../infra/ingest-app.ts";
const { app, stack } = createIngestApp({ context: { "aws:cdk:bundling-stacks": [] }, outdir: "/tmp/synth-out3" });
new s3.Bucket(stack, "Bare");
try { app.synth(); console.log("no throw"); } catch (e) { console.log("THROWN:", (e as Error).name, (e as Error).message.slice(0, 3000)); }
