/**
 * The seed's date formats are Python strptime patterns ("%B %d, %Y"); dates.ts reads token patterns
 * ("MMMM D, YYYY"). Python's %d and %m accept one or two digits, so they map to D and M.
 */
const DIRECTIVES: Record<string, string> = {
  Y: "YYYY",
  y: "YY",
  m: "M",
  d: "D",
  B: "MMMM",
  b: "MMM",
  H: "H",
  I: "h",
  M: "mm",
  S: "ss",
  p: "A",
  "%": "%",
};

export type StrptimeResult = { ok: true; format: string } | { ok: false; directive: string };

export function strptimeToTokens(pattern: string): StrptimeResult {
  let format = "";
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] ?? "";
    if (char !== "%") {
      format += char;
      continue;
    }
    const directive = pattern[i + 1] ?? "";
    const token = DIRECTIVES[directive];
    if (token === undefined) return { ok: false, directive: `%${directive}` };
    format += token;
    i++;
  }
  return { ok: true, format };
}
