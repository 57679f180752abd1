import { createHash } from "node:crypto";

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** The part of an item id that names the document, whatever source carried it. */
export function urlKey(canonical: string): string {
  return sha256Hex(canonical).slice(0, 16);
}

/** `{source_key}__{sha256(canonical_url)[:16]}`, the id the downstream stage already uses. */
export function itemId(sourceKey: string, canonical: string): string {
  return `${sourceKey}__${urlKey(canonical)}`;
}

/** Fingerprint of what a reader sees; changes when the text changes, not when markup does. */
export function contentHash(title: string, content: string): string {
  return sha256Hex(`${title}\n${content}`);
}
