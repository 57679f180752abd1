import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetExecutionHistoryCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { FAILED_RUN_ARN, historyPage, PARTIAL_RUN_ARN, STATE_MACHINE_ARN } from "../support/aws-history.ts";
import { cli } from "../support/cli.ts";

const sfn = mockClient(SFNClient);
const NEW_EXECUTION = "arn:aws:states:eu-west-3:123456789012:execution:vectora-ingest-prod:9f0c1d2e";
const NEXT_TOKEN = historyPage("partial-run.page-1.json").nextToken;

let dir: string;
let cwd: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "vectora-cli-aws-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  sfn.reset();
  sfn
    .on(StartExecutionCommand)
    .resolves({ executionArn: NEW_EXECUTION, startDate: new Date("2026-11-20T09:00:00Z") });
  sfn
    .on(GetExecutionHistoryCommand, { executionArn: PARTIAL_RUN_ARN })
    .resolves(historyPage("partial-run.page-1.json"))
    .on(GetExecutionHistoryCommand, { executionArn: PARTIAL_RUN_ARN, nextToken: NEXT_TOKEN })
    .resolves(historyPage("partial-run.page-2.json"))
    .on(GetExecutionHistoryCommand, { executionArn: FAILED_RUN_ARN })
    .resolves(historyPage("all-failed-run.json"));
  vi.stubEnv("VECTORA_STATE_MACHINE_ARN", "");
  cwd = process.cwd();
  process.chdir(dir);
});
afterEach(() => {
  vi.unstubAllEnvs();
  process.chdir(cwd);
});

const startInputs = () => sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input);

describe("vectora start", () => {
  it("starts the state machine named by --state-machine-arn with the validated input", async () => {
    const r = await cli([
      "start",
      "--state-machine-arn",
      STATE_MACHINE_ARN,
      "--client",
      "lai-weekly",
      "--client",
      "oncology-digest",
      "--input",
      '{"dry_run": true, "period_days": 14}',
    ]);
    expect(r.code).toBe(0);
    expect(startInputs()).toEqual([
      {
        stateMachineArn: STATE_MACHINE_ARN,
        // The input as validated: keys in the schema's order.
        input: JSON.stringify({
          client_ids: ["lai-weekly", "oncology-digest"],
          period_days: 14,
          dry_run: true,
        }),
      },
    ]);
    expect(r.out).toEqual([
      `started ${NEW_EXECUTION}`,
      `console: https://eu-west-3.console.aws.amazon.com/states/home?region=eu-west-3#/v2/executions/details/${NEW_EXECUTION}`,
    ]);
  });

  it("names one client with client_id and passes --name as the execution name", async () => {
    const r = await cli([
      "start",
      "--state-machine-arn",
      STATE_MACHINE_ARN,
      "--client",
      "lai-weekly",
      "--name",
      "replay-1",
    ]);
    expect(r.code).toBe(0);
    expect(startInputs()).toEqual([
      { stateMachineArn: STATE_MACHINE_ARN, input: '{"client_id":"lai-weekly"}', name: "replay-1" },
    ]);
  });

  it("reads the state machine from VECTORA_STATE_MACHINE_ARN", async () => {
    vi.stubEnv("VECTORA_STATE_MACHINE_ARN", STATE_MACHINE_ARN);
    const r = await cli(["start"]);
    expect(r.code).toBe(0);
    expect(startInputs()).toEqual([{ stateMachineArn: STATE_MACHINE_ARN, input: "{}" }]);
  });

  it("reads the stack output StateMachineArn from ./cdk-outputs.json", async () => {
    await writeFile(
      join(dir, "cdk-outputs.json"),
      JSON.stringify({
        "vectora-ingest-prod": { StateMachineArn: STATE_MACHINE_ARN, ConfigBucketName: "cfg" },
      }),
    );
    try {
      const r = await cli(["start", "--json"]);
      expect(r.code).toBe(0);
      expect(startInputs()[0]?.stateMachineArn).toBe(STATE_MACHINE_ARN);
      expect(JSON.parse(r.stdout)).toMatchObject({
        executionArn: NEW_EXECUTION,
        startDate: "2026-11-20T09:00:00.000Z",
      });
    } finally {
      await rm(join(dir, "cdk-outputs.json"));
    }
  });

  it("picks the stack of --env from an --outputs-file holding several", async () => {
    const file = join(dir, "outputs.json");
    const dev = STATE_MACHINE_ARN.replace("prod", "dev");
    await writeFile(
      file,
      JSON.stringify({
        "vectora-ingest-dev": { StateMachineArn: dev },
        "vectora-ingest-prod": { StateMachineArn: STATE_MACHINE_ARN },
      }),
    );
    const ambiguous = await cli(["start", "--outputs-file", file]);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.err[0]).toContain("pick one with --env");
    const r = await cli(["start", "--outputs-file", file, "--env", "dev"]);
    expect(r.code).toBe(0);
    expect(startInputs()).toEqual([{ stateMachineArn: dev, input: "{}" }]);
  });

  it("is a usage error (2) when no state machine is found, and starts nothing", async () => {
    const r = await cli(["start", "--client", "lai-weekly"]);
    expect(r.code).toBe(2);
    expect(r.err[0]).toContain(
      "no state machine: give --state-machine-arn ARN, set VECTORA_STATE_MACHINE_ARN",
    );
    expect(startInputs()).toEqual([]);
  });

  it("refuses an invalid input before starting anything (InvalidInput, exit 2)", async () => {
    const r = await cli([
      "start",
      "--state-machine-arn",
      STATE_MACHINE_ARN,
      "--input",
      '{"period_days": 0, "colour": "blue"}',
    ]);
    expect(r.code).toBe(2);
    expect(r.err[0]).toMatch(/^vectora: InvalidInput: invalid execution input: .*period_days.*colour/);
    expect(startInputs()).toEqual([]);
  });

  it("refuses clients given both with --client and in --input", async () => {
    const r = await cli([
      "start",
      "--state-machine-arn",
      STATE_MACHINE_ARN,
      "--client",
      "a",
      "--input",
      '{"client_id":"b"}',
    ]);
    expect(r.code).toBe(2);
    expect(startInputs()).toEqual([]);
  });

  it("fails (1) when Step Functions refuses the start", async () => {
    sfn.on(StartExecutionCommand).rejects(new Error("ExecutionAlreadyExists: replay-1"));
    const r = await cli(["start", "--state-machine-arn", STATE_MACHINE_ARN, "--name", "replay-1"]);
    expect(r.code).toBe(1);
    expect(r.err[0]).toBe("vectora: ExecutionAlreadyExists: replay-1");
  });
});

describe("vectora history ARN", () => {
  it("reads every page of GetExecutionHistory with the execution data", async () => {
    const r = await cli(["history", PARTIAL_RUN_ARN, "--json"]);
    expect(r.code).toBe(0);
    const calls = sfn.commandCalls(GetExecutionHistoryCommand).map((c) => c.args[0].input);
    expect(calls).toEqual([
      { executionArn: PARTIAL_RUN_ARN, includeExecutionData: true, maxResults: 1000 },
      { executionArn: PARTIAL_RUN_ARN, includeExecutionData: true, maxResults: 1000, nextToken: NEXT_TOKEN },
    ]);
    const report = JSON.parse(r.stdout);
    expect(report.execution_arn).toBe(PARTIAL_RUN_ARN);
    expect(
      report.clients.map((c: { client_id: string; retries: number }) => [c.client_id, c.retries]),
    ).toEqual([
      ["lai-weekly", 1],
      ["oncology-digest", 0],
      ["derm-news", 0],
    ]);
    expect(report.totals.items_new).toBe(15);
  });

  it("prints a table and exits 1 for a failed execution, with its error and cause", async () => {
    const r = await cli(["history", FAILED_RUN_ARN]);
    expect(r.code).toBe(1);
    expect(r.stdout.split("\n")[0]).toBe(`execution ${FAILED_RUN_ARN}: FAILED`);
    expect(r.stdout).toMatch(/^ghost\s+failed\s+.*ClientNotFound\s+no config for client 'ghost'/m);
    expect(r.stdout).toContain("execution FAILED: AllClientsFailed: Every client of the run failed");
  });
});

describe("vectora rerun ARN", () => {
  it("starts the failed clients of the execution on its state machine, over the same window", async () => {
    const r = await cli(["rerun", PARTIAL_RUN_ARN]);
    expect(r.code).toBe(0);
    expect(startInputs()).toEqual([
      {
        stateMachineArn: STATE_MACHINE_ARN,
        input: JSON.stringify({
          client_ids: ["oncology-digest"],
          dry_run: false,
          force_refresh: false,
          ingestion_mode: "balanced",
          window_end: "2026-11-20T06:00:00.000Z",
          run_id: "20261120T060002Z-sched-2026-11-20-0600",
        }),
      },
    ]);
    expect(r.out.at(-2)).toBe(`started ${NEW_EXECUTION}`);
  });

  it("keeps the original options of a failed execution", async () => {
    const r = await cli(["rerun", FAILED_RUN_ARN]);
    expect(r.code).toBe(0);
    expect(JSON.parse(startInputs()[0]?.input ?? "null")).toMatchObject({
      client_ids: ["down-client", "ghost"],
      force_refresh: true,
    });
  });

  it("prints the input and starts nothing with --dry-print", async () => {
    const r = await cli(["rerun", FAILED_RUN_ARN, "--dry-print"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      client_ids: ["down-client", "ghost"],
      window_end: "2026-11-20T06:00:00.000Z",
    });
    expect(startInputs()).toEqual([]);
  });
});
