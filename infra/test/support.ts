import { App, type CfnElement, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import type { IConstruct } from "constructs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineApp, type VideoProcessorApp } from "../src/app.js";

export interface SynthesizedApp extends VideoProcessorApp {
  readonly app: App;
  readonly service: VideoProcessorApp["service"];
  readonly template: Template;
  readonly registryTemplate: Template;
  /** Removes the cloud assembly (the kubectl layer alone is ~60 MB). */
  dispose(): void;
}

/**
 * Synthesizes the whole app once (EKS stacks take seconds) with cdk-nag attached: `app.synth()`
 * throws on any unacknowledged AwsSolutions finding, so reaching the assertions means nag passed.
 */
export function synthesizeApp(context: Record<string, unknown> = {}, bundle = false): SynthesizedApp {
  const app = new App({
    outdir: mkdtempSync(join(tmpdir(), "vp-cdk-")),
    context: {
      "@aws-cdk/core:defaultCrossStackReferences": "strong",
      // esbuild bundling is proven by `npm run synth`; most tests skip it for speed.
      ...(bundle ? {} : { "aws:cdk:bundling-stacks": [] }),
      ...context,
    },
  });
  const defined = defineApp(app);
  app.synth();
  return {
    ...defined,
    app,
    template: Template.fromStack(defined.service),
    registryTemplate: Template.fromStack(defined.registry),
    dispose: () => rmSync(app.outdir, { recursive: true, force: true }),
  };
}

export const logicalId = (c: IConstruct): string => {
  const el = (c.node.defaultChild ?? c) as CfnElement;
  return Stack.of(el).getLogicalId(el);
};

export interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

/** Every Allow statement of the identity policies attached to a role (by logical id). */
export function statementsOf(template: Template, roleLogicalId: string): Statement[] {
  const policies = template.findResources("AWS::IAM::Policy");
  const out: Statement[] = [];
  for (const p of Object.values(policies)) {
    const roles = (p.Properties.Roles ?? []) as unknown[];
    if (!roles.some((r) => JSON.stringify(r) === JSON.stringify({ Ref: roleLogicalId }))) continue;
    out.push(...(p.Properties.PolicyDocument.Statement as Statement[]).filter((s) => s.Effect === "Allow"));
  }
  const role = template.findResources("AWS::IAM::Role")[roleLogicalId];
  if (!role) throw new Error(`no role ${roleLogicalId}`);
  // Lambda's basic execution policy only writes its own logs; anything else would hide permissions.
  const managed = (role.Properties.ManagedPolicyArns ?? []) as unknown[];
  if (
    managed.length > 1 ||
    (managed.length === 1 && !JSON.stringify(managed[0]).includes("AWSLambdaBasicExecutionRole"))
  )
    throw new Error(`${roleLogicalId} has managed policies ${JSON.stringify(managed)}: cannot reason about it`);
  for (const inline of role.Properties.Policies ?? []) out.push(...inline.PolicyDocument.Statement);
  return out;
}

const actionMatches = (pattern: string, action: string): boolean =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "i").test(action);

/**
 * Whether any statement allows `action` on a resource whose JSON mentions `resourceHint`
 * (a logical id) or is `*`. Wildcard actions count, so `s3:*` would make `s3:DeleteBucket` true.
 */
export function allows(statements: readonly Statement[], action: string, resourceHint?: string): boolean {
  return statements.some((s) => {
    const actions = Array.isArray(s.Action) ? s.Action : [s.Action];
    if (!actions.some((a) => actionMatches(a, action))) return false;
    if (resourceHint === undefined) return true;
    const resources = Array.isArray(s.Resource) ? s.Resource : [s.Resource];
    return resources.some((r) => r === "*" || JSON.stringify(r).includes(resourceHint));
  });
}

/** All actions a role is allowed, flattened (for "nothing beyond this list" checks). */
export const actionsOf = (statements: readonly Statement[]): string[] =>
  [...new Set(statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])))].sort();
