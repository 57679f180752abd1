import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Template } from "aws-cdk-lib/assertions";
import { createIngestApp, type IngestApp } from "../../infra/ingest-app.ts";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Resource = { Type: string; Properties?: Record<string, Json>; DeletionPolicy?: string };

/**
 * The ingest app as the CLI builds it, not yet synthesized, in a fresh temporary outdir, without asset
 * bundling (templates don't depend on the bundle) and, unless asked, without the cdk-nag plugin (its
 * own test file runs it).
 */
export function buildIngest(
  context: Record<string, unknown> = {},
  options: { nagChecks?: boolean } = {},
): IngestApp & { outdir: string } {
  const outdir = mkdtempSync(join(tmpdir(), "vectora-infra-"));
  const built = createIngestApp({
    context: { "aws:cdk:bundling-stacks": [], ...context },
    outdir,
    nagChecks: options.nagChecks ?? false,
  });
  return { ...built, outdir };
}

/** `buildIngest`, synthesized. */
export function synthIngest(context: Record<string, unknown> = {}): IngestApp & { template: Template } {
  const built = buildIngest(context);
  return { ...built, template: Template.fromStack(built.stack) };
}

export function resourcesOfType(template: Template, type: string): Record<string, Resource> {
  return template.findResources(type) as Record<string, Resource>;
}

/** The single resource of a type whose properties match `predicate`; fails loudly otherwise. */
export function onlyResource(
  template: Template,
  type: string,
  predicate: (props: Record<string, Json>) => boolean = () => true,
): [string, Resource] {
  const matches = Object.entries(resourcesOfType(template, type)).filter(([, r]) =>
    predicate(r.Properties ?? {}),
  );
  if (matches.length !== 1) throw new Error(`expected one ${type}, found ${matches.length}`);
  return matches[0] as [string, Resource];
}

/**
 * Renders a CloudFormation value as text: `{Fn::GetAtt: [X, Arn]}` -> `<X.Arn>`, `{Ref: X}` -> `<X>`,
 * `Fn::Join` concatenated. Enough for ARNs and definition strings built by the CDK.
 */
export function render(value: Json | undefined): string {
  if (typeof value === "string") return value;
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const ref = value.Ref;
    if (typeof ref === "string") return `<${ref}>`;
    const getAtt = value["Fn::GetAtt"];
    if (Array.isArray(getAtt)) return `<${getAtt.map(String).join(".")}>`;
    const join = value["Fn::Join"];
    if (Array.isArray(join)) {
      const [separator, parts] = join;
      if (typeof separator === "string" && Array.isArray(parts)) return parts.map(render).join(separator);
    }
  }
  throw new Error(`cannot render ${JSON.stringify(value)}`);
}

export interface Statement {
  Effect: string;
  Action: string[];
  Resource: string[];
  Condition?: Json;
}

/** Every statement of the inline policies attached to a role, with actions and resources as text. */
export function roleStatements(template: Template, roleLogicalId: string): Statement[] {
  const statements: Statement[] = [];
  for (const policy of Object.values(resourcesOfType(template, "AWS::IAM::Policy"))) {
    const roles = (policy.Properties?.Roles ?? []) as Json[];
    if (!roles.some((r) => render(r) === `<${roleLogicalId}>`)) continue;
    const document = policy.Properties?.PolicyDocument as { Statement: Record<string, Json>[] };
    for (const s of document.Statement) {
      const actions = s.Action as Json;
      const resources = s.Resource as Json;
      statements.push({
        Effect: String(s.Effect),
        Action: (Array.isArray(actions) ? actions : [actions]).map(String),
        Resource: (Array.isArray(resources) ? resources : [resources]).map(render),
        ...(s.Condition ? { Condition: s.Condition } : {}),
      });
    }
  }
  return statements;
}
