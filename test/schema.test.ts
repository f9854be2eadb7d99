/**
 * Every emitted spec validates against Cozystack's chart schema after the chart's
 * defaults are deep-merged under it, as Helm does with values.yaml and
 * values.schema.json. The check here is independent of the library's own.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import * as YAML from 'yaml';
import {
  EtcdService, IngressService, KubernetesCluster, MonitoringService, Postgres, RootTenant, Tenant,
} from '../src';
import { coalesce } from './support/helm';
import { tempApp } from './support/synth';

const CHARTS = path.join(__dirname, '..', 'charts');
const CHART_OF: Record<string, string> = {
  Tenant: 'tenant', Etcd: 'etcd', Ingress: 'ingress', Monitoring: 'monitoring', Kubernetes: 'kubernetes', Postgres: 'postgres',
};

function validatorFor(release: string, chart: string) {
  const data = JSON.parse(fs.readFileSync(path.join(CHARTS, release, `${chart}.json`), 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: false }).compile(data.schema);
  return (spec: any) => {
    const ok = validate(coalesce(data.values, spec));
    return ok ? [] : validate.errors!.map(e => `${e.instancePath} ${e.message}`);
  };
}

function richPlatform() {
  const app = tempApp();
  const root = new RootTenant(app, 'platform', { host: 'example.org', seaweedfs: true });
  new EtcdService(root, { size: '8Gi', replicas: 3, storageClass: 'local', resources: { cpu: '2', memory: '1Gi' } });
  new IngressService(root, { replicas: 3, whitelist: ['10.0.0.0/8'], resourcesPreset: 'c1.small' });
  new MonitoringService(root, {
    metricsStorages: [{ name: 'shortterm', retentionPeriod: '7d', deduplicationInterval: '15s', storage: '20Gi' }],
  });
  const a = new Tenant(root, 'a', { resourceQuotas: { 'cpu': '20', 'memory': '64Gi', 'services.loadbalancers': '3' }, schedulingClass: 'gold', gateway: true });
  new EtcdService(a, { size: '10Gi' });
  new IngressService(a, { cloudflareProxy: true, resources: { cpu: '500m', memory: '512Mi' } });
  new MonitoringService(a, { host: 'grafana.a.example.org' });
  const b = new Tenant(a, 'b', { host: 'b.example.net', seaweedfs: true });
  new KubernetesCluster(b, 'k8s', {
    version: 'v1.34',
    storageClass: 'replicated',
    nodeGroups: {
      md0: { minReplicas: 1, maxReplicas: 5, instanceType: 'u1.large', diskSize: '50Gi', roles: ['ingress-nginx'] },
      gpu: { minReplicas: 0, maxReplicas: 2, instanceType: 'u1.xlarge', diskSize: '100Gi', resources: { cpu: '8', memory: '32Gi' }, gpus: [{ name: 'nvidia.com/AD102GL_L40S' }] },
    },
    addons: { certManager: { enabled: true }, ingressNginx: { enabled: true, hosts: ['app.b.example.net'] } } as any,
    controlPlane: { replicas: 3 } as any,
  });
  new Postgres(b, 'db', {
    replicas: 3,
    size: '20Gi',
    version: 'v17',
    resourcesPreset: 'u1.medium',
    external: true,
    users: { app: {}, repl: { replication: true } },
    databases: { app: { extensions: ['hstore'], roles: { admin: ['app'], readonly: ['repl'] } } },
    postgresql: { parameters: { max_connections: '300' } },
    quorum: { minSyncReplicas: 1, maxSyncReplicas: 1 },
  });
  new KubernetesCluster(a, 'plain');
  new Postgres(a, 'plaindb');
  return { app, root };
}

test('every kind the library emits validates against its chart (v1.6.2)', () => {
  const { root } = richPlatform();
  const kinds = new Set<string>();
  for (const w of root.synthBundle().waves) {
    for (const doc of YAML.parseAllDocuments(w.yaml, { version: '1.1' }).map(d => d.toJS())) {
      kinds.add(doc.kind);
      expect({ object: `${doc.kind} ${doc.metadata.namespace}/${doc.metadata.name}`, errors: validatorFor('v1.6.2', CHART_OF[doc.kind])(doc.spec) })
        .toEqual({ object: `${doc.kind} ${doc.metadata.namespace}/${doc.metadata.name}`, errors: [] });
    }
  }
  expect([...kinds].sort()).toEqual(['Etcd', 'Ingress', 'Kubernetes', 'Monitoring', 'Postgres', 'Tenant']);
});

test('the independent check does catch what the schema forbids', () => {
  expect(validatorFor('v1.6.2', 'kubernetes')({ nodeGroups: { md0: { minReplicas: 1 } } })).not.toEqual([]);
  expect(validatorFor('v1.6.2', 'postgres')({ replicas: 'two' })).not.toEqual([]);
});

test('the chart copy carries no upstream prose', () => {
  for (const release of fs.readdirSync(CHARTS)) {
    for (const f of fs.readdirSync(path.join(CHARTS, release))) {
      const walk = (n: any, where: string): void => {
        if (Array.isArray(n)) return n.forEach((x, i) => walk(x, `${where}[${i}]`));
        if (n && typeof n === 'object') {
          for (const [k, v] of Object.entries(n)) {
            if ((k === 'description' || k === 'title') && typeof v === 'string') throw new Error(`${release}/${f}: prose at ${where}.${k}`);
            walk(v, `${where}.${k}`);
          }
        }
      };
      walk(JSON.parse(fs.readFileSync(path.join(CHARTS, release, f), 'utf8')).schema, '$');
    }
  }
});

test('the chart copy matches ../shared/cozystack (when present)', () => {
  const shared = path.resolve(__dirname, '..', '..', 'shared', 'cozystack');
  if (!fs.existsSync(shared)) return;
  for (const chart of Object.values(CHART_OF)) {
    const copy = JSON.parse(fs.readFileSync(path.join(CHARTS, 'v1.6.2', `${chart}.json`), 'utf8'));
    const values = YAML.parse(fs.readFileSync(path.join(shared, `${chart}.values.yaml`), 'utf8'), { version: '1.1' }) ?? {};
    expect(copy.values).toEqual(values);
    const schema = JSON.parse(fs.readFileSync(path.join(shared, `${chart}.values.schema.json`), 'utf8'));
    expect(Object.keys(copy.schema.properties)).toEqual(Object.keys(schema.properties));
  }
});
