/**
 * `synth`: runs the user's cdk8s program the way `cdk8s synth` does (its `app` from
 * `cdk8s.yaml`, with `CDK8S_OUTDIR` pointing at the output directory) and reports the
 * bundle it wrote.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { CliIo, EXIT_ERROR, EXIT_OK } from './io';
import { INDEX_FILE } from '../bundle/compute';
import { LoadedBundle, readBundle } from '../bundle/read';

export const CONFIG_FILE = 'cdk8s.yaml';

export interface SynthOptions {
  /** The command that runs the program. @default - `app` of cdk8s.yaml in `cwd` */
  readonly app?: string;
  /** @default - `output` of cdk8s.yaml, else "dist" */
  readonly output?: string;
  /** @default process.cwd() */
  readonly cwd?: string;
}

export async function runSynth(o: SynthOptions, io: CliIo): Promise<number> {
  const cwd = o.cwd ?? process.cwd();
  let app = o.app;
  let output = o.output;
  const configPath = path.join(cwd, CONFIG_FILE);
  if (fs.existsSync(configPath)) {
    const config = YAML.parse(fs.readFileSync(configPath, 'utf8')) ?? {};
    app ??= config.app;
    output ??= config.output;
  }
  if (!app) {
    io.err(`No program to run: ${configPath} has no "app" (or does not exist). Pass --app "<command>", e.g. --app "npx ts-node main.ts".\n`);
    return EXIT_ERROR;
  }
  const outdir = path.resolve(cwd, output ?? 'dist');
  // A failed run must not leave the previous bundle looking current: without its index
  // the folder is an incomplete bundle, which plan and apply refuse.
  fs.rmSync(path.join(outdir, INDEX_FILE), { force: true });

  io.out(`Running ${app} (CDK8S_OUTDIR=${outdir})\n`);
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn('sh', ['-c', app!], { cwd, env: { ...process.env, CDK8S_OUTDIR: outdir }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d: string) => io.out(d));
    child.stderr.on('data', (d: string) => io.err(d));
    child.on('error', reject);
    child.on('close', c => resolve(c ?? 1));
  });
  if (code !== 0) {
    io.err(`Synthesis failed: "${app}" exited with code ${code}. No bundle was written to ${outdir}.\n`);
    return EXIT_ERROR;
  }
  let bundle: LoadedBundle;
  try {
    bundle = readBundle(outdir);
  } catch (e) {
    io.err(`"${app}" ran but wrote no usable bundle to ${outdir}: ${(e as Error).message}\nDoes the program create a RootTenant and call app.synth()?\n`);
    return EXIT_ERROR;
  }
  io.out(describeBundle(bundle));
  return EXIT_OK;
}

/** A short report of a bundle: waves, object counts by kind, what each wave waits for, warnings. */
export function describeBundle(b: LoadedBundle): string {
  const out: string[] = [];
  out.push(`Bundle ${b.dir} (Cozystack ${b.index.cozystackVersion ?? '?'}): ${b.waves.length} wave${b.waves.length === 1 ? '' : 's'}, ${b.objects.size} object${b.objects.size === 1 ? '' : 's'}`);
  for (const w of b.waves) {
    const counts = new Map<string, number>();
    for (const o of w.objects) counts.set(o.ref.kind, (counts.get(o.ref.kind) ?? 0) + 1);
    const kinds = [...counts.entries()].map(([k, n]) => `${n} ${k}`).join(', ');
    const waits = w.waitFor.length > 0 ? `; then waits for ${w.waitFor.length} Tenant${w.waitFor.length === 1 ? '' : 's'}` : '';
    out.push(`  wave ${w.wave} (${w.file}): ${w.objects.length} object${w.objects.length === 1 ? '' : 's'} (${kinds})${waits}`);
  }
  if (b.warnings.length > 0) {
    out.push(`Warnings (${b.warnings.length}):`);
    for (const w of b.warnings) out.push(`  ${w}`);
  } else {
    out.push('No warnings.');
  }
  return out.join('\n') + '\n';
}
