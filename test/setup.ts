import "../cli/polyfills.ts";
