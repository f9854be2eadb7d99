/**
 * One measurement, run by bench.ts in a fresh Node process so that sizes (and the
 * library and its floor) never share a heap:
 *
 *   library: declare a platform of N tenants and `app.synth()` it into an outdir
 *            (validation, inheritance, topology and writing included);
 *   floor:   the same final objects, read back from that outdir's waves, declared as
 *            plain cdk8s ApiObjects in one chart and written by cdk8s `App.synth()`;
 *            then `Yaml.stringify` of the same objects alone.
 *
 * Usage: child.ts library <tenants> <result.json> <outdir> <seed>
 *        child.ts floor <tenants> <result.json> <outdir> <library outdir>
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Yaml } from 'cdk8s';
import * as YAML from 'yaml';
import { buildPlatform } from './generator';

/** What one child reports. */
export interface ChildResult {
  readonly mode: 'library' | 'floor';
  readonly tenants: number;
  readonly objects: number;
  /** Seconds to declare the constructs. */
  readonly constructSeconds: number;
  /** Seconds of `app.synth()`. */
  readonly synthSeconds: number;
  /** Seconds of `Yaml.stringify` of the same objects (floor only). */
  readonly yamlSeconds?: number;
  /** Peak resident set size of the process at the end of the measured work, MiB. */
  readonly peakRssMiB: number;
  /** Heap in use right after synthesis, MiB. */
  readonly heapUsedMiB: number;
  readonly stats?: unknown;
}

function gc(): void {
  const g = (global as any).gc as (() => void) | undefined;
  if (g) g();
}

function seconds(from: bigint): number {
  return Number(process.hrtime.bigint() - from) / 1e9;
}

function mib(bytes: number): number {
  return Math.round(bytes / 1048576);
}

/** The objects of a written bundle, wave by wave, in file order. */
export function bundleObjects(outdir: string): any[] {
  const index = JSON.parse(fs.readFileSync(path.join(outdir, 'index.json'), 'utf8'));
  const out: any[] = [];
  for (const w of index.waves as Array<{ file: string }>) {
    // As cdk8s's Yaml.load parses (which reads files through a child process with a small buffer).
    const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(outdir, w.file), 'utf8'), { version: '1.1' });
    for (const d of docs) {
      const o = d.toJSON();
      if (o !== undefined && o !== null) out.push(o);
    }
  }
  return out;
}

function runLibrary(tenants: number, outdir: string, seed: number): ChildResult {
  gc();
  const app = new App({ outdir });
  let t = process.hrtime.bigint();
  const { stats } = buildPlatform(app, tenants, seed);
  const constructSeconds = seconds(t);
  t = process.hrtime.bigint();
  app.synth();
  const synthSeconds = seconds(t);
  const peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  const heapUsedMiB = mib(process.memoryUsage().heapUsed);
  const index = JSON.parse(fs.readFileSync(path.join(outdir, 'index.json'), 'utf8'));
  const objects = (index.waves as Array<{ objects: unknown[] }>).reduce((n, w) => n + w.objects.length, 0);
  return { mode: 'library', tenants, objects, constructSeconds, synthSeconds, peakRssMiB, heapUsedMiB, stats };
}

function runFloor(tenants: number, libraryOutdir: string, outdir: string): ChildResult {
  const manifests = bundleObjects(libraryOutdir);
  gc();
  let t = process.hrtime.bigint();
  const app = new App({ outdir });
  const chart = new Chart(app, 'floor');
  manifests.forEach((m, i) => new ApiObject(chart, `o${i}`, m));
  const constructSeconds = seconds(t);
  t = process.hrtime.bigint();
  app.synth();
  const synthSeconds = seconds(t);
  const peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  const heapUsedMiB = mib(process.memoryUsage().heapUsed);

  // The YAML serialization alone, in the chunks the library's waves use at most.
  gc();
  t = process.hrtime.bigint();
  let bytes = 0;
  for (let i = 0; i < manifests.length; i += YAML_CHUNK) {
    bytes += Yaml.stringify(...manifests.slice(i, i + YAML_CHUNK)).length;
  }
  const yamlSeconds = seconds(t);
  if (bytes === 0) throw new Error('no YAML');
  return { mode: 'floor', tenants, objects: manifests.length, constructSeconds, synthSeconds, yamlSeconds, peakRssMiB, heapUsedMiB };
}

/** `Yaml.stringify(...docs)` spreads its arguments: keep each call well below V8's argument limit. */
const YAML_CHUNK = 10_000;

function main(): void {
  const [mode, n, resultFile, outdir, extra] = process.argv.slice(2);
  const tenants = Number(n);
  let result: ChildResult;
  if (mode === 'library') {
    result = runLibrary(tenants, outdir, Number(extra));
  } else if (mode === 'floor') {
    result = runFloor(tenants, extra, outdir);
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  fs.writeFileSync(resultFile, JSON.stringify(result, null, 2));
}

if (require.main === module) main();
