/**
 * Synthesis has one output step: `app.synth()` writes the bundle, nothing else does, and
 * `toJson()` has no side effects. Each test here is a misfire of the earlier design (which
 * told `app.synth()` from `app.synthYaml()` by reading the call stack).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, DependencyGraph, Size, Testing, YamlOutputType } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import * as YAML from 'yaml';
import { EtcdService, KubernetesCluster, RootTenant, Tenant } from '../src';
import { tempApp } from './support/synth';
import { chartsWithoutDependencies } from '../src/constructs/private/synthesis';

/** Every file under a folder, relative to it. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true } as any)
    .filter((e: any) => e.isFile())
    .map((e: any) => path.relative(dir, path.join(e.parentPath ?? e.path, e.name)))
    .sort();
}

function platform(app: App) {
  const root = new RootTenant(app, 'platform', { host: 'example.org' });
  new EtcdService(root);
  const foo = new Tenant(root, 'foo');
  const cluster = new KubernetesCluster(foo, 'k', {
    nodeGroups: { md0: { minReplicas: 1, maxReplicas: 2, instanceType: 'u1.medium', diskSize: '20Gi' } },
  });
  const data = cluster.addPersistentVolumeClaim('data', { storage: Size.gibibytes(1) });
  const web = new plus.Deployment(cluster.workloads, 'web', { containers: [{ image: 'nginx', portNumber: 8080 }] });
  cluster.addLoadBalancer('web-lb', { ports: [{ port: 80, targetPort: 8080 }], selector: web });
  return { root, foo, cluster, data };
}

const TENANT_CLUSTER_KINDS = ['PersistentVolumeClaim', 'Service', 'Deployment'];

test('Testing.synth(root) after app.synthYaml() returns the manifests and writes nothing', () => {
  const app = tempApp();
  const { root } = platform(app);
  app.synthYaml();
  const manifests = Testing.synth(root);
  expect(manifests.map((m: any) => `${m.kind} ${m.metadata.name}`)).toEqual(['Tenant root', 'Tenant foo', 'Kubernetes k']);
  expect(filesUnder(app.outdir)).toEqual([]);
});

test('app.synthYaml() returns the management stream and writes nothing, however the call stack looks', () => {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const app = tempApp();
    platform(app);
    const docs = YAML.parseAllDocuments(app.synthYaml()).map(d => d.toJS());
    expect(docs.map(d => d.kind)).toEqual(['Tenant', 'Tenant', 'Kubernetes']);
    expect(filesUnder(app.outdir)).toEqual([]);
  } finally {
    Error.stackTraceLimit = limit;
  }
});

test('toJson() has no side effects', () => {
  const app = tempApp();
  const { root } = platform(app);
  root.toJson();
  root.synthBundle();
  expect(filesUnder(app.outdir)).toEqual([]);
});

test('FOLDER_PER_CHART_FILE_PER_RESOURCE is refused before anything is written, naming the types that work', () => {
  const app = tempApp();
  const folder = app.outdir;
  const other = new App({ outdir: folder, yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE });
  platform(other);
  expect(() => other.synth()).toThrow(/FOLDER_PER_CHART_FILE_PER_RESOURCE.*Use YamlOutputType.FILE_PER_CHART/s);
  expect(filesUnder(folder)).toEqual([]);
});

test.each([
  ['FILE_PER_CHART', YamlOutputType.FILE_PER_CHART],
  ['FILE_PER_APP', YamlOutputType.FILE_PER_APP],
  ['FILE_PER_RESOURCE', YamlOutputType.FILE_PER_RESOURCE],
])('%s writes the whole bundle, index last, and no tenant-cluster object in any YAML file', (_name, type) => {
  const outdir = tempApp().outdir;
  const app = new App({ outdir, yamlOutputType: type });
  platform(app);
  app.synth();
  const files = filesUnder(outdir);
  expect(files).toEqual(expect.arrayContaining(['index.json', 'topology.json', 'wave-00.k8s.yaml', 'wave-01.k8s.yaml', 'clusters/tenant-foo/k/workloads.tenant-yaml']));
  // What kubectl apply -R -f and cdk8s synth --stdout read: .yaml, .yml and .json files.
  const kinds = files.filter(f => /\.(ya?ml)$/.test(f))
    .flatMap(f => YAML.parseAllDocuments(fs.readFileSync(path.join(outdir, f), 'utf8')).map(d => d.toJS()))
    .filter(d => d)
    .map(d => d.kind);
  for (const k of TENANT_CLUSTER_KINDS) expect(kinds).not.toContain(k);
});

test('wave files follow the App\'s outputFileExtension', () => {
  const outdir = tempApp().outdir;
  const app = new App({ outdir, outputFileExtension: '.yaml' });
  platform(app);
  app.synth();
  const index = JSON.parse(fs.readFileSync(path.join(outdir, 'index.json'), 'utf8'));
  expect(index.waves.map((w: any) => w.file)).toEqual(['wave-00.yaml', 'wave-01.yaml']);
  expect(filesUnder(outdir).filter(f => f.startsWith('wave-'))).toEqual(['wave-00.yaml', 'wave-01.yaml']);
});

test('tenant-cluster workloads sit in the platform\'s tree and stay out of every management-cluster output', () => {
  const app = tempApp();
  const { root, cluster, data } = platform(app);
  expect(data.node.path.startsWith(`${cluster.node.path}/`)).toBe(true);
  expect(Testing.synth(root).map((m: any) => m.kind)).not.toContain('PersistentVolumeClaim');
  expect(app.synthYaml()).not.toContain('PersistentVolumeClaim');
  // On its own, the cluster's chart synthesizes its objects.
  expect(Testing.synth(cluster.workloads).map((m: any) => m.kind).sort()).toEqual(['Deployment', 'PersistentVolumeClaim', 'Service']);
  expect(root.synthBundle().clusterManifests['tenant-foo/k'].map((m: any) => m.kind)).toEqual(['PersistentVolumeClaim', 'Service', 'Deployment']);
});

test('an ApiObject placed in a tenant without a namespace lands in the tenant\'s namespace and wave', () => {
  const app = tempApp();
  const { root, foo } = platform(app);
  new ApiObject(foo, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } });
  new ApiObject(foo, 'pinned', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'pinned', namespace: 'elsewhere' } });
  new ApiObject(root, 'top', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'top' } });
  const bundle = root.synthBundle();
  const where = (name: string) => {
    const w = bundle.waves.find(x => x.objects.some(o => o.name === name))!;
    return `${w.wave} ${w.objects.find(o => o.name === name)!.namespace}`;
  };
  expect([where('settings'), where('pinned'), where('top')]).toEqual(['1 tenant-foo', '1 elsewhere', '1 tenant-root']);
});

describe('the App\'s chart order without cdk8s\'s dependency graph', () => {
  /** What cdk8s's own `App.charts` gives (its dependency graph of the whole tree). */
  const cdk8sOrder = (app: App) => new DependencyGraph(app.node).topology().filter(Chart.isChart);

  test('equals cdk8s\'s order on a tree with numeric, nested and tenant-cluster charts', () => {
    const app = tempApp();
    platform(app);
    new Chart(app, '10');
    const two = new Chart(app, '2');
    new Chart(two, '0');
    new Chart(app, '01');
    new Chart(app, 'a');
    new Chart(app, '4294967295');
    const expected = cdk8sOrder(app);
    expect(expected.length).toBeGreaterThan(6);
    expect(chartsWithoutDependencies(app)).toEqual(expected);
    expect(app.charts.map(c => c.node.path)).toEqual(expected.map(c => c.node.path));
  });

  test('leaves a tree with a dependency to cdk8s, whose order the App keeps', () => {
    const app = tempApp();
    const { root } = platform(app);
    const first = new Chart(app, 'first');
    const later = new Chart(app, 'later');
    first.addDependency(later);
    new ApiObject(later, 'cm', { apiVersion: 'v1', kind: 'ConfigMap' }).addDependency(root);
    expect(chartsWithoutDependencies(app)).toBeUndefined();
    const expected = cdk8sOrder(app).map(c => c.node.path);
    expect(expected.indexOf('later')).toBeLessThan(expected.indexOf('first'));
    expect(app.charts.map(c => c.node.path)).toEqual(expected);
  });
});

describe('the App\'s chart order as cdk8s writes its files', () => {
  /** The chart files cdk8s writes for an App (what its naming says of the order). */
  function chartFiles(make: (app: App) => void, withPlatform: boolean): string[] {
    const app = tempApp();
    make(app);
    if (withPlatform) platform(app);
    app.synth();
    return fs.readdirSync(app.outdir).filter(f => f.endsWith('.k8s.yaml') && !f.startsWith('wave-')).sort();
  }

  test('nested charts read during validation are ordered as cdk8s orders them after its own dependency step', () => {
    const make = (app: App) => {
      const outer = new Chart(app, 'aaa');
      new Chart(outer, 'inner');
      outer.node.addValidation({ validate: () => (App.of(outer).charts.length > 0 ? [] : ['no charts']) });
    };
    const plain = chartFiles(make, false).filter(f => f.includes('aaa'));
    expect(plain[0]).toMatch(/^0000-aaa-inner/);
    expect(chartFiles(make, true).filter(f => f.includes('aaa'))).toEqual(plain);
  });

  test('an App subclass of the program that chooses its charts keeps its choice', () => {
    class Filtered extends App {
      public get charts(): Chart[] {
        return super.charts.filter(c => c.node.id !== 'skipme');
      }
    }
    const app = new Filtered({ outdir: tempApp().outdir });
    new Chart(app, 'skipme');
    new ApiObject(new Chart(app, 'kept'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap' });
    platform(app);
    app.synth();
    const files = fs.readdirSync(app.outdir);
    expect(files).toContain('kept.k8s.yaml');
    expect(files).not.toContain('skipme.k8s.yaml');
  });
});
