/**
 * `cdk8s-cozystack explain` on a synthesized bundle: the command reads topology.json (expanded) and
 * shows, for every kind, what the bundle records (credentials, endpoints, the services it uses).
 */
import { App } from 'cdk8s';
import { Bucket, Postgres, RootTenant, Tenant } from '../src';
import { Captured, TempDirs, writeExample } from './support/bundles';
import { readTopologyFile } from './support/topology';
import { run } from '../src/cli/main';
import { explainTopology } from '../src/report/explain';
import { Topology } from '../src/report/model';

const dirs = new TempDirs();
let bundle: string;
beforeAll(() => { bundle = writeExample(dirs.make()); });
afterAll(() => dirs.cleanup());

async function explainIn(dir: string, target: string): Promise<string> {
  const c = new Captured();
  expect(await run(['explain', target, '--bundle', dir], c.io)).toBe(0);
  return c.stdout;
}

async function explain(...args: string[]) {
  const c = new Captured();
  const code = await run(['explain', ...args, '--bundle', bundle], c.io);
  return { code, out: c.stdout, err: c.stderr };
}

test('an app: where its data lives, how it is reached, where metrics go, who manages it, its Secret', async () => {
  const { code, out } = await explain('platform/u1/u2/cluster1');
  expect(code).toBe(0);
  expect(out).toContain('Kubernetes cluster1');
  expect(out).toMatch(/etcd of u1 \(tenant-u1\)/);
  expect(out).toContain('kubernetes-cluster1.u2.u1.example.org');
  expect(out).toContain('kubernetes-cluster1-admin-kubeconfig');
  expect(out).toContain('tenant-root-{view,use,admin,super-admin}');
});

test('by namespace/name, and an unknown target fails with exit code 1', async () => {
  expect((await explain('tenant-u1-u2/db1')).out).toContain('Secret postgres-db1-credentials in namespace tenant-u1-u2');
  const bad = await explain('tenant-u1-u2/db2');
  expect(bad.code).toBe(1);
  expect(bad.err).toContain('db1');
});

test('Postgres uses no etcd: read from what the bundle records it uses', async () => {
  const topology: Topology = readTopologyFile(bundle);
  const uses = (kind: string) => topology.apps.find(a => a.kind === kind)!.uses;
  expect(uses('Postgres')).not.toContain('etcd');
  expect(uses('Kubernetes')).toContain('etcd');
  const { out } = await explain('platform/u1/u2/db1');
  expect(out).toContain(`  Uses:    ${uses('Postgres').join(', ')} of its tenant's providers\n`);
  expect(out).toContain('; no etcd is involved.');
  expect(out).not.toContain('State kept in the etcd');
  const cluster = (await explain('platform/u1/u2/cluster1')).out;
  expect(cluster).toContain(`  Uses:    ${uses('Kubernetes').join(', ')} of its tenant's providers\n`);
  expect(cluster).toContain('  State kept in the etcd of u1 (tenant-u1) (its etcd provider: tenant-u1).');
});

test('credentials and endpoints come from topology.json, for any kind, with no switch on the kind', () => {
  const topology: Topology = readTopologyFile(bundle);
  // A kind the library has never heard of, recorded the way synth records every app.
  const db1 = topology.apps.find(a => a.kind === 'Postgres' && a.name === 'db1')!;
  const redis = {
    ...db1,
    kind: 'Redis',
    name: 'cache',
    path: 'platform/u1/u2/cache',
    plural: 'redises',
    chart: 'redis',
    release: 'redis-cache',
    uses: ['monitoring'],
    holdsData: true,
    host: null,
    credentials: [{ id: 'auth', secret: 'redis-cache-auth', keys: ['password'], description: 'the password' }],
    endpoints: [{ id: 'sentinel', name: 'rfs-redis-cache', kind: 'service' as const, description: 'Sentinel' }],
  };
  const out = explainTopology({ ...topology, apps: [...topology.apps, redis] }, 'tenant-u1-u2/cache');
  expect(out.split('\n')).toEqual(expect.arrayContaining([
    'Redis cache  (platform/u1/u2/cache)',
    '  Object:  Redis "cache" (redises) in namespace tenant-u1-u2; Cozystack creates HelmRelease redis-cache of chart redis',
    '  Uses:    monitoring of its tenant\'s providers',
    '  rfs-redis-cache.tenant-u1-u2.svc  Sentinel, inside the cluster',
    '  Secret redis-cache-auth in namespace tenant-u1-u2, key password (the password)',
    '  kubectl -n tenant-u1-u2 get secret redis-cache-auth -o jsonpath=\'{.data.password}\' | base64 -d',
    '  Sent to the monitoring of u1 (tenant-u1).',
  ]));
  expect(out).not.toContain('through the ingress');
  expect(explainTopology({ ...topology, apps: [...topology.apps, redis] }, 'tenant-u1-u2/redis-cache')).toBe(out);
});

test('an app on object storage is explained as objects in its provider\'s SeaweedFS, not as volumes of its own', async () => {
  const dir = dirs.make();
  const app = new App({ outdir: dir });
  const root = new RootTenant(app, 'platform', { host: 'example.org', seaweedfs: true });
  const dev = new Tenant(new Tenant(root, 'acme'), 'dev');
  new Bucket(dev, 'assets', { users: { alice: {} } } as any);
  new Postgres(dev, 'db');
  app.synth();
  const bucket = await explainIn(dir, 'tenant-acme-dev/assets');
  expect(bucket).toContain('Its objects are stored in a bucket in the SeaweedFS of root (tenant-root);');
  expect(bucket).not.toMatch(/^ {2}Its own volumes/m);
  expect(await explainIn(dir, 'tenant-acme-dev/db')).toMatch(/^ {2}Its own volumes \(PersistentVolumeClaims of postgres-db\)/m);
});
