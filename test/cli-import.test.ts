/**
 * `cdk8s-cozystack import`: the kind → construct map against the registry and the library's
 * exports; a program from a file shaped like `kubectl get -A -o yaml` output (server
 * metadata, every chart default filled in, objects the library cannot express); and a
 * program imported from the real test cluster after `apply` that plans no change.
 *
 * The live test synthesizes the imported program and runs `plan --live` on it (every object
 * against the cluster, reads only), and also `plan --from <applied bundle>`, which compares
 * exactly what `apply` wrote with what the program would write.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import * as YAML from 'yaml';
import * as lib from '../src';
import { Captured, TempDirs } from './support/bundles';
import { RealCluster, startRealCluster } from './support/real-cluster';
import { run } from '../src/cli/main';
import { chartData, ChartName, helmMerge } from '../src/domain/charts';
import { CONSTRUCT_OF_KIND } from '../src/domain/construct-names';
import { REGISTRY } from '../src/domain/registry';

jest.setTimeout(180_000);

const REPO = path.resolve(__dirname, '..');
const WORK = path.join(REPO, '.cache', `cli-import-${process.pid}`);
const dirs = new TempDirs();
/** Programs written by the tests, type-checked together by the last one. */
const programs: string[] = [];

afterAll(() => {
  fs.rmSync(WORK, { recursive: true, force: true });
  dirs.cleanup();
});

async function cli(...args: string[]): Promise<Captured & { code: number }> {
  const c = new Captured();
  const code = await run(args, c.io);
  return Object.assign(c, { code });
}

function quietly<T>(fn: () => T): T {
  const stderr = process.stderr.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    return fn();
  } finally {
    process.stderr.write = stderr;
  }
}

/** Runs a generated program (a script) with its bundle in `outdir`. */
function runProgram(file: string, outdir: string): void {
  const before = process.env.CDK8S_OUTDIR;
  process.env.CDK8S_OUTDIR = outdir;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    quietly(() => require(file));
  } finally {
    if (before === undefined) delete process.env.CDK8S_OUTDIR;
    else process.env.CDK8S_OUTDIR = before;
  }
}

function waveObjects(dir: string): any[] {
  return fs.readdirSync(dir).filter(f => /^wave-\d+\./.test(f)).sort()
    .flatMap(f => YAML.parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map(d => d.toJS()).filter(Boolean));
}

test('every kind of the registry has a construct the library exports', () => {
  for (const def of REGISTRY.all()) {
    const c = CONSTRUCT_OF_KIND[def.kind];
    expect({ kind: def.kind, mapped: c !== undefined }).toEqual({ kind: def.kind, mapped: true });
    if (c.form === 'none') continue;
    expect({ kind: def.kind, exported: typeof (lib as any)[c.construct] }).toEqual({ kind: def.kind, exported: 'function' });
    expect(c.form === 'module').toBe(def.role === 'module');
    if (c.references) expect(REGISTRY.tryGet(c.references.kind)).toBeDefined();
  }
  expect(Object.keys(CONSTRUCT_OF_KIND).filter(k => !REGISTRY.tryGet(k))).toEqual([]);
});

/** An object as `kubectl get -o yaml` shows it: server metadata, the chart's defaults under the spec. */
function served(kind: string, namespace: string, name: string, spec: Record<string, unknown>, extra: Record<string, unknown> = {}): any {
  const def = REGISTRY.tryGet(kind);
  const filled = def ? helmMerge(chartData('v1.6.2', def.chart as ChartName).values, spec) : spec;
  return {
    apiVersion: 'apps.cozystack.io/v1alpha1',
    kind,
    metadata: { name, namespace, uid: `uid-${kind}-${name}`, resourceVersion: '42', generation: 1, creationTimestamp: '2026-11-30T00:00:00Z' },
    spec: filled,
    status: { conditions: [{ type: 'Ready', status: 'True' }] },
    ...extra,
  };
}

test('a file of kubectl output: defaults left out, names kept, what cannot be expressed listed, and the program still works', async () => {
  fs.mkdirSync(WORK, { recursive: true });
  const list = {
    apiVersion: 'v1',
    kind: 'List',
    items: [
      served('Tenant', 'tenant-root', 'root', { etcd: true, ingress: true }),
      served('Tenant', 'tenant-root', 'k5', { resourceQuotas: { cpu: '4' } }, { status: { namespace: 'tenant-k5' } }),
      served('Tenant', 'tenant-k5', 'team', { host: 'team.corp.test' }),
      served('Ingress', 'tenant-root', 'ingress', { replicas: 3 }),
      // A Postgres and a Tenant with the same name in one tenant: Cozystack keeps them apart, so does the program.
      served('Postgres', 'tenant-root', 'k5', { replicas: 3, users: { app: {} } }),
      served('Redis', 'tenant-k5', 'cache', {}, {
        metadata: {
          name: 'cache',
          namespace: 'tenant-k5',
          uid: 'u',
          labels: { 'team': 'web', 'app.kubernetes.io/managed-by': 'cdk8s-cozystack' },
          annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
        },
      }),
      served('Redis', 'tenant-gone', 'orphan', {}),
      served('Widget', 'tenant-k5', 'w1', {}),
      served('KubernetesNodes', 'tenant-k5', 'nope-gpu', { cluster: 'nope', minReplicas: 0, maxReplicas: 1, instanceType: 'u1.large' }),
      served('Postgres', 'tenant-k5-team', 'db', { typo: 1, users: { app: { password: 'hunter2' } } }),
    ],
  };
  const file = path.join(WORK, 'platform.yaml');
  fs.writeFileSync(file, YAML.stringify(list));
  const program = path.join(WORK, 'from-file.ts');
  const r = await cli('import', '--file', file, '--cozystack-version', 'v1.6', '--root-host', 'example.org', '--library', path.join(REPO, 'src'), '--out', program);
  expect(r.code).toBe(0);
  programs.push(program);
  const text = fs.readFileSync(program, 'utf8');
  expect(r.stderr).not.toContain('managed-by');
  expect(r.stderr).not.toContain('last-applied');
  expect(text).toContain(`const root = new RootTenant(app, 'platform', { host: 'example.org', version: CozystackVersion.V1_6 });
new EtcdService(root);
new IngressService(root, { replicas: 3 });
new Postgres(root, 'k5-postgres', { name: 'k5', replicas: 3, users: { app: {} } });

const k5 = new Tenant(root, 'k5', { resourceQuotas: { cpu: '4' } });
new Redis(k5, 'cache');

const team = new Tenant(k5, 'team', { host: 'team.corp.test' });
new Postgres(team, 'db', { allowPlaintextSecrets: true, users: { app: { password: 'hunter2' } } });
`);
  // Listed with why, in the program and on stderr.
  for (const [object, why] of [
    ['Redis/tenant-gone/orphan', 'no tenant\'s namespace'],
    ['Widget/tenant-k5/w1', 'no construct for the kind Widget'],
    ['KubernetesNodes/tenant-k5/nope-gpu', 'names no Kubernetes of the same tenant'],
    ['Postgres/tenant-k5-team/db', 'spec.typo is not a value of the postgres chart'],
    ['Redis/tenant-k5/cache', 'metadata.labels.team is not carried over'],
  ]) {
    expect(text).toMatch(new RegExp(`^// - ${object}: .*${why}`, 'm'));
    expect(r.stderr).toContain(`not imported: ${object}: `);
  }
  const out = path.join(WORK, 'from-file-bundle');
  runProgram(program, out);
  const objects = waveObjects(out);
  const pg = objects.find(o => o.kind === 'Postgres' && o.metadata.name === 'k5');
  expect(pg.spec).toEqual({ replicas: 3, users: { app: {} } });
  expect(objects.find(o => o.kind === 'Tenant' && o.metadata.name === 'team').spec.host).toBe('team.corp.test');
});

test('refusals name what to do: no root host from a file, an unknown --tenant, an unknown version', async () => {
  fs.mkdirSync(WORK, { recursive: true });
  const file = path.join(WORK, 'one.yaml');
  fs.writeFileSync(file, YAML.stringify(served('Tenant', 'tenant-root', 'foo', {})));
  const noHost = await cli('import', '--file', file, '--cozystack-version', 'v1.6');
  expect(noHost.code).toBe(1);
  expect(noHost.stderr).toContain('pass --root-host <host>');
  const unknown = await cli('import', '--file', file, '--cozystack-version', 'v1.6', '--root-host', 'example.org', '--tenant', 'tenant-bar');
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toContain('No Tenant among the objects read has the namespace tenant-bar; tenants: tenant-foo.');
  const version = await cli('import', '--file', file, '--cozystack-version', 'v2.0', '--root-host', 'example.org');
  expect(version.code).toBe(1);
  expect(version.stderr).toContain('Unknown Cozystack version "v2.0"');
  expect(version.stdout).toBe('');
});

describe('against the real test cluster', () => {
  let cluster: RealCluster;
  const T = `im${Date.now().toString(36).slice(-6)}`;
  const NS = `tenant-${T}`;
  let applied: string;

  beforeAll(async () => {
    process.env.KUBECACHEDIR = dirs.make('kubecache-');
    cluster = await startRealCluster();
    applied = dirs.make('import-applied-');
    const app = new App({ outdir: applied });
    const root = new lib.RootTenant(app, 'platform', { host: 'example.org' });
    new lib.EtcdService(root);
    const t = new lib.Tenant(root, T, { resourceQuotas: { cpu: '8', memory: '16Gi' } });
    new lib.IngressService(t, { replicas: 3 });
    new lib.EtcdService(t);
    new lib.Postgres(t, 'db1', { replicas: 3, users: { app: {} }, databases: { app: { roles: { admin: ['app'] } } } });
    const k1 = new lib.KubernetesCluster(t, 'k1', { nodeGroups: { md0: { minReplicas: 1, maxReplicas: 2, instanceType: 'u1.large', diskSize: '30Gi' } } });
    // No value equal to its chart default: the server fills every default in, so import cannot tell a stated
    // default from one it filled, leaves it out, and plan (bundle against bundle) would show it as a spec change.
    new lib.KubernetesNodes(t, 'gpu', { kubernetesCluster: k1, minReplicas: 1, maxReplicas: 2, instanceType: 'u1.2xlarge', diskSize: '50Gi' });
    const sub = new lib.Tenant(t, 'sub', { host: 'sub.corp.test' });
    new lib.Redis(sub, 'cache', { replicas: 1 });
    quietly(() => app.synth());
    const r = await cli('apply', '--bundle', applied, '--kubectl', cluster.kubectl, '--kubeconfig', cluster.kubeconfig, '--timeout', '2m');
    if (r.code !== 0) throw new Error(`apply failed (${r.code}):\n${r.stderr}\n${r.stdout}`);
  }, 45 * 60_000);

  afterAll(async () => {
    cluster?.run(['delete', 'tenants.apps.cozystack.io', T, '-n', 'tenant-root', '--wait=false']);
    await cluster?.stop();
  });

  test('imports a tenant subtree from the servers after apply; plan --live of the program shows no change', async () => {
    const program = path.join(WORK, 'from-cluster.ts');
    fs.mkdirSync(WORK, { recursive: true });
    const r = await cli('import', '--kubectl', cluster.kubectl, '--kubeconfig', cluster.kubeconfig, '--tenant', NS,
      '--cozystack-version', 'v1.6', '--library', path.join(REPO, 'src'), '--out', program);
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    programs.push(program);
    const text = fs.readFileSync(program, 'utf8');
    // The server returned every chart default; the program states only what differs.
    expect(text).toContain(`new Postgres(${T}, 'db1', {
  databases: { app: { roles: { admin: ['app'] } } },
  replicas: 3,
  users: { app: {} },
});`);
    expect(text).toContain(`new KubernetesNodes(${T}, 'gpu', {\n  kubernetesCluster: k1,`);
    expect(text).toContain(`const sub = new Tenant(${T}, 'sub', { host: 'sub.corp.test' });\nnew Redis(sub, 'cache', { replicas: 1 });`);
    // The root's host comes from the tenant-root namespace.
    expect(text).toContain('new RootTenant(app, \'platform\', { host: \'example.org\'');

    const imported = path.join(WORK, 'from-cluster-bundle');
    runProgram(program, imported);
    const live = await cli('plan', '--live', '--bundle', imported, '--kubectl', cluster.kubectl, '--kubeconfig', cluster.kubeconfig, '--format', 'json');
    expect(live.stderr).toBe('');
    expect(live.code).toBe(0);
    const liveOut = JSON.parse(live.stdout).live;
    const notUnchanged = liveOut.waves.flatMap((w: any) => w.objects).filter((o: any) => o.action !== 'unchanged');
    expect(notUnchanged).toEqual([]);
    expect(liveOut.summary).toEqual({ create: 0, update: 0, unchanged: 8 });

    // Stricter: the program writes exactly what apply wrote.
    const plan = await cli('plan', '--from', applied, '--bundle', imported, '--format', 'json');
    expect(plan.stderr).toBe('');
    const changes = JSON.parse(plan.stdout).waves.flatMap((w: any) => w.changes)
      // The shared cluster's root carries other tests' module flags too.
      .filter((c: any) => c.key !== 'Tenant/tenant-root/root');
    expect(changes).toEqual([]);
    const mine = waveObjects(applied).filter(o => !(o.kind === 'Tenant' && o.metadata.name === 'root'));
    expect(mine.length).toBe(7);
    expect(JSON.parse(plan.stdout).summary.unchanged).toBeGreaterThanOrEqual(mine.length);
  });
});

test('every program written here type-checks with the repository\'s compiler options', () => {
  expect(programs.length).toBe(2);
  fs.writeFileSync(path.join(WORK, 'tsconfig.json'), JSON.stringify({
    extends: path.join(REPO, 'tsconfig.json'),
    compilerOptions: { rootDir: REPO, noEmit: true, types: ['node'] },
    include: [],
    files: programs,
  }));
  const tsc = spawnSync(process.execPath, [path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(WORK, 'tsconfig.json')], { encoding: 'utf8' });
  expect(`${tsc.stdout}${tsc.stderr}`).toBe('');
  expect(tsc.status).toBe(0);
});
