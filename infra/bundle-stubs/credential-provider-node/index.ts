import { fromEnv } from "@aws-sdk/credential-provider-env";

/**
 * Stands in for @aws-sdk/credential-provider-node, the SDK's default credential chain, in the Lambda
 * bundles. Lambda hands a function its role's credentials in environment variables, the first link of
 * that chain; the other links (SSO, shared ini files, web identity, the instance metadata service) and
 * the STS and SSO clients they bring are 100 KB of every bundle that a cold start would load for nothing.
 * The local runner and the CLI give their clients credentials of their own and are not bundled.
 */
export function defaultProvider(init: Parameters<typeof fromEnv>[0] = {}): ReturnType<typeof fromEnv> {
  return fromEnv(init);
}
