/** `["profiles", "x", "require_one_of", 1]` -> `profiles.x.require_one_of[1]`. */
export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>(
    (out, seg) => (typeof seg === "number" ? `${out}[${seg}]` : out ? `${out}.${seg}` : seg),
    "",
  );
}
