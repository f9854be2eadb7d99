/**
 * The synthesis benchmark (issue 7): platforms of 100 to 100,000 tenants, each size
 * measured in fresh Node processes (library, then its plain-cdk8s floor), printed as
 * a table and written to bench/results.json.
 *
 *   npm run bench                       # all sizes (about 5 minutes on 2 cores)
 *   npm run bench -- --sizes 100,1000   # a quick run
 *
 * Options:
 *   --sizes a,b,c    tenant counts (default 100,1000,10000,100000)
 *   --seed n         generator seed (default 42)
 *   --heap MiB       --max-old-space-size of every child (default 4096: the memory target)
 *   --profile        also write a V8 CPU profile of each library run into .bench-tmp/profiles/ (git-ignored)
 *   --out file       where to write the results (default bench/results.json)
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ChildResult } from './child';

const DEFAULT_SIZES = [100, 1_000, 10_000, 100_000];

/** V8 stack size of the floor's process, KiB (below the usual 8 MiB thread stack). */
const FLOOR_STACK_KIB = 6000;

/** The targets of issue 7. */
export const TARGETS = {
  /** Library time / floor time at 10,000 tenants. */
  ratioAt10k: 1.3,
  /** Time growth for 10x more tenants. */
  growthPer10x: 11,
  /** Peak memory at 100,000 tenants, MiB. */
  peakMiBAt100k: 4096,
} as const;

interface Options {
  readonly sizes: number[];
  readonly seed: number;
  readonly heapMiB: number;
  readonly profile: boolean;
  readonly out: string;
}

function parseArgs(argv: string[]): Options {
  const opts = { sizes: DEFAULT_SIZES, seed: 42, heapMiB: 4096, profile: false, out: path.join(__dirname, 'results.json') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a.startsWith('--sizes')) opts.sizes = value().split(',').map(s => Number(s.replace(/_/g, '')));
    else if (a.startsWith('--seed')) opts.seed = Number(value());
    else if (a.startsWith('--heap')) opts.heapMiB = Number(value());
    else if (a === '--profile') opts.profile = true;
    else if (a.startsWith('--out')) opts.out = path.resolve(value());
    else throw new Error(`unknown option ${a} (see the comment at the top of bench/bench.ts)`);
  }
  if (opts.sizes.some(n => !Number.isInteger(n) || n < 1)) throw new Error(`--sizes must be positive integers: ${opts.sizes.join(',')}`);
  return opts;
}

/** Runs child.ts in a fresh Node process and returns what it measured. */
function runChild(opts: Options, args: string[], profileName?: string): ChildResult {
  const resultFile = path.join(os.tmpdir(), `cozystack-bench-${process.pid}-${Date.now()}.json`);
  const nodeArgs = [`--max-old-space-size=${opts.heapMiB}`, '--expose-gc'];
  // cdk8s's Yaml.save spreads every object of a chart into one call: past about 120,000
  // objects that overflows V8's default stack (~1 MB), so plain cdk8s needs a larger one.
  if (args[0] === 'floor') nodeArgs.push(`--stack-size=${FLOOR_STACK_KIB}`);
  if (profileName) {
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${path.join(__dirname, '..', '.bench-tmp', 'profiles')}`, `--cpu-prof-name=${profileName}.cpuprofile`);
  }
  const child = spawnSync(process.execPath, [...nodeArgs, '-r', require.resolve('ts-node/register'), path.join(__dirname, 'child.ts'), args[0], args[1], resultFile, ...args.slice(2)], {
    // The child only runs code this process already type-checked: transpile it, no checks.
    env: { ...process.env, TS_NODE_PROJECT: path.join(__dirname, 'tsconfig.json'), TS_NODE_TRANSPILE_ONLY: 'true' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (child.status !== 0 || !fs.existsSync(resultFile)) {
    throw new Error(`child ${args.slice(0, 2).join(' ')} failed (exit ${child.status}, signal ${child.signal})`);
  }
  const result = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as ChildResult;
  fs.rmSync(resultFile, { force: true });
  return result;
}

/** One row of the table. */
export interface Row {
  readonly tenants: number;
  readonly objects: number;
  readonly constructSeconds: number;
  readonly synthSeconds: number;
  readonly totalSeconds: number;
  readonly peakMiB: number;
  readonly floorSeconds: number;
  readonly floorConstructSeconds: number;
  readonly floorSynthSeconds: number;
  readonly floorPeakMiB: number;
  readonly yamlOnlySeconds: number;
  /** Library total / floor total. */
  readonly ratio: number;
  /** Library total / library total of the previous size (when it had 10x fewer tenants). */
  readonly growth?: number;
  readonly stats: unknown;
}

function measure(opts: Options, tenants: number): Row {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cozystack-bench-'));
  try {
    const libDir = path.join(tmp, 'library');
    const floorDir = path.join(tmp, 'floor');
    const lib = runChild(opts, ['library', String(tenants), libDir, String(opts.seed)], opts.profile ? `library-${tenants}` : undefined);
    const floor = runChild(opts, ['floor', String(tenants), floorDir, libDir]);
    if (floor.objects !== lib.objects) throw new Error(`the floor read ${floor.objects} objects, the library wrote ${lib.objects}`);
    const totalSeconds = lib.constructSeconds + lib.synthSeconds;
    const floorSeconds = floor.constructSeconds + floor.synthSeconds;
    return {
      tenants,
      objects: lib.objects,
      constructSeconds: lib.constructSeconds,
      synthSeconds: lib.synthSeconds,
      totalSeconds,
      peakMiB: lib.peakRssMiB,
      floorSeconds,
      floorConstructSeconds: floor.constructSeconds,
      floorSynthSeconds: floor.synthSeconds,
      floorPeakMiB: floor.peakRssMiB,
      yamlOnlySeconds: floor.yamlSeconds ?? NaN,
      ratio: totalSeconds / floorSeconds,
      stats: lib.stats,
    };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

const COLUMNS: Array<[string, (r: Row) => string]> = [
  ['tenants', r => r.tenants.toLocaleString('en-US')],
  ['objects', r => r.objects.toLocaleString('en-US')],
  ['construct s', r => r.constructSeconds.toFixed(2)],
  ['synth s', r => r.synthSeconds.toFixed(2)],
  ['total s', r => r.totalSeconds.toFixed(2)],
  ['peak MiB', r => String(r.peakMiB)],
  ['floor s', r => r.floorSeconds.toFixed(2)],
  ['yaml-only s', r => r.yamlOnlySeconds.toFixed(2)],
  ['library/floor', r => r.ratio.toFixed(2)],
  ['growth (10x tenants)', r => r.growth === undefined ? '-' : `${r.growth.toFixed(1)}x`],
];

/** The table as Markdown (also what the README carries). */
export function table(rows: Row[]): string {
  const lines = [`| ${COLUMNS.map(c => c[0]).join(' | ')} |`, `|${COLUMNS.map(() => '---:').join('|')}|`];
  for (const r of rows) lines.push(`| ${COLUMNS.map(c => c[1](r)).join(' | ')} |`);
  return lines.join('\n');
}

function machine(): Record<string, unknown> {
  return {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    totalMemoryMiB: Math.round(os.totalmem() / 1048576),
    date: new Date().toISOString(),
  };
}

/** Which targets hold, as far as the measured sizes show. */
function verdicts(rows: Row[]): Array<{ target: string; value: string; holds: boolean }> {
  const out: Array<{ target: string; value: string; holds: boolean }> = [];
  const at = (n: number) => rows.find(r => r.tenants === n);
  const r10k = at(10_000);
  if (r10k) out.push({ target: `library <= ${TARGETS.ratioAt10k}x floor at 10,000 tenants`, value: `${r10k.ratio.toFixed(2)}x`, holds: r10k.ratio <= TARGETS.ratioAt10k });
  for (const r of rows) {
    if (r.growth !== undefined) {
      out.push({ target: `10x tenants <= ${TARGETS.growthPer10x}x time (${(r.tenants / 10).toLocaleString('en-US')} -> ${r.tenants.toLocaleString('en-US')})`, value: `${r.growth.toFixed(1)}x`, holds: r.growth <= TARGETS.growthPer10x });
    }
  }
  const r100k = at(100_000);
  if (r100k) out.push({ target: `peak < ${TARGETS.peakMiBAt100k} MiB at 100,000 tenants`, value: `${r100k.peakMiB} MiB`, holds: r100k.peakMiB < TARGETS.peakMiBAt100k });
  return out;
}

function main(): void {
  const opts = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const rows: Row[] = [];
  for (const tenants of opts.sizes) {
    process.stderr.write(`[bench] ${tenants.toLocaleString('en-US')} tenants...\n`);
    const row = measure(opts, tenants);
    const prev = rows.find(r => r.tenants * 10 === tenants);
    rows.push(prev ? { ...row, growth: row.totalSeconds / prev.totalSeconds } : row);
    const last = rows[rows.length - 1];
    process.stderr.write(`[bench]   library ${last.totalSeconds.toFixed(2)} s, floor ${last.floorSeconds.toFixed(2)} s, peak ${last.peakMiB} MiB\n`);
  }
  const info = machine();
  const checks = verdicts(rows);
  console.log(`\ncdk8s-cozystack synth benchmark: ${info.cpus} x ${info.model}, Node ${info.node}, ${info.totalMemoryMiB} MiB, ${info.date}\n`);
  console.log(table(rows));
  console.log('\nfloor s = the same objects as plain cdk8s ApiObjects in one chart, App.synth(); yaml-only s = cdk8s Yaml.stringify of them alone.');
  console.log('peak MiB = the library process\'s peak RSS (the Node/ts-node baseline included).\n');
  for (const c of checks) console.log(`${c.holds ? 'PASS' : 'FAIL'}  ${c.target}: ${c.value}`);
  fs.writeFileSync(opts.out, JSON.stringify({
    machine: info,
    options: { sizes: opts.sizes, seed: opts.seed, heapMiB: opts.heapMiB },
    targets: TARGETS,
    rows,
    checks,
    wallSeconds: (Date.now() - started) / 1000,
  }, null, 2) + '\n');
  console.log(`\nwrote ${path.relative(process.cwd(), opts.out)} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
}

if (require.main === module) main();
