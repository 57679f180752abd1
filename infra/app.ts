import { createIngestApp } from "./ingest-app.ts";

createIngestApp().app.synth();
