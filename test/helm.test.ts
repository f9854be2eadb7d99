/**
 * The real Helm validates what the library emits: each spec goes through `helm template`
 * of a chart made of Cozystack's values.yaml and values.schema.json (no templates), which
 * coalesces the chart defaults and checks the schema exactly as it does on the cluster.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { CozystackVersion, EtcdService, KubernetesCluster, Postgres, RootTenant, Tenant } from '../src';
import { ensureHelm } from './support/kubectl';
import { richPlatform } from './support/rich-platform';
import { tempApp } from './support/synth';

const CHART_OF: Record<string, string> = {
  Tenant: 'tenant', Etcd: 'etcd', Ingress: 'ingress', Monitoring: 'monitoring', Kubernetes: 'kubernetes', Postgres: 'postgres',
};
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-charts-'));

/** A chart that is only Cozystack's values and schema of one release. */
function chartDir(release: string, chart: string): string {
  const dir = path.join(work, release, chart);
  if (!fs.existsSync(dir)) {
    const data = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'charts', release, `${chart}.json`), 'utf8'));
    fs.mkdirSync(path.join(dir, 'templates'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'Chart.yaml'), `apiVersion: v2\nname: ${chart}\nversion: 0.0.0\n`);
    fs.writeFileSync(path.join(dir, 'values.yaml'), JSON.stringify(data.values));
    fs.writeFileSync(path.join(dir, 'values.schema.json'), JSON.stringify(data.schema));
  }
  return dir;
}

/** Runs helm template with the spec as the release values; returns Helm's complaint, or '' when it accepts them. */
function helmCheck(release: string, chart: string, spec: unknown): string {
  const values = path.join(work, `values-${Math.random().toString(36).slice(2)}.yaml`);
  fs.writeFileSync(values, YAML.stringify(spec ?? {}));
  try {
    execFileSync(ensureHelm(), ['template', 'r', chartDir(release, chart), '-f', values], { stdio: 'pipe' });
    return '';
  } catch (e: any) {
    return String(e.stderr ?? e.message);
  }
}

function objectsOf(root: RootTenant): any[] {
  return root.synthBundle().waves.flatMap(w => YAML.parseAllDocuments(w.yaml, { version: '1.1' }).map(d => d.toJS()));
}

test('helm accepts every spec of a rich v1.6 platform', () => {
  const { root } = richPlatform();
  const objects = objectsOf(root);
  expect(new Set(objects.map(o => o.kind)).size).toBe(6);
  for (const o of objects) {
    expect({ object: `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`, helm: helmCheck('v1.6.2', CHART_OF[o.kind], o.spec) })
      .toEqual({ object: `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`, helm: '' });
  }
});

test('helm accepts a v0.41 platform as the library writes it for v0.41', () => {
  const app = tempApp();
  const root = new RootTenant(app, 'platform', { host: 'example.org', version: CozystackVersion.V0_41 });
  new EtcdService(root, { size: '8Gi' });
  const t = new Tenant(root, 'a', { isolated: true, resourceQuotas: { cpu: '4' } });
  new KubernetesCluster(t, 'k', { nodeGroups: { md0: { minReplicas: 1, maxReplicas: 2, instanceType: 'u1.medium', diskSize: '30Gi', resources: {} } } });
  new Postgres(t, 'db', { resourcesPreset: 'small', postgresql: { parameters: { max_connections: '200' } } });
  for (const o of objectsOf(root)) expect([o.kind, helmCheck('v0.41.11', CHART_OF[o.kind], o.spec)]).toEqual([o.kind, '']);
});

test('helm refuses what the library refuses (the check can fail)', () => {
  expect(helmCheck('v1.6.2', 'kubernetes', { nodeGroups: { md0: { minReplicas: 1 } } })).toMatch(/instanceType|required/);
  expect(helmCheck('v1.6.2', 'postgres', { replicas: 'two' })).toMatch(/replicas/);
  expect(helmCheck('v0.41.11', 'postgres', { resourcesPreset: 'u1.small' })).toMatch(/resourcesPreset/);
  // v0.41 needs ephemeralStorage in a node group (except in md0, which Helm merges with the chart's own md0).
  const group = { minReplicas: 1, maxReplicas: 2, instanceType: 'u1.medium', diskSize: '30Gi', resources: {} };
  expect(helmCheck('v0.41.11', 'kubernetes', { nodeGroups: { ng1: group } })).toMatch(/ephemeralStorage/);
  expect(helmCheck('v0.41.11', 'kubernetes', { nodeGroups: { md0: group } })).toBe('');
});
