/**
 * `topology.json` states what the apps of a kind share once, in its `kinds` table: written
 * with compactTopology, read back with expandTopology into exactly the topology synthesis
 * computed. A bundle of format v1 (every app spelling out its kind) is refused with one
 * message that says to synthesize again.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { Captured, TempDirs, writeExample } from './support/bundles';
import { tempApp } from './support/synth';
import { readTopologyFile } from './support/topology';
import { buildCatalogue } from '../examples/catalogue';
import { buildPlatform } from '../examples/platform';
import {
  Bucket, EtcdService, IngressService, KubernetesCluster, MonitoringService, Postgres, Redis, RootTenant, SeaweedFSService, Tenant,
} from '../src';
import { INDEX_FILE, TOPOLOGY_FILE } from '../src/bundle/compute';
import { readBundle } from '../src/bundle/read';
import { compactTopology, expandTopology, TopologyFile } from '../src/bundle/topology-file';
import { run } from '../src/cli/main';
import { renderTopologyMarkdown, Topology } from '../src/report';

const dirs = new TempDirs();
afterAll(() => dirs.cleanup());

/** A platform of a few hundred apps: 40 tenants, each with databases (with users), a cluster, a cache and a bucket. */
function buildAppHeavy(app: App): RootTenant {
  const root = new RootTenant(app, 'platform', { host: 'example.org' });
  new EtcdService(root);
  new IngressService(root);
  new MonitoringService(root);
  new SeaweedFSService(root);
  for (let i = 0; i < 40; i++) {
    const t = new Tenant(root, `team${i}`);
    for (let j = 0; j < 3; j++) new Postgres(t, `db${j}`, { users: { app: {}, ro: {} } });
    new KubernetesCluster(t, 'k8s', { nodeGroups: { md0: { minReplicas: 1, maxReplicas: 3, instanceType: 'u1.medium', diskSize: '20Gi' } } });
    new Redis(t, 'cache');
    new Bucket(t, 'files', { users: { app: {}, cdn: { readonly: true } } });
  }
  return root;
}

/** The platforms the round trip is checked on. */
const PLATFORMS: ReadonlyArray<[string, (app: App) => RootTenant]> = [
  ['the README example', app => buildPlatform(app)],
  ['the catalogue (every kind)', buildCatalogue],
  ['a platform of a few hundred apps', buildAppHeavy],
];

/** topology.json as format v1 wrote it: every app with its kind's facts, no template ids. */
function v1Form(t: Topology): string {
  const apps = t.apps.map(a => ({
    ...a,
    credentials: a.credentials.map(({ id, ...c }) => c),
    endpoints: a.endpoints.map(({ id, ...e }) => e),
  }));
  return JSON.stringify({ ...t, apps }, null, 2) + '\n';
}

describe.each(PLATFORMS)('%s', (_name, build) => {
  const app = tempApp();
  const root = build(app);
  app.synth();
  const computed: Topology = root.synthBundle().topology;
  const text = fs.readFileSync(path.join(app.outdir, TOPOLOGY_FILE), 'utf8');
  const file: TopologyFile = JSON.parse(text);

  test('expand(compact(topology)) is the topology synthesis computed', () => {
    const back = expandTopology(compactTopology(computed));
    expect(back).toEqual(computed);
    // The same keys in the same order: printed, the expanded topology is what it always was.
    expect(JSON.stringify(back)).toBe(JSON.stringify(computed));
  });

  test('the file is compactTopology of it, pretty-printed, and compact(expand(file)) is the file', () => {
    expect(text).toBe(JSON.stringify(compactTopology(computed), null, 2) + '\n');
    expect(compactTopology(expandTopology(file))).toEqual(file);
  });

  test('readBundle gives the CLI and the reports the topology synthesis computed', () => {
    const read = readBundle(app.outdir).topology;
    expect(JSON.stringify(read)).toBe(JSON.stringify(computed));
    expect(renderTopologyMarkdown(read)).toBe(fs.readFileSync(path.join(app.outdir, 'topology.md'), 'utf8'));
  });

  test('each kind is stated once; each app keeps its own names', () => {
    expect(Object.keys(file.kinds)).toEqual([...new Set(computed.apps.map(a => a.kind))].sort());
    for (const a of file.apps) {
      expect(Object.keys(a).filter(k => !['kind', 'name', 'path', 'namespace', 'host', 'services', 'release', 'credentials', 'endpoints'].includes(k))).toEqual([]);
    }
  });
});

test('per-user Secrets share their template id and keep their own names (Bucket users, Postgres users)', () => {
  const app = tempApp();
  buildCatalogue(app);
  app.synth();
  const file: TopologyFile = JSON.parse(fs.readFileSync(path.join(app.outdir, TOPOLOGY_FILE), 'utf8'));
  const bucket = file.apps.find(a => a.kind === 'Bucket')!;
  expect(bucket.credentials).toEqual([
    { id: 'user-credentials', secret: 'bucket-assets-cdn-credentials', keys: ['accessKey', 'secretKey', 'endpoint', 'bucketName'] },
    { id: 'user-credentials', secret: 'bucket-assets-shop-credentials', keys: ['accessKey', 'secretKey', 'endpoint', 'bucketName'] },
  ]);
  expect(file.kinds.Bucket.credentials).toEqual({ 'user-credentials': { description: 'S3 credentials of one user of the spec' } });
  const orders = file.apps.find(a => a.kind === 'Postgres')!;
  expect(orders.credentials).toEqual([{ id: 'credentials', secret: 'postgres-orders-credentials', keys: ['shop'] }]);
  // An endpoint's name by its template's key, the kind's table saying what it is.
  expect(orders.endpoints['service:rw']).toBe('postgres-orders-rw');
  expect(file.kinds.Postgres.endpoints['service:rw']).toEqual({ id: 'rw', kind: 'service', description: 'read-write (the primary)' });
  const expanded = readTopologyFile(app.outdir).apps.find(a => a.kind === 'Bucket')!;
  expect(expanded.credentials.map(c => [c.id, c.secret, c.description])).toEqual([
    ['user-credentials', 'bucket-assets-cdn-credentials', 'S3 credentials of one user of the spec'],
    ['user-credentials', 'bucket-assets-shop-credentials', 'S3 credentials of one user of the spec'],
  ]);
});

test('a Service and an Ingress of one name (one registry id) stay two endpoints', () => {
  const app = tempApp();
  buildCatalogue(app);
  app.synth();
  const k8s = readTopologyFile(app.outdir).apps.find(a => a.kind === 'Kubernetes')!;
  const named = k8s.endpoints.filter(e => e.name === 'kubernetes-k8s');
  expect(named.map(e => [e.id, e.kind, e.description])).toEqual([
    ['kubernetes-{{ .name }}', 'service', 'Service'],
    ['kubernetes-{{ .name }}', 'ingress', 'Ingress'],
  ]);
});

test('compactTopology refuses apps of one kind that disagree on what the file states once', () => {
  const app = tempApp();
  const root = buildPlatform(app);
  const t: Topology = root.synthBundle().topology;
  const pg = t.apps.find(a => a.kind === 'Postgres')!;
  const odd = { ...pg, name: 'odd', path: `${pg.path}-odd`, holdsData: !pg.holdsData };
  expect(() => compactTopology({ ...t, apps: [...t.apps, odd] })).toThrow(/states the plural, chart, module, uses and holdsData of kind Postgres once .* but platform\/.*-odd has a different one/);
});

// What is left per app is its own (names, paths, providers, Secret keys); in two-space JSON
// that is 38% less than v1 here and 33% at the benchmark's 10,000 tenants, whose tenants
// (unchanged) weigh more.
test('the file is at least 35% smaller than format v1 for a platform of a few hundred apps', () => {
  const app = tempApp();
  const root = buildAppHeavy(app);
  app.synth();
  const bundle = root.synthBundle();
  expect(bundle.topology.apps.length).toBeGreaterThan(200);
  const v1 = v1Form(bundle.topology).length;
  const v2 = fs.readFileSync(path.join(app.outdir, TOPOLOGY_FILE), 'utf8').length;
  expect(v2).toBeLessThan(0.65 * v1);
});

test('the renderers refuse topology.json as written, and say to expand it', () => {
  const app = tempApp();
  buildPlatform(app);
  app.synth();
  const raw = JSON.parse(fs.readFileSync(path.join(app.outdir, TOPOLOGY_FILE), 'utf8'));
  expect(() => renderTopologyMarkdown(raw)).toThrow(/topology\.json as written.*Read the bundle with readBundle/);
});

describe('a bundle of format v1', () => {
  /** The example's bundle, rewritten as format v1 wrote it (and hashed, as v1 did). */
  function v1Bundle(): string {
    const dir = writeExample(dirs.make());
    const topology = readTopologyFile(dir);
    const text = v1Form(topology);
    fs.writeFileSync(path.join(dir, TOPOLOGY_FILE), text);
    const indexPath = path.join(dir, INDEX_FILE);
    const index = JSON.parse(fs.readFileSync(indexPath, 'utf8'));
    index.format = 'cdk8s-cozystack.bundle/v1';
    index.files[TOPOLOGY_FILE] = crypto.createHash('sha256').update(text).digest('hex');
    fs.writeFileSync(indexPath, JSON.stringify(index, null, 2) + '\n');
    return dir;
  }
  const MESSAGE = /: the bundle has format "cdk8s-cozystack\.bundle\/v1", written by an earlier version of cdk8s-cozystack; this version reads only "cdk8s-cozystack\.bundle\/v2".*Synthesize the bundle again with this version/;

  test('readBundle refuses it', () => {
    expect(() => readBundle(v1Bundle())).toThrow(MESSAGE);
  });

  test('plan --from refuses it: exit 1 and the message', async () => {
    const c = new Captured();
    const code = await run(['plan', '--from', v1Bundle(), '--bundle', writeExample(dirs.make())], c.io);
    expect(code).toBe(1);
    expect(c.stderr).toMatch(MESSAGE);
    expect(c.stderr).toContain('for a --from bundle: check out the commit it was made from');
  });

  test('explain refuses it from its topology.json alone: exit 1 and the message', async () => {
    const dir = v1Bundle();
    for (const index of [true, false]) {
      if (!index) {
        // Even with a v2 index, a topology.json without a kinds table is v1's.
        const indexPath = path.join(dir, INDEX_FILE);
        fs.writeFileSync(indexPath, fs.readFileSync(indexPath, 'utf8').replace('bundle/v1', 'bundle/v2'));
      }
      const c = new Captured();
      const code = await run(['explain', 'tenant-u1-u2/db1', '--bundle', dir], c.io);
      expect(code).toBe(1);
      expect(c.stderr).toMatch(MESSAGE);
    }
  });
});
