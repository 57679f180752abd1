import {
  GetObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  NoSuchKey,
  PutObjectCommand,
  type PutObjectCommandInput,
  type S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { StoredDataInvalidError, StoreUnavailableError, WriteConflictError } from "../errors/store-errors.ts";

export interface StoredText {
  text: string;
  etag: string | null;
}

export interface WriteCondition {
  ifMatch?: string | null;
  ifNoneMatch?: "*";
}

function isNotFound(err: unknown): boolean {
  return (
    err instanceof NoSuchKey ||
    (err instanceof S3ServiceException && (err.name === "NoSuchKey" || err.$metadata.httpStatusCode === 404))
  );
}

function isPreconditionFailed(err: unknown): boolean {
  return (
    err instanceof S3ServiceException &&
    (err.name === "PreconditionFailed" ||
      err.name === "ConditionalRequestConflict" ||
      err.$metadata.httpStatusCode === 412 ||
      err.$metadata.httpStatusCode === 409)
  );
}

function unavailable(op: string, bucket: string, key: string, err: unknown): StoreUnavailableError {
  const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return new StoreUnavailableError(`S3 ${op} s3://${bucket}/${key} failed: ${reason}`, { cause: err });
}

function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The only module that talks to S3: every failure leaves as StoreUnavailable naming the object. */
export class S3Store {
  constructor(readonly s3: S3Client) {}

  async getText(bucket: string, key: string): Promise<StoredText | null> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const text = (await out.Body?.transformToString("utf-8")) ?? "";
      return { text, etag: out.ETag ?? null };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw unavailable("GetObject", bucket, key, err);
    }
  }

  async getJson(bucket: string, key: string): Promise<{ value: unknown; etag: string | null } | null> {
    const stored = await this.getText(bucket, key);
    if (!stored) return null;
    try {
      return { value: JSON.parse(stored.text), etag: stored.etag };
    } catch (err) {
      throw new StoredDataInvalidError(`s3://${bucket}/${key} is not valid JSON: ${(err as Error).message}`);
    }
  }

  /**
   * Writes JSON. `ifMatch` (an ETag) or `ifNoneMatch: "*"` make it a conditional write, so two writers
   * merging the same object can't silently drop each other's items.
   */
  async putJson(bucket: string, key: string, value: unknown, condition: WriteCondition = {}): Promise<void> {
    await this.putText(bucket, key, `${JSON.stringify(value, null, 2)}\n`, "application/json", condition);
  }

  async putText(
    bucket: string,
    key: string,
    body: string,
    contentType: string,
    condition: WriteCondition = {},
  ): Promise<void> {
    const input: PutObjectCommandInput = {
      Bucket: bucket,
      Key: key,
      Body: body,
      ContentType: `${contentType}; charset=utf-8`,
    };
    if (condition.ifMatch) input.IfMatch = condition.ifMatch;
    else if (condition.ifNoneMatch) input.IfNoneMatch = condition.ifNoneMatch;
    try {
      await this.s3.send(new PutObjectCommand(input));
    } catch (err) {
      if (isPreconditionFailed(err))
        throw new WriteConflictError(`s3://${bucket}/${key} changed while merging`);
      throw unavailable("PutObject", bucket, key, err);
    }
  }

  /**
   * Read-modify-write with a conditional PUT: when another writer got there first, read again and re-apply
   * `change`, so concurrent merges both land. `parse` turns what is stored into T: the JSON value, null when
   * the object is absent, undefined when it is not JSON — `parse` decides whether that may be replaced.
   */
  async updateJson<T>(
    bucket: string,
    key: string,
    parse: (stored: unknown) => T,
    change: (current: T) => T,
    options: { attempts?: number; known?: StoredText | null } = {},
  ): Promise<T> {
    const attempts = options.attempts ?? 4;
    for (let attempt = 1; ; attempt++) {
      // The object as read earlier in the run saves a round trip; the conditional PUT still refuses it if it
      // changed since, and the retry reads it afresh.
      const stored =
        attempt === 1 && options.known !== undefined ? options.known : await this.getText(bucket, key);
      const next = change(parse(stored ? parseJsonOrUndefined(stored.text) : null));
      try {
        await this.putJson(bucket, key, next, stored?.etag ? { ifMatch: stored.etag } : { ifNoneMatch: "*" });
        return next;
      } catch (err) {
        if (!(err instanceof WriteConflictError) || attempt >= attempts) throw err;
      }
    }
  }

  /** Every key under the prefix, following continuation tokens. */
  async listKeys(bucket: string, prefix: string, pageSize = 1000): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      let out: ListObjectsV2CommandOutput;
      try {
        out = await this.s3.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: prefix,
            ContinuationToken: token,
            MaxKeys: pageSize,
          }),
        );
      } catch (err) {
        throw unavailable("ListObjectsV2", bucket, prefix, err);
      }
      for (const obj of out.Contents ?? []) if (obj.Key) keys.push(obj.Key);
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }
}
