#!/usr/bin/env node
// The installed `vectora` command. The CLI is TypeScript run through tsx, and s3rver's paginated listings
// need OpenSSL's legacy provider (DES continuation tokens), a flag only the node command line can set:
// so this launcher starts node with both, passing arguments, standard streams and the exit status through.
import { spawn } from "node:child_process";
import { join } from "node:path";

const main = join(import.meta.dirname, "main.ts");
const child = spawn(
  process.execPath,
  ["--openssl-legacy-provider", "--import", "tsx", main, ...process.argv.slice(2)],
  { stdio: "inherit" },
);
child.on("exit", (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  else process.exitCode = code ?? 1;
});
