/**
 * Splits a selector list on its top-level commas: `div[class*='a,b'], li` is two selectors, not three.
 * The seed's extractors write alternatives as one comma list and mean "the first that matches".
 */
export function selectorAlternatives(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let current = "";
  for (const char of list) {
    if (quote !== null) {
      if (char === quote) quote = null;
    } else if (char === "'" || char === '"') quote = char;
    else if (char === "(" || char === "[") depth++;
    else if (char === ")" || char === "]") depth--;
    else if (char === "," && depth === 0) {
      parts.push(current.trim());
      current = "";
      continue;
    }
    current += char;
  }
  parts.push(current.trim());
  return parts.filter((p) => p.length > 0);
}
