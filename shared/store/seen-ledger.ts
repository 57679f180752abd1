import * as z from "zod";

/** Ids older than this are forgotten: feeds do not resurface articles after a year, and the ledger stays small. */
export const SEEN_RETENTION_DAYS = 400;

/**
 * `state/{client_id}/seen.json`: the documents already delivered to this client, keyed by the hash of the
 * canonical URL (not the item id), so the same article from a second source is recognised too.
 */
export const SeenLedgerSchema = z.object({
  seen: z.record(z.string(), z.string()).default({}),
});
export type SeenLedger = z.infer<typeof SeenLedgerSchema>;

export function recordSeen(ledger: SeenLedger, urlKeys: Iterable<string>, at: Date): SeenLedger {
  const cutoff = at.getTime() - SEEN_RETENTION_DAYS * 86_400_000;
  const seen: Record<string, string> = {};
  for (const [key, when] of Object.entries(ledger.seen)) {
    if (new Date(when).getTime() >= cutoff) seen[key] = when;
  }
  const stamp = at.toISOString();
  for (const key of urlKeys) seen[key] ??= stamp;
  return { seen };
}
