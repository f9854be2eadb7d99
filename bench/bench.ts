/**
 * The synthesis benchmark (issues 7 and 12): platforms of 100 to 100,000 tenants, each
 * size measured in fresh Node processes (library, then its plain-cdk8s floor, alternating
 * `--runs` times, best of each), printed as a table and written to bench/results.json.
 *
 *   npm run bench                       # all sizes (about 5 minutes on 2 cores)
 *   npm run bench -- --sizes 100,1000   # a quick run
 *
 * Options:
 *   --sizes a,b,c    tenant counts (default 100,1000,10000,30000,100000)
 *   --runs n         library and floor runs per size, alternating, best of each (default 1);
 *                    on a loaded machine the ratio is only meaningful as a best of several
 *   --runs-up-to n   only sizes up to n tenants get --runs runs, larger ones one (default: all)
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

const DEFAULT_SIZES = [100, 1_000, 10_000, 30_000, 100_000];

/** V8 stack size of the floor's process, KiB (below the usual 8 MiB thread stack). */
const FLOOR_STACK_KIB = 6000;

/** The targets of issue 12 (issue 7's growth target kept). */
export const TARGETS = {
  /** Library time / floor time at 10,000 and at 30,000 tenants. */
  ratio: 0.8,
  /** The sizes the ratio target applies to. */
  ratioAt: [10_000, 30_000],
  /** Time growth for 10x more tenants. */
  growthPer10x: 11,
  /** Peak memory at 100,000 tenants, MiB. */
  peakMiBAt100k: 3072,
} as const;

interface Options {
  readonly sizes: number[];
  readonly seed: number;
  readonly heapMiB: number;
  readonly profile: boolean;
  readonly out: string;
  readonly runs: number;
  readonly runsUpTo: number;
}

function parseArgs(argv: string[]): Options {
  const opts = {
    sizes: DEFAULT_SIZES, seed: 42, heapMiB: 4096, profile: false, out: path.join(__dirname, 'results.json'), runs: 1, runsUpTo: Infinity,
  };
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
    else if (a.startsWith('--runs-up-to')) opts.runsUpTo = Number(value().replace(/_/g, ''));
    else if (a.startsWith('--runs')) opts.runs = Number(value());
    else throw new Error(`unknown option ${a} (see the comment at the top of bench/bench.ts)`);
  }
  if (!Number.isInteger(opts.runs) || opts.runs < 1) throw new Error(`--runs must be a positive integer: ${opts.runs}`);
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
  /** Library total / floor total (each the best of its runs). */
  readonly ratio: number;
  /** Library and floor runs (alternating); times are the best run of each, peaks the highest. */
  readonly runs: number;
  /** Every run's total seconds, in the order they ran. */
  readonly runSeconds: { readonly library: number[]; readonly floor: number[] };
  /** The 1-minute load average before the size's first run and after its last. */
  readonly loadAverage: readonly [number, number];
  /** Library total / library total of the previous size (when it had 10x fewer tenants). */
  readonly growth?: number;
  readonly stats: unknown;
}

function measure(opts: Options, tenants: number): Row {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cozystack-bench-'));
  try {
    const loadBefore = os.loadavg()[0];
    const runs = tenants <= opts.runsUpTo ? opts.runs : 1;
    const libs: ChildResult[] = [];
    const floors: ChildResult[] = [];
    const firstLibDir = path.join(tmp, 'library-0');
    for (let i = 0; i < runs; i++) {
      // Library and floor alternate, so that a change of the machine's load hits both.
      const libDir = path.join(tmp, `library-${i}`);
      libs.push(runChild(opts, ['library', String(tenants), libDir, String(opts.seed)], opts.profile && i === 0 ? `library-${tenants}` : undefined));
      if (i > 0) fs.rmSync(libDir, { recursive: true, force: true });
      const floorDir = path.join(tmp, `floor-${i}`);
      floors.push(runChild(opts, ['floor', String(tenants), floorDir, firstLibDir]));
      fs.rmSync(floorDir, { recursive: true, force: true });
      if (floors[i].objects !== libs[0].objects || libs[i].objects !== libs[0].objects) {
        throw new Error(`the floor read ${floors[i].objects} objects, the library wrote ${libs[i].objects}`);
      }
    }
    const total = (r: ChildResult) => r.constructSeconds + r.synthSeconds;
    const best = (rs: ChildResult[]) => rs.reduce((a, b) => (total(b) < total(a) ? b : a));
    const lib = best(libs);
    const floor = best(floors);
    const totalSeconds = total(lib);
    const floorSeconds = total(floor);
    return {
      tenants,
      objects: lib.objects,
      constructSeconds: lib.constructSeconds,
      synthSeconds: lib.synthSeconds,
      totalSeconds,
      peakMiB: Math.max(...libs.map(r => r.peakRssMiB)),
      floorSeconds,
      floorConstructSeconds: floor.constructSeconds,
      floorSynthSeconds: floor.synthSeconds,
      floorPeakMiB: Math.max(...floors.map(r => r.peakRssMiB)),
      yamlOnlySeconds: Math.min(...floors.map(r => r.yamlSeconds ?? NaN)),
      ratio: totalSeconds / floorSeconds,
      runs,
      runSeconds: { library: libs.map(total), floor: floors.map(total) },
      loadAverage: [loadBefore, os.loadavg()[0]],
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
  ['runs', r => String(r.runs)],
  ['load', r => `${r.loadAverage[0].toFixed(1)}-${r.loadAverage[1].toFixed(1)}`],
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
    loadAverage: os.loadavg(),
  };
}

/** Which targets hold, as far as the measured sizes show. */
function verdicts(rows: Row[]): Array<{ target: string; value: string; holds: boolean }> {
  const out: Array<{ target: string; value: string; holds: boolean }> = [];
  const at = (n: number) => rows.find(r => r.tenants === n);
  for (const n of TARGETS.ratioAt) {
    const r = at(n);
    if (r) out.push({ target: `library <= ${TARGETS.ratio}x floor at ${n.toLocaleString('en-US')} tenants`, value: `${r.ratio.toFixed(2)}x`, holds: r.ratio <= TARGETS.ratio });
  }
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
    process.stderr.write(`[bench]   library ${last.totalSeconds.toFixed(2)} s, floor ${last.floorSeconds.toFixed(2)} s (${last.ratio.toFixed(2)}x), peak ${last.peakMiB} MiB`
      + ` (runs: library ${last.runSeconds.library.map(x => x.toFixed(2)).join(', ')}; floor ${last.runSeconds.floor.map(x => x.toFixed(2)).join(', ')}; load ${last.loadAverage.map(x => x.toFixed(1)).join('-')})\n`);
  }
  const info = machine();
  const checks = verdicts(rows);
  console.log(`\ncdk8s-cozystack synth benchmark: ${info.cpus} x ${info.model}, Node ${info.node}, ${info.totalMemoryMiB} MiB, ${info.date}\n`);
  console.log(table(rows));
  console.log('\nfloor s = the same objects as plain cdk8s ApiObjects in one chart, App.synth(); yaml-only s = cdk8s Yaml.stringify of them alone.');
  console.log('peak MiB = the library process\'s peak RSS (the Node/ts-node baseline included), the highest of its runs.');
  console.log('runs = library and floor runs, alternating, each in a fresh process; times are the best run of each. load = 1-minute load average before and after.\n');
  for (const c of checks) console.log(`${c.holds ? 'PASS' : 'FAIL'}  ${c.target}: ${c.value}`);
  fs.writeFileSync(opts.out, JSON.stringify({
    machine: info,
    options: {
      sizes: opts.sizes, seed: opts.seed, heapMiB: opts.heapMiB, runs: opts.runs, runsUpTo: Number.isFinite(opts.runsUpTo) ? opts.runsUpTo : null,
    },
    targets: TARGETS,
    rows,
    checks,
    wallSeconds: (Date.now() - started) / 1000,
  }, null, 2) + '\n');
  console.log(`\nwrote ${path.relative(process.cwd(), opts.out)} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
}

if (require.main === module) {
  main();
  // Then the apply benchmark against the real test cluster (bench/apply-bench.ts); BENCH_APPLY=0 skips it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (process.env.BENCH_APPLY !== '0') void (require('./apply-bench') as typeof import('./apply-bench')).main([]);
}
