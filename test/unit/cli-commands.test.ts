import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../cli/commands/index.ts";
import { cli } from "../support/cli.ts";

const HINT = "run 'vectora help' for usage";

describe("vectora command line", () => {
  it("is a usage error (2) to name an unknown command, and runs nothing", async () => {
    const r = await cli(["valdiate", "examples/configs"]);
    expect(r.code).toBe(2);
    expect(r.out).toEqual([]);
    expect(r.err).toEqual(["vectora: unknown command 'valdiate'", HINT]);
  });

  it("prints the help on stdout and exits 2 when no command is given", async () => {
    const none = await cli([]);
    const help = await cli(["help"]);
    expect(none.code).toBe(2);
    expect(none.err).toEqual([]);
    expect(none.stdout).toBe(help.stdout);
  });

  it("exits 0 for help and --help, with the same text", async () => {
    const help = await cli(["help"]);
    const dashed = await cli(["--help"]);
    expect([help.code, dashed.code]).toEqual([0, 0]);
    expect(dashed.stdout).toBe(help.stdout);
    expect(help.stdout).toMatch(/^vectora — multi-client news ingestion/);
    expect(help.stdout).toContain(
      "\nExit status: 0 ok (an execution that succeeded, even with failed clients)",
    );
  });

  it("lists every command of the table in the help, in the table's order", async () => {
    const { stdout } = await cli(["help"]);
    const listed = [...stdout.matchAll(/^ {2}vectora (\S+)/gm)].map((m) => m[1]);
    expect(listed).toEqual(COMMANDS.map((c) => c.name));
  });

  it.each(COMMANDS.map((c) => [c.name]))(
    "names %s in the usage error for an option it does not take",
    async (name) => {
      const r = await cli([name, "--bogus"]);
      expect(r.code).toBe(2);
      expect(r.out).toEqual([]);
      expect(r.err).toEqual([`vectora: ${name} takes no --bogus`, HINT]);
    },
  );

  it("refuses an option that belongs to another command", async () => {
    const r = await cli(["history", "latest", "--configs", "examples/configs"]);
    expect(r.code).toBe(2);
    expect(r.err[0]).toBe("vectora: history takes no --configs");
  });

  it("names the command when an option misses its value", async () => {
    const r = await cli(["history", "latest", "--data"]);
    expect(r.code).toBe(2);
    expect(r.err[0]).toBe("vectora: history: Option '--data <value>' argument missing");
  });

  it("checks the arguments after the options against the command", async () => {
    const extra = await cli(["demo", "somewhere"]);
    expect(extra.code).toBe(2);
    expect(extra.err[0]).toBe("vectora: demo takes no argument 'somewhere'");
    const missing = await cli(["rerun"]);
    expect(missing.code).toBe(2);
    expect(missing.err[0]).toBe("vectora: rerun needs exactly one EXECUTION");
  });

  it("documents every option of a command in its usage", () => {
    for (const command of COMMANDS) {
      const usage = command.usage.join(" ");
      for (const option of Object.keys(command.options)) expect(usage, command.name).toContain(`--${option}`);
    }
  });
});
