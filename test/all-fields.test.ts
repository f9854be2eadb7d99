/**
 * Every field of every chart schema (v1.6.2 and v0.41.11) can be set through the
 * constructs' props and lands in the emitted spec, and the result validates against
 * that version's schema with the chart's defaults merged in (as Helm does).
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import * as YAML from 'yaml';
import {
  CozystackVersion, EtcdService, IngressService, KubernetesCluster, MonitoringService, Postgres, RootTenant, Tenant,
} from '../src';
import { coalesce } from './support/helm';
import { tempApp } from './support/synth';

const CHARTS = path.join(__dirname, '..', 'charts');
const load = (release: string, chart: string) => JSON.parse(fs.readFileSync(path.join(CHARTS, release, `${chart}.json`), 'utf8'));

/** Values that a plain type-based sample would get wrong (render-time rules, hosts). */
const OVERRIDES: Record<string, unknown> = {
  'spec.host': 'svc.example.org',
  // OIDC custom config is inline or a Secret reference, not both (kubernetes: a string, monitoring: an object).
  'kubernetes spec.oidc.customConfig.config': '',
  'monitoring spec.oidc.customConfig.config': {},
  'spec.proxyProtocol': false,
  'spec.controlPlane.apiServer.extraVolumes': [{ name: 'authn', secret: { secretName: 'authn' } }],
  'spec.controlPlane.apiServer.extraVolumeMounts': [{ name: 'authn', mountPath: '/etc/authn' }],
  'spec.addons.ouroboros.enabled': false,
  // ingress-nginx (enabled by the sample) runs only on nodes with this role.
  'spec.nodeGroups.item.roles': ['ingress-nginx'],
  // The kubernetes chart's kubelet checks (cluster.yaml): quantities in its format that leave room on the node.
  'spec.nodeGroups.item.resources': { cpu: '4', memory: '8Gi' },
  'spec.nodeGroups.item.kubelet.systemReservedMemory': '256Mi',
  'spec.nodeGroups.item.kubelet.kubeReservedMemory': '256Mi',
  'spec.nodeGroups.item.kubelet.systemReservedCpu': '100m',
  'spec.nodeGroups.item.kubelet.kubeReservedCpu': '100m',
  'spec.nodeGroups.item.kubelet.evictionHardMemory': '5%',
  'spec.nodeGroups.item.kubelet.evictionSoftMemory': '10%',
  'spec.nodeGroups.item.maxUnhealthy': '50%',
  'spec.nodeHealthCheck.maxUnhealthy': '50%',
  // The postgres chart refuses a restore from the platform bucket; roles name users of the spec.
  'postgres spec.backup.useSystemBucket': false,
  'postgres spec.databases.item.roles.admin': ['item'],
  'postgres spec.databases.item.roles.readonly': ['item'],
  // A backup schedule parses as a cron of its reader's flavour (a descriptor reads the same in both).
  'spec.backup.schedule': '@daily',
  // Quota keys are resource names a ResourceQuota can limit.
  'tenant spec.resourceQuotas': { cpu: '1' },
};

/** A value for every field of a schema. */
function sample(schema: any, at: string, chart = ''): unknown {
  if (`${chart} ${at}` in OVERRIDES) return OVERRIDES[`${chart} ${at}`];
  if (at in OVERRIDES) return OVERRIDES[at];
  if (schema.enum) return schema.enum.find((v: unknown) => typeof v !== 'string' || !/^(nano|micro|small|medium|large|xlarge|2xlarge)$/.test(v)) ?? schema.enum[0];
  if (schema['x-kubernetes-int-or-string'] || schema.anyOf) return '1';
  switch (schema.type) {
    case 'boolean': return true;
    case 'integer': case 'number': return 1;
    case 'string': return 'x';
    case 'array': return schema.items ? [sample(schema.items, `${at}[0]`, chart)] : [];
  }
  if (schema.properties) {
    return Object.fromEntries(Object.entries<any>(schema.properties).map(([k, s]) => [k, sample(s, `${at}.${k}`, chart)]));
  }
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    return { item: sample(schema.additionalProperties, `${at}.item`, chart) };
  }
  return { key: 'value' };
}

/** Every leaf path of a value. */
function leaves(v: unknown, at: string, out: Set<string>): Set<string> {
  if (Array.isArray(v)) v.forEach((x, i) => leaves(x, `${at}[${i}]`, out));
  else if (v && typeof v === 'object' && Object.keys(v).length) Object.entries(v).forEach(([k, x]) => leaves(x, `${at}.${k}`, out));
  else out.add(at);
  return out;
}

const VERSIONS: Array<[string, CozystackVersion]> = [['v1.6.2', CozystackVersion.V1_6], ['v0.41.11', CozystackVersion.V0_41]];
const KIND: Record<string, string> = { tenant: 'Tenant', etcd: 'Etcd', ingress: 'Ingress', monitoring: 'Monitoring', kubernetes: 'Kubernetes', postgres: 'Postgres' };

describe.each(VERSIONS)('Cozystack %s', (release, version) => {
  test.each(Object.keys(KIND))('%s: every field set through props is emitted and validates', chart => {
    const data = load(release, chart);
    const values = sample(data.schema, 'spec', chart) as Record<string, any>;
    const app = tempApp();
    const root = new RootTenant(app, 'platform', { host: 'example.org', version });
    new EtcdService(root);
    const t = new Tenant(root, 'owner');
    switch (chart) {
      case 'tenant': {
        const { etcd, ingress, monitoring, seaweedfs, ...rest } = values;
        const sub = new Tenant(t, 'sub', { ...rest, seaweedfs });
        if (etcd) new EtcdService(sub);
        if (ingress) new IngressService(sub);
        if (monitoring) new MonitoringService(sub);
        break;
      }
      case 'etcd': new EtcdService(t, values); break;
      case 'ingress': new IngressService(t, values); break;
      case 'monitoring': new MonitoringService(t, values); break;
      case 'kubernetes': new KubernetesCluster(t, 'k', values); break;
      case 'postgres': new Postgres(t, 'db', { ...values, allowPlaintextSecrets: true }); break;
    }
    const docs = root.synthBundle().waves.flatMap(w => YAML.parseAllDocuments(w.yaml, { version: '1.1' }).map(d => d.toJS()));
    const obj = docs.find((d: any) => d.kind === KIND[chart] && d.metadata.namespace !== 'tenant-root');
    expect(obj).toBeDefined();

    // Every field given is emitted (v0.41 writes diskSize as ephemeralStorage, which the sample sets itself).
    const emitted = leaves(obj.spec, 'spec', new Set());
    const missing = [...leaves(values, 'spec', new Set())].filter(p => !emitted.has(p));
    expect(missing).toEqual([]);

    const validate = new Ajv({ allErrors: true, strict: false }).compile(data.schema);
    const ok = validate(coalesce(data.values, obj.spec));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);

    // And the library itself finds nothing to refuse.
    expect(() => app.synth()).not.toThrow();
  });
});

test('the sample really covers the schema (the test can fail)', () => {
  const data = load('v1.6.2', 'kubernetes');
  const paths = leaves(sample(data.schema, 'spec', 'kubernetes'), 'spec', new Set());
  expect(paths.has('spec.nodeGroups.item.kubelet.evictionHardMemory')).toBe(true);
  expect(paths.has('spec.addons.ingressNginx.exposeMethod')).toBe(true);
  expect(paths.size).toBeGreaterThan(70);
});
