import * as iam from "aws-cdk-lib/aws-iam";
import type * as s3 from "aws-cdk-lib/aws-s3";

/**
 * Explicit S3 statements instead of `bucket.grantRead/grantReadWrite`, which add wildcard actions
 * (s3:GetObject*, s3:List*) and s3:DeleteObject*. Prefixes end with "/" ("clients/").
 */

/** s3:GetObject on `prefix*` of each prefix. */
export function readObjects(bucket: s3.IBucket, prefixes: readonly string[]): iam.PolicyStatement {
  return new iam.PolicyStatement({
    actions: ["s3:GetObject"],
    resources: prefixes.map((prefix) => bucket.arnForObjects(`${prefix}*`)),
  });
}

/** s3:PutObject on `prefix*` of each prefix. No delete: objects are merged and rewritten, never removed. */
export function writeObjects(bucket: s3.IBucket, prefixes: readonly string[]): iam.PolicyStatement {
  return new iam.PolicyStatement({
    actions: ["s3:PutObject"],
    resources: prefixes.map((prefix) => bucket.arnForObjects(`${prefix}*`)),
  });
}

/**
 * s3:ListBucket on the bucket, either limited to listing under some prefixes or not.
 *
 * A reader of keys that may not exist yet (state files before the first run, a named client without
 * a config) needs it unconditioned: S3 answers a GetObject on a missing key with 404 NoSuchKey only
 * when the caller may list the bucket, and with 403 AccessDenied otherwise, which the store would take
 * for an outage. That check is not documented to honour an s3:prefix condition, so those readers get
 * the permission without one.
 */
export function listBucket(bucket: s3.IBucket, prefixes?: readonly string[]): iam.PolicyStatement {
  return new iam.PolicyStatement({
    actions: ["s3:ListBucket"],
    resources: [bucket.bucketArn],
    ...(prefixes
      ? { conditions: { StringLike: { "s3:prefix": prefixes.map((prefix) => `${prefix}*`) } } }
      : {}),
  });
}
