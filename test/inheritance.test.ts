/**
 * Namespaces, hosts and providers against trees that Cozystack's own tenant and
 * kubernetes charts (v1.6.2) computed: ../shared/fixtures/inheritance.json, copied
 * into test/fixtures so that the repository alone tests.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Construct } from 'constructs';
import {
  ClusterService, EtcdService, IngressService, ITenant, KubernetesCluster, MonitoringService, RootTenant, Tenant,
} from '../src';
import { testAgainstShared } from './support/shared';
import { tempApp } from './support/synth';
import { readTopologyFile } from './support/topology';

const fixtures = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'inheritance.json'), 'utf8'));

const MODULES: Record<string, (scope: Construct) => unknown> = {
  etcd: s => new EtcdService(s),
  ingress: s => new IngressService(s),
  monitoring: s => new MonitoringService(s),
};

function build(c: any) {
  const app = tempApp();
  const root = new RootTenant(app, 'platform', { host: c.rootHost });
  for (const m of c.rootModules) MODULES[m](root);
  const tenants = new Map<string, Tenant>();
  for (const t of c.tenants) {
    const parts = t.path.split('/');
    const parent: ITenant = parts.length === 1 ? root : tenants.get(parts.slice(0, -1).join('/'))!;
    const tenant = new Tenant(parent as unknown as Construct, parts[parts.length - 1], {
      host: t.spec.host,
      seaweedfs: t.spec.seaweedfs,
    });
    for (const m of Object.keys(MODULES)) if (t.spec[m]) MODULES[m](tenant);
    tenants.set(t.path, tenant);
  }
  const clusters = c.clusters.map((k: any) =>
    new KubernetesCluster(tenants.get(k.tenant)!, k.name, { host: k.spec?.host }));
  return { app, root, tenants, clusters };
}

const CASES: Array<[string, any]> = fixtures.cases.map((c: any) => [c.name, c]);

describe.each(CASES)('%s', (_name: string, c: any) => {
  test('construct properties match Cozystack', () => {
    const { tenants, clusters } = build(c);
    for (const [p, want] of Object.entries<any>(c.expected.tenants)) {
      const t = tenants.get(p)!;
      expect({
        namespace: t.namespace,
        parentNamespace: t.parentTenant?.namespace,
        host: t.host,
        etcd: t.etcdProvider.namespace,
        ingress: t.ingressProvider.namespace,
        monitoring: t.monitoringProvider.namespace,
        seaweedfs: t.seaweedfsProvider.namespace,
      }).toEqual(want);
    }
    c.expected.clusters.forEach((want: any, i: number) => {
      const k: KubernetesCluster = clusters[i];
      expect({
        tenant: want.tenant,
        name: k.name,
        namespace: k.namespace,
        host: k.host,
        etcd: k.etcdProvider.namespace,
        ingress: k.ingressProvider.namespace,
      }).toEqual(want);
    });
  });

  test('topology.json matches Cozystack', () => {
    const { app } = build(c);
    app.synth();
    const topology: any = readTopologyFile(app.outdir);
    for (const [p, want] of Object.entries<any>(c.expected.tenants)) {
      const t = topology.tenants.find((x: any) => x.path === `platform/${p}`);
      expect({
        namespace: t.namespace,
        parentNamespace: t.parentNamespace,
        host: t.host,
        ...t.services,
      }).toEqual(want);
    }
    for (const want of c.expected.clusters) {
      const a = topology.apps.find((x: any) => x.kind === 'Kubernetes' && x.path === `platform/${want.tenant}/${want.name}`);
      const got = { tenant: want.tenant, name: a.name, namespace: a.namespace, host: a.host, etcd: a.services.etcd, ingress: a.services.ingress };
      expect(got).toEqual(want);
    }
  });
});

test('the committed fixture copy has cases to check', () => {
  expect(CASES.length).toBeGreaterThan(0);
});

testAgainstShared('the fixture copy is the shared one', path.join('fixtures', 'inheritance.json'), shared => {
  expect(JSON.parse(fs.readFileSync(shared, 'utf8'))).toEqual(fixtures);
});

describe('the root', () => {
  test('is named provider of every service, running it or not', () => {
    const app = tempApp();
    const root = new RootTenant(app, 'platform', { host: 'example.org' });
    const t = new Tenant(root, 'a');
    for (const s of [ClusterService.ETCD, ClusterService.INGRESS, ClusterService.MONITORING, ClusterService.SEAWEEDFS]) {
      expect(t.providerOf(s)).toBe(root);
      expect(root.runsService(s)).toBe(false);
    }
  });

  test('a service declared after the child still reaches it', () => {
    const app = tempApp();
    const root = new RootTenant(app, 'platform', { host: 'example.org' });
    const a = new Tenant(root, 'a');
    const b = new Tenant(a, 'b');
    expect(b.etcdProvider).toBe(root);
    new EtcdService(a);
    expect(b.etcdProvider).toBe(a);
    expect(b.parentTenant).toBe(a);
    expect(b.depth).toBe(2);
  });
});

test('a depth-6 tree with providers mixed across levels', () => {
  const app = tempApp();
  const root = new RootTenant(app, 'platform', { host: 'cloud.test' });
  new EtcdService(root);
  new IngressService(root);
  const l1 = new Tenant(root, 'l1');
  new MonitoringService(l1);
  const l2 = new Tenant(l1, 'l2', { seaweedfs: true });
  new EtcdService(l2);
  const l3 = new Tenant(l2, 'l3', { host: 'l3.other.test' });
  const l4 = new Tenant(l3, 'l4');
  new IngressService(l4);
  new MonitoringService(l4);
  const l5 = new Tenant(l4, 'l5');
  const l6 = new Tenant(l5, 'l6');
  new EtcdService(l6);
  const k = new KubernetesCluster(l5, 'k');

  const row = (t: ITenant) => [
    t.namespace, t.host, t.etcdProvider.namespace, t.ingressProvider.namespace, t.monitoringProvider.namespace, t.seaweedfsProvider.namespace,
  ];
  expect([l1, l2, l3, l4, l5, l6].map(row)).toEqual([
    ['tenant-l1', 'l1.cloud.test', 'tenant-root', 'tenant-root', 'tenant-l1', 'tenant-root'],
    ['tenant-l1-l2', 'l2.l1.cloud.test', 'tenant-l1-l2', 'tenant-root', 'tenant-l1', 'tenant-l1-l2'],
    ['tenant-l1-l2-l3', 'l3.other.test', 'tenant-l1-l2', 'tenant-root', 'tenant-l1', 'tenant-l1-l2'],
    ['tenant-l1-l2-l3-l4', 'l4.l3.other.test', 'tenant-l1-l2', 'tenant-l1-l2-l3-l4', 'tenant-l1-l2-l3-l4', 'tenant-l1-l2'],
    ['tenant-l1-l2-l3-l4-l5', 'l5.l4.l3.other.test', 'tenant-l1-l2', 'tenant-l1-l2-l3-l4', 'tenant-l1-l2-l3-l4', 'tenant-l1-l2'],
    ['tenant-l1-l2-l3-l4-l5-l6', 'l6.l5.l4.l3.other.test', 'tenant-l1-l2-l3-l4-l5-l6', 'tenant-l1-l2-l3-l4', 'tenant-l1-l2-l3-l4', 'tenant-l1-l2'],
  ]);
  expect([k.host, k.etcdProvider.namespace, k.ingressProvider.namespace, k.monitoringProvider.namespace])
    .toEqual(['kubernetes-k.l5.l4.l3.other.test', 'tenant-l1-l2', 'tenant-l1-l2-l3-l4', 'tenant-l1-l2-l3-l4']);
  expect([l1, l2, l3, l4, l5, l6].map(t => t.depth)).toEqual([1, 2, 3, 4, 5, 6]);
});
