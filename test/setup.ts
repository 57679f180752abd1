import "../shared/polyfills.ts";
