#!/usr/bin/env node
/**
 * The `cdk8s-cozystack` command: `synth`, `plan` and `apply` for CI pipelines, and `explain`.
 * Other commands register themselves on the program `buildProgram()` returns.
 */
import { Command, CommanderError, Option } from 'commander';
import { runApply, runLivePlan } from './apply';
import { registerCredentialsCommand } from './credentials';
import { registerExplainCommand } from './explain';
import { registerImportCommand } from './import';
import { CliIo, EXIT_ERROR, PROCESS_IO } from './io';
import { computePlan } from './plan';
import { PLAN_FORMATS, PlanFormat, renderPlan } from './render';
import { runSynth } from './synth';
import { BundleError, readBundle } from '../bundle/read';

/** What a command's action reports back: its exit code. */
export interface CliContext {
  readonly io: CliIo;
  /** Sets the exit code `run()` returns. */
  setExitCode(code: number): void;
}

/** A subcommand added by another module: receives the program and the context. */
export type CommandRegistrar = (program: Command, ctx: CliContext) => void;

const registrars: CommandRegistrar[] = [];

/** Registers an extra subcommand (e.g. `explain`) on every program built afterwards. */
export function registerCommand(registrar: CommandRegistrar): void {
  registrars.push(registrar);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

const ALLOW_DESTROY_FLAGS = '--allow-destroy <kind/namespace/name[@tenant-ns/cluster]>';
const ALLOW_DESTROY_HELP = 'allow one destructive change (repeatable); see below';

/** How `--allow-destroy` names a destructive change, on the management cluster and inside a tenant cluster. */
const ALLOW_DESTROY_TEXT = `
--allow-destroy names one destructive change the plan reports:
  Kind/namespace/name                                an object of the management cluster,
                                                     e.g. Tenant/tenant-root/foo, Postgres/tenant-foo/db1
  Kind/namespace/name@<tenant namespace>/<cluster>   an object inside a tenant Kubernetes cluster; write its
                                                     namespace in that cluster out, "default" included, e.g.
                                                     PersistentVolumeClaim/default/data@tenant-foo/cluster1
Kinds match case-insensitively. Allowing a Tenant allows everything deleted with it.
`;

/** The error text and code for anything a command throws. */
function failure(e: unknown, ctx: CliContext): void {
  const message = e instanceof BundleError ? e.message : (e as Error).message ?? String(e);
  ctx.io.err(`error: ${message}\n`);
  ctx.setExitCode(EXIT_ERROR);
}

/** Builds the program with the built-in commands and every registered one. */
export function buildProgram(ctx: CliContext, extra: CommandRegistrar[] = []): Command {
  const program = new Command('cdk8s-cozystack')
    .description('Synthesize, plan and apply cdk8s-cozystack bundles on a Cozystack management cluster.')
    .exitOverride()
    .configureOutput({ writeOut: s => ctx.io.out(s), writeErr: s => ctx.io.err(s) })
    .showHelpAfterError();

  program.command('synth')
    .description('Run the cdk8s program (app of cdk8s.yaml, or --app) and report the bundle it wrote.')
    .option('-a, --app <command>', 'the command that runs the program (default: app of cdk8s.yaml)')
    .option('-o, --output <dir>', 'output directory, passed as CDK8S_OUTDIR (default: output of cdk8s.yaml, else dist)')
    .action(async (opts: { app?: string; output?: string }) => {
      try {
        ctx.setExitCode(await runSynth({ app: opts.app, output: opts.output }, ctx.io));
      } catch (e) {
        failure(e, ctx);
      }
    });

  program.command('plan')
    .description('Compare the bundle with the previously applied one. Exit 0 when safe, 2 when destructive changes are not allowed, 1 on errors.')
    .option('--from <dir>', 'the previously applied bundle (e.g. synthesized from the main branch); required without --live')
    .option('--bundle <dir>', 'the bundle to plan', 'dist')
    .addOption(new Option('--format <format>', 'output format').choices(PLAN_FORMATS).default('text'))
    .option(ALLOW_DESTROY_FLAGS, ALLOW_DESTROY_HELP, collect, [] as string[])
    .option('--live', 'also compare every object with the live cluster (kubectl get only: nothing is written)')
    .option('--kubectl <path>', 'the kubectl binary (--live)', 'kubectl')
    .option('--context <name>', 'kubeconfig context (--live)')
    .option('--kubeconfig <path>', 'kubeconfig file of the management cluster (--live)')
    .addHelpText('after', ALLOW_DESTROY_TEXT)
    .action(async (opts: {
      from?: string;
      bundle: string;
      format: PlanFormat;
      allowDestroy: string[];
      live?: boolean;
      kubectl: string;
      context?: string;
      kubeconfig?: string;
    }) => {
      try {
        if (opts.live) {
          ctx.setExitCode(await runLivePlan(opts, ctx.io));
          return;
        }
        if (!opts.from) throw new Error('plan needs --from <previously applied bundle>, or --live to compare with the cluster.');
        const plan = computePlan(readBundle(opts.from), readBundle(opts.bundle), { allowDestroy: opts.allowDestroy });
        ctx.io.out(renderPlan(plan, opts.format));
        ctx.setExitCode(plan.exitCode);
      } catch (e) {
        failure(e, ctx);
      }
    });

  program.command('apply')
    .description('Apply the bundle wave by wave with kubectl, waiting for each wave\'s Tenants; then each tenant cluster\'s workloads through '
      + 'the admin kubeconfig of its Secret, once the cluster is Ready; then prune what was removed (owned objects only, destructive ones only when allowed).')
    .option('--bundle <dir>', 'the bundle to apply', 'dist')
    .option('--from <dir>', 'the previously applied bundle: enables the destructive-change check and pruning')
    .option(ALLOW_DESTROY_FLAGS, ALLOW_DESTROY_HELP, collect, [] as string[])
    .option('--dry-run', 'compare each object with the live cluster and print what would change; nothing is written (no server-side dry run either)')
    .option('--server-side', 'server-side apply instead of client-side apply')
    .option('--timeout <duration>', 'how long to wait for each wave\'s Tenants, and for each tenant cluster, to be Ready', '15m')
    .option('--kubectl <path>', 'the kubectl binary', 'kubectl')
    .option('--context <name>', 'kubeconfig context')
    .option('--kubeconfig <path>', 'kubeconfig file (of the management cluster; tenant clusters\' come from their Secrets)')
    .addHelpText('after', ALLOW_DESTROY_TEXT)
    .action(async (opts: {
      bundle: string;
      from?: string;
      allowDestroy: string[];
      dryRun?: boolean;
      serverSide?: boolean;
      timeout: string;
      kubectl: string;
      context?: string;
      kubeconfig?: string;
    }) => {
      try {
        ctx.setExitCode(await runApply(opts, ctx.io));
      } catch (e) {
        failure(e, ctx);
      }
    });

  registerExplainCommand(program, text => ctx.io.out(text));
  registerCredentialsCommand(program, ctx.io, c => ctx.setExitCode(c));
  registerImportCommand(program, ctx.io, c => ctx.setExitCode(c));

  for (const r of [...registrars, ...extra]) r(program, ctx);
  return program;
}

/** Runs the CLI on `argv` (without node and script) and returns the exit code. */
export async function run(argv: string[], io: CliIo = PROCESS_IO, extra: CommandRegistrar[] = []): Promise<number> {
  let code = 0;
  const program = buildProgram({ io, setExitCode: c => { code = c; } }, extra);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; usage errors are errors.
      return e.exitCode === 0 ? 0 : EXIT_ERROR;
    }
    io.err(`error: ${(e as Error).message}\n`);
    return EXIT_ERROR;
  }
  return code;
}

if (require.main === module) {
  void run(process.argv.slice(2)).then(code => { process.exitCode = code; });
}
