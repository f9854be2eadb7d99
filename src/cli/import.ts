/**
 * `cdk8s-cozystack import`: brings a platform that already runs into code. Reads the
 * `apps.cozystack.io` objects from the management cluster (kubectl) or from files
 * (`kubectl get tenants,<every app kind> -A -o yaml`, or a bundle's wave files) and writes
 * a TypeScript program that declares them with this library (see `import/generate.ts`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Command } from 'commander';
import * as YAML from 'yaml';
import { INDEX_FILE } from '../bundle/compute';
import { generateProgram, GenerateResult, selectSubtree } from './import/generate';
import { CliIo, EXIT_ERROR, EXIT_OK } from './io';
import { Kubectl, KubectlOptions } from './kubectl';
import { COZYSTACK_API_VERSION, REGISTRY, ROOT_NAMESPACE } from '../domain/registry';

export interface ImportOptions extends KubectlOptions {
  /** Files to read instead of the cluster (YAML or JSON; Lists are flattened). */
  readonly file?: string[];
  /** The Cozystack version the platform runs, e.g. `v1.6`. */
  readonly cozystackVersion: string;
  /** The program's file; stdout without it. */
  readonly out?: string;
  /** The platform's publishing host; read from the `tenant-root` namespace when reading a cluster. */
  readonly rootHost?: string;
  /** @default "platform" */
  readonly rootId?: string;
  /** The module the program imports from. @default "cdk8s-cozystack" */
  readonly library?: string;
  /** Only this tenant's subtree (with its ancestors' Tenant and module objects and the root's flags). */
  readonly tenant?: string;
  /** `strip`, `keep` or `auto` (strip when the objects were read from a server). @default "auto" */
  readonly defaults?: string;
}

/** The label the tenant chart puts the host on (SPEC §3); the root's is the platform's. */
const HOST_LABEL = 'namespace.cozystack.io/host';

/** A bundle folder's wave files, in order, and the root's host its `index.json` records. */
function bundleFiles(dir: string): { files: string[]; rootHost?: string } {
  const files = fs.readdirSync(dir).filter(f => /^wave-\d+\./.test(f)).sort().map(f => path.join(dir, f));
  const index = path.join(dir, INDEX_FILE);
  if (!fs.existsSync(index)) throw new Error(`${dir} is a folder without ${INDEX_FILE}: pass a synthesized bundle, or files.`);
  return { files, rootHost: JSON.parse(fs.readFileSync(index, 'utf8')).root?.host };
}

/** The objects of files: YAML documents or JSON, `*List` objects flattened. */
export function readObjectFiles(files: string[]): any[] {
  const out: any[] = [];
  const add = (o: any) => {
    if (!o || typeof o !== 'object') return;
    if (Array.isArray(o.items) && /List$/.test(String(o.kind ?? 'List'))) o.items.forEach(add);
    else out.push(o);
  };
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    for (const doc of YAML.parseAllDocuments(text)) {
      if (doc.errors.length > 0) throw new Error(`${f} is not YAML or JSON: ${doc.errors[0].message}`);
      add(doc.toJS());
    }
  }
  return out;
}

/** Every `apps.cozystack.io` object of the cluster, and the root's host. */
async function readCluster(kubectl: Kubectl): Promise<{ objects: any[]; rootHost?: string }> {
  const group = COZYSTACK_API_VERSION.split('/')[0];
  const served = await kubectl.run(['api-resources', `--api-group=${group}`, '-o', 'name']);
  if (served.code !== 0) throw new Error(`kubectl could not list the kinds of ${group}: ${served.stderr.trim()}`);
  const plurals = new Set(REGISTRY.all().map(d => `${d.plural}.${group}`));
  const resources = served.stdout.split('\n').map(s => s.trim()).filter(s => plurals.has(s));
  if (resources.length === 0) throw new Error(`The cluster serves no ${group} kind: is it a Cozystack management cluster?`);
  const r = await kubectl.run(['get', resources.join(','), '-A', '-o', 'json']);
  if (r.code !== 0) throw new Error(`kubectl get ${resources.join(',')} failed: ${r.stderr.trim()}`);
  const ns = await kubectl.run(['get', 'namespace', ROOT_NAMESPACE, '-o', 'json']);
  const rootHost = ns.code === 0 ? JSON.parse(ns.stdout).metadata?.labels?.[HOST_LABEL] : undefined;
  return { objects: JSON.parse(r.stdout).items ?? [], rootHost: rootHost || undefined };
}

/** Objects read from a server carry what the server adds (uid, resourceVersion), and every chart default. */
function fromServer(objects: any[]): boolean {
  return objects.some(o => o?.metadata?.uid !== undefined || o?.metadata?.resourceVersion !== undefined);
}

/** Reads the objects and writes the program; returns the exit code. */
export async function runImport(opts: ImportOptions, io: CliIo): Promise<number> {
  let objects: any[];
  let rootHost = opts.rootHost;
  let source: string;
  if (opts.file && opts.file.length > 0) {
    if (opts.kubeconfig || opts.context) throw new Error('Pass --file, or --kubeconfig/--context to read a cluster, not both.');
    const files = opts.file.flatMap(f => {
      if (!fs.statSync(f).isDirectory()) return [f];
      const b = bundleFiles(f);
      rootHost ??= b.rootHost;
      return b.files;
    });
    objects = readObjectFiles(files);
    source = opts.file.length === 1 ? opts.file[0] : `${opts.file.length} files`;
  } else {
    const read = await readCluster(new Kubectl(opts));
    objects = read.objects;
    rootHost ??= read.rootHost;
    source = `the cluster${opts.context ? ` (context ${opts.context})` : ''}`;
  }
  if (!rootHost) {
    throw new Error(`The platform's host is not among the objects read (the ${ROOT_NAMESPACE} namespace's ${HOST_LABEL} label has it): `
      + 'pass --root-host <host>, e.g. --root-host example.org.');
  }
  if (opts.tenant) objects = selectSubtree(objects, opts.tenant);
  const mode = opts.defaults ?? 'auto';
  if (!['auto', 'strip', 'keep'].includes(mode)) throw new Error(`--defaults takes auto, strip or keep; got "${mode}".`);
  const result: GenerateResult = generateProgram(objects, {
    version: opts.cozystackVersion,
    rootHost,
    rootId: opts.rootId,
    stripDefaults: mode === 'strip' || (mode === 'auto' && fromServer(objects)),
    library: opts.library,
    source: opts.out ? source : undefined,
  });
  if (opts.out) {
    fs.writeFileSync(opts.out, result.program);
    io.err(`Wrote ${opts.out}: ${result.constructs} constructs from ${objects.length} objects of ${source}.\n`);
  } else {
    io.out(result.program);
  }
  for (const s of result.skipped) io.err(`not imported: ${s.object}: ${s.why}\n`);
  return EXIT_OK;
}

/** Adds `import` to the program. */
export function registerImportCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program.command('import')
    .description('Write a TypeScript program that declares an existing platform with this library: tenants nested, module services, '
      + 'every app with the props that differ from its chart\'s defaults. Reads the cluster, or files with --file.')
    .requiredOption('--cozystack-version <version>', 'the Cozystack version the platform runs, e.g. v1.6')
    .option('--file <path>', 'read objects from a file instead of the cluster (repeatable): the output of '
      + '`kubectl get tenants,<every app kind> -A -o yaml`, a bundle\'s wave files, or a bundle folder (its waves and root host)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--out <file.ts>', 'write the program to this file (default: stdout)')
    .option('--root-host <host>', 'the platform\'s host (default: the tenant-root namespace\'s label, when reading a cluster)')
    .option('--tenant <namespace>', 'only this tenant and the tenants below it (its ancestors are declared without their apps)')
    .option('--root-id <id>', 'the construct id of the RootTenant', 'platform')
    .option('--library <module>', 'the module the program imports the constructs from', 'cdk8s-cozystack')
    .option('--defaults <mode>', 'spec values equal to the chart defaults: strip, keep, or auto (strip what a server returned)', 'auto')
    .option('--kubectl <path>', 'the kubectl binary', 'kubectl')
    .option('--context <name>', 'kubeconfig context')
    .option('--kubeconfig <path>', 'kubeconfig file of the management cluster')
    .action(async (opts: ImportOptions) => {
      try {
        setExitCode(await runImport(opts, io));
      } catch (e) {
        io.err(`error: ${(e as Error).message}\n`);
        setExitCode(EXIT_ERROR);
      }
    });
}
