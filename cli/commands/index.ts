import type { Command } from "../command.ts";
import { demo } from "./demo.ts";
import { help } from "./help.ts";
import { history } from "./history.ts";
import { items } from "./items.ts";
import { probe } from "./probe.ts";
import { rerun } from "./rerun.ts";
import { run } from "./run.ts";
import { start } from "./start.ts";
import { validate } from "./validate.ts";

/** Every command of `vectora`, in the order of its help. */
export const COMMANDS: readonly Command[] = [demo, run, items, validate, probe, start, history, rerun, help];

/** `--help` is how most tools are asked for help, so it names the help command. */
export function commandNamed(name: string): Command | undefined {
  const wanted = name === "--help" ? help.name : name;
  return COMMANDS.find((command) => command.name === wanted);
}
