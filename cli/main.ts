import "./polyfills.ts";
import { resolve } from "node:path";
import { InvalidInputError } from "../shared/errors/workflow-errors.ts";
import { parseCommandArgs } from "./command.ts";
import { commandNamed } from "./commands/index.ts";
import type { Io } from "./io.ts";
import { UsageError } from "./usage-error.ts";

export type { Io } from "./io.ts";
export { UsageError } from "./usage-error.ts";

/** Prints the error and returns the exit status: 2 for usage, input and config errors, 1 otherwise. */
function failed(err: unknown, io: Io): number {
  const usage = err instanceof UsageError || err instanceof InvalidInputError;
  const label = err instanceof InvalidInputError ? `${err.name}: ` : "";
  io.err(`vectora: ${label}${err instanceof Error ? err.message : String(err)}`);
  if (usage) io.err("run 'vectora help' for usage");
  return usage ? 2 : 1;
}

/** Runs one command line; no command prints the help and still exits 2, since nothing was done. */
async function dispatch(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...args] = argv;
  const command = commandNamed(name ?? "help");
  if (!command) throw new UsageError(`unknown command '${name}'`);
  const status = await command.handler(parseCommandArgs(command, args), io);
  return name === undefined ? 2 : status;
}

export async function main(argv: string[], io: Io): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (err) {
    return failed(err, io);
  }
}

const invokedDirectly = process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename);
if (invokedDirectly) {
  const io: Io = {
    out: (t) => process.stdout.write(`${t}\n`),
    err: (t) => process.stderr.write(`${t}\n`),
    isTty: Boolean(process.stdout.isTTY),
  };
  main(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
