import { defineCommand } from "../command.ts";
import { formatHelp } from "../help-text.ts";

export const help = defineCommand({
  name: "help",
  usage: [],
  description: ["Print this help (also vectora --help)."],
  options: {},
  positionals: "none",
  async handler(_args, io) {
    // The table lists this command too: it is read when help runs, not when this module loads.
    const { COMMANDS } = await import("./index.ts");
    io.out(formatHelp(COMMANDS));
    return 0;
  },
});
