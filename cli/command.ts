import { type ParseArgsConfig, parseArgs } from "node:util";
import type { Io } from "./io.ts";
import { UsageError } from "./usage-error.ts";

/** A command's options, as node:util parseArgs takes them. */
export type Options = NonNullable<ParseArgsConfig["options"]>;

/** The arguments after the options: none, exactly one (named in the usage error), or any number. */
export type Positionals = "none" | "any" | { readonly exactlyOne: string };

type Parsed<O extends Options> = ReturnType<
  typeof parseArgs<{ options: O; strict: true; allowPositionals: true }>
>;

/** What a handler receives: the option values typed by the command's own options, and the arguments. */
export interface CommandArgs<O extends Options = Options> {
  values: Parsed<O>["values"];
  positionals: string[];
}

export interface Command<O extends Options = Options> {
  readonly name: string;
  /** The synopsis after `vectora NAME`, one entry per help line. */
  readonly usage: readonly string[];
  /** What the command does, one entry per help line. */
  readonly description: readonly string[];
  readonly options: O;
  readonly positionals: Positionals;
  /**
   * Returns the exit status. Method syntax on purpose: it lets the table hold commands whose values are
   * typed by their own options.
   */
  handler(args: CommandArgs<O>, io: Io): Promise<number>;
}

/** Infers the options' literal types, so that a handler's `values` are typed by its own options. */
export function defineCommand<const O extends Options>(command: Command<O>): Command<O> {
  return command;
}

/**
 * Parses a command's arguments against its own options only (strict). Every parse problem is a usage error
 * that names the command.
 */
export function parseCommandArgs(command: Command, args: readonly string[]): CommandArgs {
  rejectUnknownOptions(command, args);
  const parsed = parseStrict(command, args);
  checkPositionals(command, parsed.positionals);
  return parsed;
}

function rejectUnknownOptions(command: Command, args: readonly string[]): void {
  const { tokens } = parseArgs({
    args: [...args],
    options: command.options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind === "option" && !Object.hasOwn(command.options, token.name))
      throw new UsageError(`${command.name} takes no ${token.rawName}`);
  }
}

function parseStrict(command: Command, args: readonly string[]): CommandArgs {
  try {
    return parseArgs({ args: [...args], options: command.options, strict: true, allowPositionals: true });
  } catch (err) {
    if (isParseArgsError(err)) throw new UsageError(`${command.name}: ${err.message}`);
    throw err;
  }
}

function isParseArgsError(err: unknown): err is Error {
  return err instanceof Error && String((err as { code?: unknown }).code).startsWith("ERR_PARSE_ARGS");
}

function checkPositionals(command: Command, positionals: readonly string[]): void {
  const expected = command.positionals;
  if (expected === "any") return;
  if (expected === "none") {
    if (positionals.length > 0) throw new UsageError(`${command.name} takes no argument '${positionals[0]}'`);
    return;
  }
  if (positionals.length !== 1)
    throw new UsageError(`${command.name} needs exactly one ${expected.exactlyOne}`);
}
