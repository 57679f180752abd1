/**
 * Stands in for cssomnom in the Lambda bundles. linkedom parses a <style> element's CSS only when its
 * `sheet` is read, which Readability and the rest of the ingest never do; the real parser is 194 KB of the
 * ingest bundle that a cold start would load for nothing. Reading a sheet says so instead of failing later.
 */
export function parse(): never {
  throw new Error("CSS parsing is not bundled into the Lambdas (infra/bundle-stubs/cssomnom)");
}
