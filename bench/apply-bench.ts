/**
 * The apply benchmark (issue 14): `cdk8s-cozystack apply` of the benchmark's platform
 * (bench/generator.ts, 1,000 tenants by default) against the real test cluster (real etcd
 * and kube-apiserver, the stand-in apps.cozystack.io and the test reconciler, in a cluster
 * of its own under .cache/apply-bench/cluster/), and plain `kubectl apply` of the same wave files with the
 * same waits (`kubectl wait --for=condition=Ready` on each wave's Tenants) on a fresh
 * cluster. For each: a fresh apply, a no-op apply (the same bundle again) and a one-tenant
 * change (one Postgres's replicas); requests and writes counted in the API server's audit
 * log (every request of the applying identity; discovery is not logged), time by the clock.
 *
 *   npx ts-node -P bench/tsconfig.json bench/apply-bench.ts            # 1,000 tenants (about 10 minutes on 2 cores)
 *   npx ts-node -P bench/tsconfig.json bench/apply-bench.ts --tenants 200
 *
 * `npm run bench` runs it after the synthesis benchmark (BENCH_APPLY=0 skips it). Writes
 * bench/apply-results.json.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import * as YAML from 'yaml';
import { buildPlatform } from './generator';

const ROOT = path.resolve(__dirname, '..');
/** Bundles, kubectl's cache and the cluster, under .cache/ (jest ignores it; .bench-tmp/ may be cleared by the synthesis benchmark). */
const WORK = path.join(ROOT, '.cache', 'apply-bench');
// A cluster of the benchmark's own: set before real-cluster.ts is loaded (it reads the folder once).
// Under .cache/, which jest ignores (etcd's *.snap files would pass for obsolete snapshots).
process.env.CDK8S_COZYSTACK_CLUSTER_DIR = path.join(WORK, 'cluster');

/* eslint-disable @typescript-eslint/no-require-imports */
const rc = require('../test/support/real-cluster') as typeof import('../test/support/real-cluster');
const cli = require('../src/cli/main') as typeof import('../src/cli/main');
/* eslint-enable @typescript-eslint/no-require-imports */

interface Measure {
  readonly seconds: number;
  readonly requests: number;
  readonly writes: number;
}

interface Result {
  readonly tool: 'cdk8s-cozystack apply' | 'kubectl apply + kubectl wait';
  fresh?: Measure;
  noop?: Measure;
  oneTenant?: Measure;
}

function parseArgs(argv: string[]): { tenants: number; out: string } {
  const o = { tenants: 1000, out: path.join(__dirname, 'apply-results.json') };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--tenants') o.tenants = Number(argv[++i]);
    else if (argv[i] === '--out') o.out = path.resolve(argv[++i]);
    else throw new Error(`unknown option ${argv[i]} (see the comment at the top of bench/apply-bench.ts)`);
  }
  return o;
}

/** The benchmark's platform, synthesized quietly. */
function synth(dir: string, tenants: number): void {
  fs.rmSync(dir, { recursive: true, force: true });
  const app = new App({ outdir: dir });
  buildPlatform(app, tenants);
  const err = process.stderr.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    app.synth();
  } finally {
    process.stderr.write = err;
  }
}

/** A copy of `from` where one tenant's first Postgres gets one replica more (index.json re-hashed). Returns its key. */
function oneTenantChange(from: string, to: string): string {
  fs.rmSync(to, { recursive: true, force: true });
  fs.cpSync(from, to, { recursive: true });
  const index = JSON.parse(fs.readFileSync(path.join(to, 'index.json'), 'utf8'));
  for (const w of index.waves) {
    if (w.wave === 0) continue;
    const file = path.join(to, w.file);
    const docs = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).map(d => d.toJS());
    const pg = docs.find(d => d?.kind === 'Postgres');
    if (!pg) continue;
    pg.spec.replicas = (pg.spec.replicas ?? 2) + 1;
    const text = docs.map(d => YAML.stringify(d)).join('---\n');
    fs.writeFileSync(file, text);
    const sha = createHash('sha256').update(text).digest('hex');
    w.sha256 = sha;
    if (index.files?.[w.file]) index.files[w.file] = sha;
    fs.writeFileSync(path.join(to, 'index.json'), JSON.stringify(index, null, 2));
    return `Postgres/${pg.metadata.namespace}/${pg.metadata.name}`;
  }
  throw new Error('no Postgres in waves 1+ to change');
}

/** Requests and writes of user `admin` in the audit log after `mark`. */
function count(cluster: import('../test/support/real-cluster').RealCluster, mark: number, seconds: number): Measure {
  const events = cluster.auditEvents(mark).filter(e => e.user.username === 'admin');
  return { seconds, requests: events.length, writes: events.filter(e => rc.WRITE_VERBS.includes(e.verb)).length };
}

async function freshCluster(): Promise<import('../test/support/real-cluster').RealCluster> {
  await rc.stopRealCluster();
  return rc.startRealCluster({ log: s => process.stderr.write(`[apply-bench] ${s}\n`) });
}

async function ours(cluster: import('../test/support/real-cluster').RealCluster, bundle: string): Promise<Measure> {
  const mark = cluster.auditMark();
  const t0 = Date.now();
  let out = '';
  let err = '';
  const code = await cli.run(['apply', '--bundle', bundle, '--kubectl', cluster.kubectl, '--kubeconfig', cluster.kubeconfig, '--timeout', '30m'],
    { out: s => { out += s; }, err: s => { err += s; } });
  const seconds = (Date.now() - t0) / 1000;
  if (code !== 0) throw new Error(`apply failed (${code}):\n${err}\n${out.slice(-4000)}`);
  return count(cluster, mark, seconds);
}

/** Plain kubectl: each wave file, then `kubectl wait` for its Tenants (per namespace), as a pipeline would script it. */
function plain(cluster: import('../test/support/real-cluster').RealCluster, bundle: string): Measure {
  const index = JSON.parse(fs.readFileSync(path.join(bundle, 'index.json'), 'utf8'));
  const mark = cluster.auditMark();
  const t0 = Date.now();
  const kubectl = (args: string[]) => {
    const r = spawnSync(cluster.kubectl, ['--kubeconfig', cluster.kubeconfig, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`kubectl ${args.slice(0, 4).join(' ')} ... failed: ${r.stderr}`);
  };
  for (const w of index.waves) {
    kubectl(['apply', '-f', path.join(bundle, w.file)]);
    const byNs = new Map<string, string[]>();
    for (const t of w.waitFor) byNs.set(t.namespace, [...(byNs.get(t.namespace) ?? []), `tenants.apps.cozystack.io/${t.name}`]);
    for (const [ns, names] of byNs) kubectl(['wait', '--for=condition=Ready', '--timeout=30m', '-n', ns, ...names]);
  }
  return count(cluster, mark, (Date.now() - t0) / 1000);
}

function row(name: string, m: Measure): string {
  return `| ${name} | ${m.seconds.toFixed(1)} | ${m.requests.toLocaleString('en-US')} | ${m.writes.toLocaleString('en-US')} |`;
}

export async function main(argv = process.argv.slice(2)): Promise<void> {
  const opts = parseArgs(argv);
  process.env.KUBECACHEDIR = path.join(WORK, 'kubecache');
  const bundle = path.join(WORK, 'bundle');
  const changed = path.join(WORK, 'bundle-one-tenant');
  process.stderr.write(`[apply-bench] synthesizing ${opts.tenants} tenants\n`);
  synth(bundle, opts.tenants);
  const key = oneTenantChange(bundle, changed);
  const index = JSON.parse(fs.readFileSync(path.join(bundle, 'index.json'), 'utf8'));
  const objects = index.waves.reduce((n: number, w: any) => n + w.objects.length, 0);

  const info = { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? '', node: process.version, date: new Date().toISOString() };
  const results: Result[] = [];
  /** Written after every measurement, so that a run cut short keeps what it measured. */
  const save = () => fs.writeFileSync(opts.out, `${JSON.stringify({ machine: info, tenants: opts.tenants, objects, waves: index.waves.length, change: key, results }, null, 2)}\n`);
  const step = async (r: Result, what: 'fresh' | 'noop' | 'oneTenant', fn: () => Promise<Measure> | Measure) => {
    r[what] = await fn();
    process.stderr.write(`[apply-bench]   ${r.tool}, ${what}: ${JSON.stringify(r[what])}\n`);
    save();
  };
  let cluster = await freshCluster();
  try {
    process.stderr.write('[apply-bench] cdk8s-cozystack apply: fresh, no-op, one tenant\n');
    const o: Result = { tool: 'cdk8s-cozystack apply' };
    results.push(o);
    await step(o, 'fresh', () => ours(cluster, bundle));
    await step(o, 'noop', () => ours(cluster, bundle));
    await step(o, 'oneTenant', () => ours(cluster, changed));
    await cluster.stop();

    cluster = await freshCluster();
    process.stderr.write('[apply-bench] kubectl apply + kubectl wait: fresh, no-op, one tenant\n');
    const k: Result = { tool: 'kubectl apply + kubectl wait' };
    results.push(k);
    await step(k, 'fresh', () => plain(cluster, bundle));
    await step(k, 'noop', () => plain(cluster, bundle));
    await step(k, 'oneTenant', () => plain(cluster, changed));
  } finally {
    await cluster.stop();
    await rc.stopRealCluster();
  }

  console.log(`\ncdk8s-cozystack apply benchmark: ${opts.tenants.toLocaleString('en-US')} tenants, ${objects.toLocaleString('en-US')} objects in `
    + `${index.waves.length} waves; one-tenant change: ${key}; ${info.cpus} x ${info.model}, Node ${info.node}, ${info.date}\n`);
  console.log('| run | seconds | requests | writes |');
  console.log('|---|---:|---:|---:|');
  for (const r of results) {
    console.log(row(`${r.tool}: fresh`, r.fresh!));
    console.log(row(`${r.tool}: no-op`, r.noop!));
    console.log(row(`${r.tool}: one tenant`, r.oneTenant!));
  }
  console.log(`\nwrote ${path.relative(process.cwd(), opts.out)}`);
}

if (require.main === module) {
  main().catch(e => {
    console.error(e);
    process.exitCode = 1;
  });
}
