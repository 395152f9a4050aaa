import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnResource, type Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import type { IConstruct } from 'constructs';
import { buildApp, type SmsApp } from '../../infra/build-app';

export const repoRoot = join(__dirname, '..', '..');

/** The context `cdk synth` gets from cdk.json (feature flags, default stage). */
const cdkJsonContext: Record<string, unknown> = JSON.parse(readFileSync(join(repoRoot, 'cdk.json'), 'utf8')).context;

export interface SynthesizedApp extends SmsApp {
  app: App;
  outdir: string;
  assembly: CloudAssembly;
  statefulTemplate: Template;
  apiTemplate: Template;
  messagingTemplate: Template;
  /** Removes the temporary cloud assembly (bundles included). */
  cleanup(): void;
}

export interface SynthOptions {
  stage?: string;
  /**
   * Bundle the handlers with esbuild, as `cdk synth` does (about a second per function).
   * Off, the templates are the same but for the asset hashes.
   */
  bundle?: boolean;
  /**
   * Run CDK's built-in CloudFormation schema validation (as `cdk synth` does), its findings as
   * errors. It costs several seconds per synth, so one test file turns it on for the whole tier.
   */
  validateTemplates?: boolean;
  /** Runs after the app is built and before it is synthesized, e.g. to add an offending resource. */
  customize?: (built: SmsApp) => void;
  /** Extra CDK context, as `-c key=value` would give it. */
  context?: Record<string, unknown>;
}

/**
 * Builds the real app (`infra/build-app.ts`, cdk-nag included) into a temporary folder and
 * synthesizes it once. A cdk-nag error makes `app.synth()` throw, so it fails the caller.
 */
export function synthApp({
  stage = 'dev',
  bundle = true,
  validateTemplates = false,
  customize,
  context = {},
}: SynthOptions = {}): SynthesizedApp {
  const outdir = mkdtempSync(join(tmpdir(), 'sms-cdk-'));
  const app = new App({
    outdir,
    builtinCloudFormationValidation: validateTemplates,
    context: {
      ...cdkJsonContext,
      ...context,
      stage,
      ...(bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      // Without this flag CDK reports schema errors as warnings and the synth still succeeds.
      ...(validateTemplates ? { '@aws-cdk/core:validateAgainstDefaultRules': true } : {}),
    },
  });
  const built = buildApp(app);
  customize?.(built);
  try {
    const assembly = app.synth();
    return {
      ...built,
      app,
      outdir,
      assembly,
      statefulTemplate: Template.fromStack(built.stateful),
      apiTemplate: Template.fromStack(built.api),
      messagingTemplate: Template.fromStack(built.messaging),
      cleanup: () => rmSync(outdir, { recursive: true, force: true }),
    };
  } catch (error) {
    const report = readValidationReport(outdir);
    rmSync(outdir, { recursive: true, force: true });
    if (report) (error as Error).message += `\n${report}`;
    throw error;
  }
}

function readValidationReport(outdir: string): string | undefined {
  try {
    return readFileSync(join(outdir, 'validation-report.json'), 'utf8');
  } catch {
    return undefined;
  }
}

export interface Acknowledgement {
  path: string;
  id: string;
  reason: string;
}

/** Every `Validations.of(...).acknowledge()` in the construct tree, with the path it is scoped to. */
export function acknowledgements(root: IConstruct): Acknowledgement[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown>; [key: string]: unknown }>;

/** Resources of one type as `[logicalId, resource]` pairs. */
export function resourcesOfType(template: Template, type: string): [string, Resources[string]][] {
  return Object.entries(template.findResources(type) as Resources);
}

/** The construct path of a resource (`SmsApi/ContactsFunction/Function`), from its logical id. */
export function constructPathOf(stack: Stack, logicalId: string): string {
  const resource = stack.node
    .findAll()
    .find((construct) => CfnResource.isCfnResource(construct) && stack.getLogicalId(construct) === logicalId);
  if (!resource) throw new Error(`no resource ${logicalId} in ${stack.stackName}`);
  return resource.node.path.replace(/\/Resource$/, '');
}

/** The logical id of the one resource of `type` whose properties include `props` (fails otherwise). */
export function logicalIdOf(template: Template, type: string, props: Record<string, unknown>): string {
  const ids = Object.keys(template.findResources(type, { Properties: props }));
  if (ids.length !== 1) throw new Error(`expected one ${type} with ${JSON.stringify(props)}, found ${ids.length}`);
  return ids[0]!;
}
