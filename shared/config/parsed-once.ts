/**
 * `read`, remembering its last result and returning it again while the text is unchanged. Every branch
 * of a run reads the same shared config files, and a warm Lambda (or the local runner) serves many
 * branches: each parses them once instead of once per client. The result is shared, so callers treat
 * it as read-only.
 */
export function parsedOnce<T>(read: (text: string) => T): (text: string) => T {
  let last: { text: string; value: T } | undefined;
  return (text) => {
    if (last === undefined || last.text !== text) last = { text, value: read(text) };
    return last.value;
  };
}
