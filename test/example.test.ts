/**
 * The platform of the README and issue: exact namespaces, hosts and providers,
 * and the bundle's waves.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { buildPlatform } from '../examples/platform';
import { EtcdService, IngressService, MonitoringService, RootTenant, Tenant } from '../src';
import { readJson, tempApp } from './support/synth';
import { readTopologyFile } from './support/topology';

function synthExample() {
  const app = tempApp();
  const root = buildPlatform(app);
  app.synth();
  return { app, root, topology: readTopologyFile(app.outdir) as any, index: readJson(app, 'index.json') };
}

test('tenants: namespaces, hosts and providers', () => {
  const { topology } = synthExample();
  const byNs = Object.fromEntries(topology.tenants.map((t: any) => [t.namespace, t]));
  expect(byNs['tenant-foo']).toMatchObject({
    name: 'foo',
    parentNamespace: 'tenant-root',
    depth: 1,
    host: 'foo.example.org',
    services: { etcd: 'tenant-root', ingress: 'tenant-root', monitoring: 'tenant-root', seaweedfs: 'tenant-root' },
  });
  expect(byNs['tenant-u1']).toMatchObject({
    host: 'u1.example.org',
    depth: 1,
    services: { etcd: 'tenant-u1', ingress: 'tenant-u1', monitoring: 'tenant-u1', seaweedfs: 'tenant-root' },
  });
  expect(byNs['tenant-u1-u2']).toMatchObject({
    name: 'u2',
    parentNamespace: 'tenant-u1',
    depth: 2,
    host: 'u2.u1.example.org',
    services: { etcd: 'tenant-u1', ingress: 'tenant-u1', monitoring: 'tenant-u1', seaweedfs: 'tenant-root' },
  });
  expect(byNs['tenant-root']).toMatchObject({
    name: 'root', parentNamespace: null, depth: 0, host: 'example.org', modules: ['etcd', 'ingress', 'monitoring'],
  });
});

test('apps: hosts and the providers they use', () => {
  const { topology } = synthExample();
  const located = topology.apps.map(({ kind, name, path: at, namespace, host, services }: any) =>
    ({ kind, name, path: at, namespace, host, services }));
  expect(located).toEqual([
    { kind: 'Kubernetes', name: 'cluster1', path: 'platform/foo/cluster1', namespace: 'tenant-foo', host: 'kubernetes-cluster1.foo.example.org', services: { etcd: 'tenant-root', ingress: 'tenant-root', monitoring: 'tenant-root' } },
    { kind: 'Kubernetes', name: 'cluster1', path: 'platform/u1/u2/cluster1', namespace: 'tenant-u1-u2', host: 'kubernetes-cluster1.u2.u1.example.org', services: { etcd: 'tenant-u1', ingress: 'tenant-u1', monitoring: 'tenant-u1' } },
    // Postgres keeps its data on its own volumes (no etcd) and is reached without an ingress; its metrics are scraped by the monitoring.
    { kind: 'Postgres', name: 'db1', path: 'platform/u1/u2/db1', namespace: 'tenant-u1-u2', host: 'postgres-db1.u2.u1.example.org', services: { monitoring: 'tenant-u1' } },
  ]);
});

test('apps: what the registry of kinds derives is recorded, so the CLI reads it instead of deriving it', () => {
  const { topology } = synthExample();
  const db = topology.apps.find((a: any) => a.kind === 'Postgres');
  expect(db).toMatchObject({
    plural: 'postgreses',
    chart: 'postgres',
    release: 'postgres-db1',
    module: false,
    uses: ['monitoring'],
    holdsData: true,
    credentials: [{ secret: 'postgres-db1-credentials', keys: ['app'] }],
  });
  expect(db.endpoints.map((e: any) => `${e.kind} ${e.name}`)).toEqual([
    'host postgres-db1.u2.u1.example.org', 'service postgres-db1-r', 'service postgres-db1-ro', 'service postgres-db1-rw', 'service postgres-db1-external-write',
  ]);
  const k = topology.apps.find((a: any) => a.kind === 'Kubernetes');
  expect(k).toMatchObject({ release: 'kubernetes-cluster1', uses: ['etcd', 'ingress', 'monitoring'], credentials: [{ secret: 'kubernetes-cluster1-admin-kubeconfig' }, { secret: 'kubernetes-cluster1-oidc-kubeconfig' }] });
});

test('construct properties agree with the topology', () => {
  const app = tempApp();
  const root = buildPlatform(app);
  const u2 = root.node.findChild('u1').node.findChild('u2') as any;
  const cluster = u2.node.findChild('cluster1');
  const db = u2.node.findChild('db1');
  expect([
    cluster.host, cluster.adminKubeconfigSecretName,
    cluster.etcdProvider.namespace, cluster.ingressProvider.namespace, cluster.monitoringProvider.namespace,
  ])
    .toEqual(['kubernetes-cluster1.u2.u1.example.org', 'kubernetes-cluster1-admin-kubeconfig', 'tenant-u1', 'tenant-u1', 'tenant-u1']);
  expect([db.credentialsSecretName, db.readWriteHost, db.readOnlyHost, db.readHost, db.host]).toEqual([
    'postgres-db1-credentials', 'postgres-db1-rw.tenant-u1-u2.svc', 'postgres-db1-ro.tenant-u1-u2.svc',
    'postgres-db1-r.tenant-u1-u2.svc', 'postgres-db1.u2.u1.example.org',
  ]);
});

test('waves by depth: root flags and level-1 tenants first, then what lives in their namespaces', () => {
  const { app, index } = synthExample();
  const summary = index.waves.map((w: any) => ({
    wave: w.wave,
    file: w.file,
    objects: w.objects.map((o: any) => `${o.kind} ${o.namespace}/${o.name}`),
    waitFor: w.waitFor.map((o: any) => `${o.namespace}/${o.name}->${o.tenantNamespace}`),
  }));
  expect(summary).toEqual([
    {
      wave: 0,
      file: 'wave-00.k8s.yaml',
      objects: ['Tenant tenant-root/root', 'Tenant tenant-root/foo', 'Tenant tenant-root/u1'],
      waitFor: ['tenant-root/root->tenant-root', 'tenant-root/foo->tenant-foo', 'tenant-root/u1->tenant-u1'],
    },
    {
      wave: 1,
      file: 'wave-01.k8s.yaml',
      objects: ['Tenant tenant-u1/u2', 'Kubernetes tenant-foo/cluster1'],
      waitFor: ['tenant-u1/u2->tenant-u1-u2'],
    },
    {
      wave: 2,
      file: 'wave-02.k8s.yaml',
      objects: ['Kubernetes tenant-u1-u2/cluster1', 'Postgres tenant-u1-u2/db1'],
      waitFor: [],
    },
  ]);
  // The files exist, sort in apply order, and hold exactly the indexed objects.
  const files = fs.readdirSync(app.outdir).filter(f => f.startsWith('wave-')).sort();
  expect(files).toEqual(index.waves.map((w: any) => w.file));
  for (const w of index.waves) {
    const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(app.outdir, w.file), 'utf8'), { version: '1.1' }).map(d => d.toJS());
    expect(docs.map((d: any) => `${d.kind} ${d.metadata.namespace}/${d.metadata.name}`)).toEqual(w.objects.map((o: any) => `${o.kind} ${o.namespace}/${o.name}`));
  }
});

test('the root tenant carries only the module flags that are on, and no ownership label', () => {
  const { root } = synthExample();
  const wave0 = YAML.parseAllDocuments(root.synthBundle().waves[0].yaml).map(d => d.toJS());
  const rootObj = wave0.find((d: any) => d.metadata.name === 'root');
  expect(rootObj).toEqual({
    apiVersion: 'apps.cozystack.io/v1alpha1',
    kind: 'Tenant',
    metadata: { name: 'root', namespace: 'tenant-root' },
    spec: { etcd: true, ingress: true, monitoring: true },
  });
  const u1 = wave0.find((d: any) => d.metadata.name === 'u1');
  expect(u1.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'cdk8s-cozystack' });
  expect(u1.spec).toEqual({ etcd: true, ingress: true, monitoring: true, seaweedfs: false });
});

test('no root object when the root runs no module of ours', () => {
  const app = tempApp();
  const root = new RootTenant(app, 'p', { host: 'example.org' });
  new Tenant(root, 'a');
  const names = root.synthBundle().waves.flatMap((w: any) => w.objects.map((o: any) => o.name));
  expect(names).toEqual(['a']);
});

test('module tuning goes to the fixed-name object in the tenant namespace, after the tenant is Ready', () => {
  const app = tempApp();
  const root = new RootTenant(app, 'p', { host: 'example.org' });
  new EtcdService(root, { size: '10Gi' });
  const a = new Tenant(root, 'a');
  new IngressService(a, { replicas: 3 });
  new MonitoringService(a);
  const waves = root.synthBundle().waves.map((w: any) => w.objects.map((o: any) => `${w.wave}:${o.kind} ${o.namespace}/${o.name}`));
  expect(waves).toEqual([
    ['0:Tenant tenant-root/root', '0:Tenant tenant-root/a'],
    ['1:Etcd tenant-root/etcd', '1:Ingress tenant-a/ingress'],
  ]);
});

test('the bundle carries the topology for people: report, Mermaid graph and picture', () => {
  const { app, topology, index } = synthExample();
  for (const f of ['topology.md', 'topology.mmd', 'topology.svg']) expect(Object.keys(index.files)).toContain(f);
  const md = fs.readFileSync(path.join(app.outdir, 'topology.md'), 'utf8');
  const svg = fs.readFileSync(path.join(app.outdir, 'topology.svg'), 'utf8');
  for (const t of topology.tenants) {
    expect(md).toContain(t.namespace);
    expect(svg).toContain(t.namespace);
  }
  expect(fs.readFileSync(path.join(app.outdir, 'topology.mmd'), 'utf8')).toMatch(/^flowchart LR/m);
});

test('Testing.synth(root) gives the manifests in apply order and writes nothing; app.synth() writes the bundle', () => {
  const app = Testing.app();
  const root = buildPlatform(app);
  const objects = Testing.synth(root).map((o: any) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`);
  expect(objects).toEqual([
    'Tenant tenant-root/root', 'Tenant tenant-root/foo', 'Tenant tenant-root/u1',
    'Tenant tenant-u1/u2', 'Kubernetes tenant-foo/cluster1',
    'Kubernetes tenant-u1-u2/cluster1', 'Postgres tenant-u1-u2/db1',
  ]);
  expect(fs.existsSync(path.join(app.outdir, 'index.json'))).toBe(false);
  app.synth();
  expect(fs.readFileSync(path.join(app.outdir, 'platform.k8s.yaml'), 'utf8')).toBe('');
  expect(readJson(app, 'index.json').waves).toHaveLength(3);
  // And afterwards Testing.synth is pure again.
  expect(Testing.synth(root)).toHaveLength(7);
});

test('app.synthYaml() gives the manifests as one YAML stream', () => {
  const app = Testing.app();
  buildPlatform(app);
  const docs = YAML.parseAllDocuments(app.synthYaml()).map(d => d.toJS());
  expect(docs.map((d: any) => d.metadata.name)).toEqual(['root', 'foo', 'u1', 'u2', 'cluster1', 'cluster1', 'db1']);
  expect(fs.existsSync(path.join(app.outdir, 'index.json'))).toBe(false);
});
