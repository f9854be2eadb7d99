/**
 * Inside a tenant cluster: workloads go to the cluster's own bundle, never to the
 * management cluster's waves, and validate as Kubernetes objects.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Size } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import * as YAML from 'yaml';
import { buildPlatform } from '../examples/platform';
import { EtcdService, KubernetesCluster, RootTenant, Tenant } from '../src';
import { readJson, synthProblems, tempApp } from './support/synth';

// kubernetes-models validates objects against the Kubernetes OpenAPI schemas.
/* eslint-disable @typescript-eslint/no-require-imports */
const MODELS: Record<string, any> = {
  'v1/PersistentVolumeClaim': require('kubernetes-models/v1').PersistentVolumeClaim,
  'v1/Service': require('kubernetes-models/v1').Service,
  'apps/v1/Deployment': require('kubernetes-models/apps/v1').Deployment,
  'networking.k8s.io/v1/Ingress': require('kubernetes-models/networking.k8s.io/v1').Ingress,
};
/* eslint-enable @typescript-eslint/no-require-imports */

const NODE = { minReplicas: 1, maxReplicas: 2, instanceType: 'u1.medium', diskSize: '20Gi' };

function readYaml(file: string): any[] {
  return YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'), { version: '1.1' }).map(d => d.toJS());
}

test('the example cluster\'s volume, load balancer and deployment land only in its bundle', () => {
  const app = tempApp();
  buildPlatform(app);
  app.synth();
  const index = readJson(app, 'index.json');
  expect(index.clusters).toEqual([{
    apiVersion: 'apps.cozystack.io/v1alpha1',
    kind: 'Kubernetes',
    namespace: 'tenant-foo',
    name: 'cluster1',
    path: 'platform/foo/cluster1',
    dir: 'clusters/tenant-foo/cluster1',
    files: ['clusters/tenant-foo/cluster1/workloads.tenant-yaml'],
    kubeconfigSecret: { namespace: 'tenant-foo', name: 'kubernetes-cluster1-admin-kubeconfig', key: 'super-admin.conf' },
    objects: [
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: '', name: 'cluster1-data' },
      { apiVersion: 'v1', kind: 'Service', namespace: '', name: 'cluster1-web-lb' },
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace: '', name: 'cluster1-web' },
    ],
  }]);
  const docs = readYaml(path.join(app.outdir, 'clusters/tenant-foo/cluster1/workloads.tenant-yaml'));
  expect(docs.map(d => `${d.kind}/${d.metadata.name}`)).toEqual(['PersistentVolumeClaim/cluster1-data', 'Service/cluster1-web-lb', 'Deployment/cluster1-web']);
  for (const d of docs) {
    const Model = MODELS[`${d.apiVersion}/${d.kind}`];
    expect(() => new Model(d).validate()).not.toThrow();
  }
  expect(docs[0].spec.storageClassName).toBe('replicated');
  expect(docs[1].spec.type).toBe('LoadBalancer');
  expect(docs[2].spec.template.spec.volumes[0].persistentVolumeClaim.claimName).toBe('cluster1-data');

  // Nothing of it in the management cluster's waves, and no stray file from cdk8s.
  for (const w of index.waves) {
    expect(readYaml(path.join(app.outdir, w.file)).every(d => d.apiVersion === 'apps.cozystack.io/v1alpha1')).toBe(true);
  }
  expect(fs.readdirSync(app.outdir).sort()).toEqual(['clusters', 'index.json', 'platform.k8s.yaml', 'topology.json', 'topology.md', 'topology.mmd', 'topology.svg', 'wave-00.k8s.yaml', 'wave-01.k8s.yaml', 'wave-02.k8s.yaml']);
  // The index covers the cluster bundle's bytes too.
  expect(Object.keys(index.files)).toContain('clusters/tenant-foo/cluster1/workloads.tenant-yaml');
});

test('the validator does reject a broken object (the test can fail)', () => {
  expect(() => new MODELS['v1/Service']({ metadata: { name: 'x' }, spec: { ports: [{ port: 'eighty' }] } }).validate()).toThrow();
});

function cluster(props: any = {}, tenantHost?: string) {
  const app = tempApp();
  const root = new RootTenant(app, 'platform', { host: 'example.org' });
  new EtcdService(root);
  const t = new Tenant(root, 'shop', { host: tenantHost });
  const k = new KubernetesCluster(t, 'k', props);
  return { app, root, k };
}

function clusterSpec(root: RootTenant): any {
  return root.synthBundle().waves.flatMap(w => YAML.parseAllDocuments(w.yaml).map(x => x.toJS())).find((d: any) => d.kind === 'Kubernetes').spec;
}

describe('ingress hosts and addons', () => {
  const backend = (k: KubernetesCluster) => plus.IngressBackend.fromService(new plus.Service(k.workloads, 'svc', { ports: [{ port: 80 }] }));

  test('a host under the tenant domain enables ingress-nginx and is routed to the cluster', () => {
    const { app, root, k } = cluster();
    k.addIngress('web', { host: 'www.shop.example.org', backend: backend(k) });
    expect(synthProblems(app)).toEqual([]);
    expect(clusterSpec(root).addons).toEqual({ ingressNginx: { enabled: true, hosts: ['www.shop.example.org'] } });
  });

  test('a listed host is served as is; TLS enables cert-manager', () => {
    const { app, root, k } = cluster({ addons: { ingressNginx: { hosts: ['*.shop.com'] } } });
    k.addIngress('web', { host: 'www.shop.com', backend: backend(k), tls: true });
    expect(synthProblems(app)).toEqual([]);
    expect(clusterSpec(root).addons).toEqual({ ingressNginx: { enabled: true, hosts: ['*.shop.com'] }, certManager: { enabled: true } });
    const ing = k.workloads.node.findAll().find(c => c instanceof plus.Ingress) as plus.Ingress;
    expect((ing as any).apiObject.toJson().metadata.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'letsencrypt-prod' });
  });

  test('a host the cluster cannot serve is refused', () => {
    const { app, k } = cluster();
    k.addIngress('web', { host: 'www.other.net', backend: backend(k) });
    expect(synthProblems(app)).toEqual([{ path: 'platform/shop/k', message: expect.stringContaining('Ingress host "www.other.net" is neither in addons.ingressNginx.hosts nor under the tenant\'s domain shop.example.org') }]);
  });

  test('a wildcard covers one level only', () => {
    const { app, k } = cluster({ addons: { ingressNginx: { hosts: ['*.shop.com'] } } });
    k.addIngress('web', { host: 'a.b.shop.com', backend: backend(k) });
    expect(synthProblems(app).map(p => p.message)).toEqual([expect.stringContaining('Ingress host "a.b.shop.com"')]);
  });

  test.each([
    ['ingressNginx', { ingressNginx: { enabled: false } }, false],
    ['certManager', { certManager: { enabled: false } }, true],
  ])('an addon switched off but needed (%s) is refused', (addon, addons, tls) => {
    const { app, k } = cluster({ addons });
    k.addIngress('web', { host: 'www.shop.example.org', backend: backend(k), tls });
    expect(synthProblems(app).map(p => p.message)).toEqual([expect.stringMatching(new RegExp(`^addons\\.${addon}\\.enabled is false, but the .* needs it`))]);
  });

  test('ingress-nginx needs a node group with its role', () => {
    const { app, k } = cluster({ nodeGroups: { md0: NODE } });
    k.addIngress('web', { host: 'www.shop.example.org', backend: backend(k) });
    expect(synthProblems(app).map(p => p.message)).toEqual([expect.stringContaining('no node group has the role "ingress-nginx"')]);
    const ok = cluster({ nodeGroups: { md0: { ...NODE, roles: ['ingress-nginx'] } } });
    ok.k.addIngress('web', { host: 'www.shop.example.org', backend: backend(ok.k) });
    expect(synthProblems(ok.app)).toEqual([]);
  });
});

test('volumes use the cluster\'s storage class unless told otherwise', () => {
  const { root, k } = cluster({ storageClass: 'local' });
  const a = k.addPersistentVolumeClaim('a', { storage: Size.gibibytes(1) });
  const b = k.addPersistentVolumeClaim('b', { storage: Size.gibibytes(1), storageClassName: 'fast' });
  expect([a.storageClassName, b.storageClassName]).toEqual(['local', 'fast']);
  expect(k.storageClassName).toBe('local');
  expect(root.synthBundle().files['clusters/tenant-shop/k/workloads.tenant-yaml']).toContain('storageClassName: local');
});

test('a cluster without workloads has no bundle, and a removed one leaves no files behind', () => {
  const outdir = tempApp().outdir;
  const first = new App({ outdir });
  const r1 = new RootTenant(first, 'platform', { host: 'example.org' });
  new EtcdService(r1);
  new KubernetesCluster(new Tenant(r1, 'a'), 'k').addPersistentVolumeClaim('v', { storage: Size.gibibytes(1) });
  first.synth();
  expect(fs.existsSync(path.join(outdir, 'clusters/tenant-a/k/workloads.tenant-yaml'))).toBe(true);

  const second = new App({ outdir });
  const r2 = new RootTenant(second, 'platform', { host: 'example.org' });
  new EtcdService(r2);
  new KubernetesCluster(new Tenant(r2, 'a'), 'k');
  second.synth();
  expect(fs.existsSync(path.join(outdir, 'clusters'))).toBe(false);
  expect(JSON.parse(fs.readFileSync(path.join(outdir, 'index.json'), 'utf8')).clusters).toEqual([]);
});

test('a workload\'s own validation errors are reported on the cluster', () => {
  const { app, k } = cluster();
  k.workloads.node.addValidation({ validate: () => ['something is off'] });
  expect(synthProblems(app)).toEqual([{ path: 'platform/shop/k/Workloads', message: 'something is off' }]);
});
