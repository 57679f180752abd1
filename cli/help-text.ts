import type { Command } from "./command.ts";

const INTRO = "vectora — multi-client news ingestion (AWS Step Functions), runnable locally";

const EXIT_STATUS = `Exit status: 0 ok (an execution that succeeded, even with failed clients), 1 failure (an execution or a
file that failed), 2 usage or config error.`;

/** The help of every command of the table, in its order, so that a new command is documented by its entry. */
export function formatHelp(commands: readonly Command[]): string {
  return [INTRO, "", "Usage:", ...commands.flatMap(commandHelp), "", EXIT_STATUS].join("\n");
}

/** The synopsis, its continuation lines aligned under the first option, then the description. */
function commandHelp(command: Command): string[] {
  const head = `  vectora ${command.name}`;
  const [first, ...more] = command.usage;
  const indent = " ".repeat(head.length + 1);
  return [
    first === undefined ? head : `${head} ${first}`,
    ...more.map((line) => `${indent}${line}`),
    ...command.description.map((line) => `      ${line}`),
  ];
}
