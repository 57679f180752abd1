import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as s3 from "aws-cdk-lib/aws-s3";
import { AwsSolutionsChecks } from "cdk-nag";
import { describe, expect, it } from "vitest";
import { buildIngest } from "./template-helpers.ts";

interface ValidationReport {
  pluginReports: { pluginName: string; violations: { ruleName: string; severity: string }[] }[];
}

function readReport(outdir: string): ValidationReport {
  const path = join(outdir, "validation-report.json");
  expect(existsSync(path)).toBe(true);
  return JSON.parse(readFileSync(path, "utf8")) as ValidationReport;
}

describe("AwsSolutions checks", () => {
  it("synthesizes the stack with no unacknowledged error or warning", () => {
    const { app, outdir } = buildIngest({}, { nagChecks: true });
    // A failing check makes synth throw; warnings would only be printed and written to the report.
    expect(() => app.synth()).not.toThrow();
    const violations = readReport(outdir).pluginReports.flatMap((r) => r.violations.map((v) => v.ruleName));
    expect(violations).toEqual([]);
    expect(new AwsSolutionsChecks().validateScope(app)).toEqual({ success: true, violations: [] });
  });

  it("runs on the app the stack is built in (a non-compliant bucket fails the synth)", () => {
    const { app, stack, outdir } = buildIngest({}, { nagChecks: true });
    new s3.Bucket(stack, "UnloggedBucket");
    expect(() => app.synth()).toThrow(/AwsSolutions-S1/);
    const report = readReport(outdir).pluginReports.find((r) => r.pluginName === "AwsSolutions");
    expect(report?.violations.map((v) => v.ruleName)).toEqual(expect.arrayContaining(["AwsSolutions-S1"]));
  });
});
