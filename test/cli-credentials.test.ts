/**
 * `cdk8s-cozystack credentials` against the real test cluster (real etcd and
 * kube-apiserver; apps.cozystack.io from the stand-in; the test reconciler writes each
 * app's and tenant's credential Secrets as the registry names them, with made-up values
 * from `credentialValue`). The bundle is applied with `cdk8s-cozystack apply` first.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { EtcdService, KubernetesCluster, Postgres, Redis, RootTenant, Tenant } from '../src';
import { Captured, TempDirs } from './support/bundles';
import { RealCluster, startRealCluster } from './support/real-cluster';
import { credentialValue } from './support/test-reconciler';
import { EXIT_MISSING } from '../src/cli/credentials';
import { run } from '../src/cli/main';

jest.setTimeout(180_000);

const dirs = new TempDirs();
let cluster: RealCluster;
/** A tenant name of this run, so the shared cluster's other tests never meet it. */
const T = `cr${Date.now().toString(36).slice(-6)}`;
const NS = `tenant-${T}`;
const SUB_NS = `${NS}-sub`;
let applied: string;
/** The same platform and one Postgres more, never applied. */
let ahead: string;

function synth(extraDb: boolean): string {
  const dir = dirs.make('cred-bundle-');
  const app = new App({ outdir: dir });
  const root = new RootTenant(app, 'platform', { host: 'example.org' });
  new EtcdService(root);
  const t = new Tenant(root, T);
  new Postgres(t, 'db1', { users: { app: {}, reader: {} }, databases: { app: { roles: { admin: ['app'], readonly: ['reader'] } } } });
  new Redis(t, 'cache');
  new KubernetesCluster(t, 'k1', { nodeGroups: { md0: { minReplicas: 1, maxReplicas: 2, instanceType: 'u1.medium', diskSize: '20Gi' } } });
  const sub = new Tenant(t, 'sub');
  new Redis(sub, 'q');
  if (extraDb) new Postgres(sub, 'db2');
  const err = process.stderr.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    app.synth();
  } finally {
    process.stderr.write = err;
  }
  return dir;
}

async function cli(...args: string[]): Promise<Captured & { code: number }> {
  const c = new Captured();
  const code = await run(args, c.io);
  return Object.assign(c, { code });
}

function credentials(bundle: string, ...args: string[]): Promise<Captured & { code: number }> {
  return cli('credentials', '--bundle', bundle, '--kubectl', cluster.kubectl, '--kubeconfig', cluster.kubeconfig, ...args);
}

/** Every value the reconciler wrote for the Secrets of this test's tenants. */
function allValues(): string[] {
  const out: string[] = [];
  for (const ns of [NS, SUB_NS]) {
    const list = JSON.parse(cluster.run(['get', 'secrets', '-n', ns, '-o', 'json']).stdout);
    for (const s of list.items) {
      if (s.metadata.name === 'cozystack-values') continue;
      for (const v of Object.values<string>(s.data ?? {})) out.push(Buffer.from(v, 'base64').toString('utf8'));
    }
  }
  return out;
}

beforeAll(async () => {
  process.env.KUBECACHEDIR = dirs.make('kubecache-');
  cluster = await startRealCluster();
  applied = synth(false);
  ahead = synth(true);
  const r = await cli('apply', '--bundle', applied, '--kubectl', cluster.kubectl, '--kubeconfig', cluster.kubeconfig, '--timeout', '2m');
  if (r.code !== 0) throw new Error(`apply failed (${r.code}):\n${r.stderr}\n${r.stdout}`);
  // The apps' Secrets come once the reconciler has installed them.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const c = await credentials(applied);
    if (c.code === 0) break;
    if (Date.now() > deadline) throw new Error(`the Secrets never all appeared:\n${c.stderr}`);
    await new Promise(res => setTimeout(res, 500));
  }
}, 45 * 60_000);

afterAll(async () => {
  cluster?.run(['delete', 'tenants.apps.cozystack.io', T, '-n', 'tenant-root', '--wait=false']);
  await cluster?.stop();
  dirs.cleanup();
});

test('JSON on stdout: tenant → app → Secret → key → value, with the endpoints, values only with --show-values', async () => {
  const r = await credentials(applied, '--show-values');
  expect(r.code).toBe(0);
  const out = JSON.parse(r.stdout);
  expect(out.valuesShown).toBe(true);
  expect([...out.missing].sort((a: any, b: any) => (a.secret < b.secret ? -1 : 1))).toEqual([]);
  expect(Object.keys(out.tenants).sort()).toEqual(['tenant-root', NS, SUB_NS].sort());
  const t = out.tenants[NS];
  expect(t.host).toBe(`${T}.example.org`);
  // The tenant's own kubeconfig, from its Info module.
  expect(t.credentials[`kubeconfig-${NS}`].keys.kubeconfig).toBe(credentialValue(NS, `kubeconfig-${NS}`, 'kubeconfig'));
  const db = t.apps['Postgres/db1'];
  expect(db.credentials['postgres-db1-credentials'].keys).toEqual({
    app: credentialValue(NS, 'postgres-db1-credentials', 'app'),
    reader: credentialValue(NS, 'postgres-db1-credentials', 'reader'),
  });
  expect(db.endpoints.map((e: any) => e.name)).toEqual(expect.arrayContaining(['postgres-db1-rw', 'postgres-db1-ro']));
  expect(t.apps['Redis/cache'].credentials['redis-cache-auth'].keys.password).toBe(credentialValue(NS, 'redis-cache-auth', 'password'));
  // The Kubernetes admin kubeconfig is the one pointing at the tenant cluster.
  expect(t.apps['Kubernetes/k1'].credentials['kubernetes-k1-admin-kubeconfig'].keys['super-admin.conf']).toContain('apiVersion: v1');
});

test('--tenant takes the subtree, --app one app', async () => {
  const sub = JSON.parse((await credentials(applied, '--tenant', SUB_NS, '--show-values')).stdout);
  expect(Object.keys(sub.tenants)).toEqual([SUB_NS]);
  expect(Object.keys(sub.tenants[SUB_NS].apps)).toEqual(['Redis/q']);
  const tree = JSON.parse((await credentials(applied, '--tenant', NS)).stdout);
  expect(Object.keys(tree.tenants).sort()).toEqual([NS, SUB_NS].sort());
  const one = await credentials(applied, '--app', `${NS}/cache`, '--show-values');
  expect(one.code).toBe(0);
  const parsed = JSON.parse(one.stdout);
  expect(Object.keys(parsed.tenants[NS].apps)).toEqual(['Redis/cache']);
  expect(parsed.tenants[NS].credentials).toEqual({});
  const unknown = await credentials(applied, '--app', `${NS}/nope`);
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toContain(`Apps in ${NS}:`);
});

test('no value reaches stdout or stderr without --show-values', async () => {
  const values = allValues();
  expect(values.length).toBeGreaterThan(10);
  const outDir = path.join(dirs.make('cred-out-'), 'creds');
  for (const args of [[], ['--tenant', NS], ['--app', `${NS}/db1`], ['--output-dir', outDir]]) {
    const r = await credentials(applied, ...args);
    expect(r.code).toBe(0);
    for (const v of values) {
      expect(r.stdout).not.toContain(v);
      expect(r.stderr).not.toContain(v);
    }
    expect(JSON.parse(r.stdout).valuesShown).toBe(false);
    expect(r.stderr).toContain('--show-values');
  }
  // The names and keys are there; every value is null.
  const r = JSON.parse((await credentials(applied)).stdout);
  expect(r.tenants[NS].apps['Postgres/db1'].credentials['postgres-db1-credentials'].keys).toEqual({ app: null, reader: null });
});

test('--output-dir writes each value to a file of mode 0600 in directories of mode 0700, and refuses a world-readable directory', async () => {
  const base = dirs.make('cred-out-');
  const outDir = path.join(base, 'creds');
  const r = await credentials(applied, '--tenant', NS, '--output-dir', outDir);
  expect(r.code).toBe(0);
  expect(fs.statSync(outDir).mode % 0o1000).toBe(0o700);
  const file = path.join(outDir, NS, 'Postgres-db1', 'postgres-db1-credentials', 'app');
  expect(fs.readFileSync(file, 'utf8')).toBe(credentialValue(NS, 'postgres-db1-credentials', 'app'));
  const parsed = JSON.parse(r.stdout);
  expect(parsed.tenants[NS].apps['Postgres/db1'].credentials['postgres-db1-credentials'].files.app).toBe(file);
  expect(fs.readFileSync(path.join(outDir, NS, 'tenant', `kubeconfig-${NS}`, 'kubeconfig'), 'utf8'))
    .toBe(credentialValue(NS, `kubeconfig-${NS}`, 'kubeconfig'));
  const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true })
    .flatMap(e => (e.isDirectory() ? [path.join(d, e.name), ...walk(path.join(d, e.name))] : [path.join(d, e.name)]));
  const entries = walk(outDir);
  expect(entries.filter(p => fs.statSync(p).isFile()).length).toBeGreaterThan(8);
  for (const p of entries) expect(fs.statSync(p).mode % 0o1000).toBe(fs.statSync(p).isFile() ? 0o600 : 0o700);

  const open = dirs.make('cred-open-');
  fs.chmodSync(open, 0o755);
  const refused = await credentials(applied, '--output-dir', open);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain('world-readable');
  expect(refused.stderr).toContain(`chmod 700 ${open}`);
  expect(fs.readdirSync(open)).toEqual([]);
});

test('a Secret that does not exist is named with the condition of its object, and the exit code says so', async () => {
  // db2 is in the bundle but was never applied; the Redis Secret of sub is deleted behind the reconciler's back.
  expect(cluster.run(['delete', 'secret', 'redis-q-auth', '-n', SUB_NS]).status).toBe(0);
  const r = await credentials(ahead, '--tenant', SUB_NS);
  expect(r.code).toBe(EXIT_MISSING);
  const out = JSON.parse(r.stdout);
  expect([...out.missing].sort((a: any, b: any) => (a.secret < b.secret ? -1 : 1))).toEqual([
    { namespace: SUB_NS, secret: 'postgres-db2-credentials', owner: `Postgres/${SUB_NS}/db2`, condition: 'its Postgres does not exist: apply the bundle first' },
    { namespace: SUB_NS, secret: 'redis-q-auth', owner: `Redis/${SUB_NS}/q`, condition: expect.stringMatching(/^its Redis is Ready=True \(/) },
  ].sort((a, b) => (a.secret < b.secret ? -1 : 1)));
  expect(out.tenants[SUB_NS].apps['Redis/q'].credentials['redis-q-auth'].missing).toBe(true);
  expect(r.stderr).toContain(`missing: Secret ${SUB_NS}/postgres-db2-credentials of Postgres/${SUB_NS}/db2 does not exist; its Postgres does not exist`);
  // Nothing was written into the bundle.
  expect(fs.readdirSync(ahead).sort()).toEqual(fs.readdirSync(applied).sort());
});
