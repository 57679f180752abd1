/**
 * Stands in for semver in the Lambda bundles. Only aws-xray-sdk-core (under the Powertools Tracer) requires
 * it, to check the version of an AWS SDK v2 client before patching it; the Lambdas trace SDK v3 clients
 * (`captureAWSv3Client`), which never ask. The real package is 29 KB of every bundle.
 */
export function gte(): never {
  throw new Error("semver is not bundled into the Lambdas (infra/bundle-stubs/semver)");
}
