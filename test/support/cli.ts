import { main } from "../../cli/main.ts";

export interface CliResult {
  code: number;
  out: string[];
  err: string[];
  /** stdout as one string. */
  stdout: string;
}

/** Runs `vectora` in-process with a capturing Io. */
export async function cli(argv: string[], opts: { isTty?: boolean } = {}): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    isTty: opts.isTty ?? false,
  });
  return { code, out, err, stdout: out.join("\n") };
}
