/**
 * The target Cozystack version decides which fields exist and how they are emitted
 * (SPEC.md §6).
 */
import * as YAML from 'yaml';
import { CozystackVersion, EtcdService, KubernetesCluster, Postgres, RootTenant, Tenant } from '../src';
import { synthProblems, tempApp } from './support/synth';

const NODE = { minReplicas: 1, maxReplicas: 2, instanceType: 'u1.medium', diskSize: '30Gi' };

function platform(version: CozystackVersion, build: (root: RootTenant) => void) {
  const app = tempApp();
  const root = new RootTenant(app, 'platform', { host: 'example.org', version });
  new EtcdService(root);
  build(root);
  return { app, root, problems: synthProblems(app) };
}

function specOf(root: RootTenant, kind: string, name: string): any {
  for (const w of root.synthBundle().waves) {
    for (const d of YAML.parseAllDocuments(w.yaml).map(x => x.toJS())) {
      if (d.kind === kind && d.metadata.name === name) return d.spec;
    }
  }
  throw new Error(`${kind} ${name} not found`);
}

test('versions are looked up by name', () => {
  expect(CozystackVersion.of('v1.6')).toBe(CozystackVersion.V1_6);
  expect(CozystackVersion.of('1.2.3')).toBe(CozystackVersion.V1_2);
  expect(CozystackVersion.of('v0.41.11')).toBe(CozystackVersion.V0_41);
  expect(() => CozystackVersion.of('v2.0')).toThrow(/Unknown Cozystack version "v2.0": this library supports v0.41, v1.0, .* v1.6/);
  expect(new RootTenant(tempApp(), 'p', { host: 'example.org' }).version).toBe(CozystackVersion.V1_6);
});

describe('gateway exists from v1.5', () => {
  test.each([CozystackVersion.V1_0, CozystackVersion.V1_4, CozystackVersion.V0_41])('refused on %s', v => {
    const { problems } = platform(v, root => new Tenant(root, 'a', { gateway: true }));
    expect(problems).toEqual([{ path: 'platform/a', message: `spec.gateway is not available in Cozystack ${v.name}: it exists from v1.5. Remove it, or set the RootTenant's version to v1.5 or newer.` }]);
  });
  test('emitted on v1.5, and left out when unset', () => {
    const { root, problems } = platform(CozystackVersion.V1_5, r => { new Tenant(r, 'a', { gateway: false }); new Tenant(r, 'b'); });
    expect(problems).toEqual([]);
    expect(specOf(root, 'Tenant', 'a').gateway).toBe(false);
    expect('gateway' in specOf(root, 'Tenant', 'b')).toBe(false);
  });
});

describe('schedulingClass exists from v1.2', () => {
  test('refused on v1.1', () => {
    const { problems } = platform(CozystackVersion.V1_1, root => new Tenant(root, 'a', { schedulingClass: 'gold' }));
    expect(problems.map(p => p.message)).toEqual([expect.stringContaining('spec.schedulingClass is not available in Cozystack v1.1: it exists from v1.2.')]);
  });
  test('accepted on v1.2', () => {
    expect(platform(CozystackVersion.V1_2, root => new Tenant(root, 'a', { schedulingClass: 'gold' })).problems).toEqual([]);
  });
});

describe('isolated is v0.41 only', () => {
  test('refused on v1', () => {
    const { problems } = platform(CozystackVersion.V1_0, root => new Tenant(root, 'a', { isolated: false }));
    expect(problems.map(p => p.message)).toEqual([
      'spec.isolated no longer exists in Cozystack v1.0 (it was a v0.41 field; tenant isolation is always on since v1.0). Remove it.',
    ]);
  });
  test('emitted on v0.41', () => {
    const { root, problems } = platform(CozystackVersion.V0_41, r => new Tenant(r, 'a', { isolated: false }));
    expect(problems).toEqual([]);
    expect(specOf(root, 'Tenant', 'a')).toEqual({ etcd: false, ingress: false, monitoring: false, seaweedfs: false, isolated: false });
  });
});

describe('node group disks', () => {
  test('v0.41 writes diskSize as ephemeralStorage', () => {
    const { root, problems } = platform(CozystackVersion.V0_41, r => new KubernetesCluster(r, 'k', {
      nodeGroups: { md0: { ...NODE, resources: {} } },
    }));
    expect(problems).toEqual([]);
    expect(specOf(root, 'Kubernetes', 'k').nodeGroups.md0).toEqual({ minReplicas: 1, maxReplicas: 2, instanceType: 'u1.medium', ephemeralStorage: '30Gi', resources: {} });
  });
  test('ephemeralStorage is refused on v1', () => {
    const { problems } = platform(CozystackVersion.V1_6, r => new KubernetesCluster(r, 'k', {
      nodeGroups: { md0: { ...NODE, ephemeralStorage: '30Gi' } },
    }));
    expect(problems.map(p => p.message)).toEqual([
      'spec.nodeGroups.md0.ephemeralStorage no longer exists in Cozystack v1.6 (it was a v0.41 field; use diskSize). Remove it, or use diskSize.',
    ]);
  });
  test('v0.41 node groups also need resources', () => {
    const { problems } = platform(CozystackVersion.V0_41, r => new KubernetesCluster(r, 'k', { nodeGroups: { ng1: NODE } }));
    expect(problems.map(p => p.message)).toEqual([expect.stringMatching(/^Node group "ng1" is missing resources: .* Add resources, e\.g\. resources: \{\}\.$/)]);
  });
  test('...except md0, which Helm merges with the v0.41 chart\'s own md0 entry', () => {
    expect(platform(CozystackVersion.V0_41, r => new KubernetesCluster(r, 'k', { nodeGroups: { md0: { minReplicas: 2 } } })).problems).toEqual([]);
    expect(platform(CozystackVersion.V1_6, r => new KubernetesCluster(r, 'k', { nodeGroups: { md0: { minReplicas: 2 } } })).problems).toHaveLength(3);
  });
});

describe('resource presets', () => {
  test('v0.41 knows only the legacy names', () => {
    const { problems } = platform(CozystackVersion.V0_41, r => new Postgres(r, 'db', { resourcesPreset: 'u1.small' }));
    expect(problems.map(p => p.message)).toEqual([expect.stringMatching(/^spec\.resourcesPreset must be one of "nano", "micro", .*\(Cozystack v0\.41\.11 postgres chart schema\)/)]);
    expect(platform(CozystackVersion.V0_41, r => new Postgres(r, 'db', { resourcesPreset: 'small' })).problems).toEqual([]);
  });
  test('v1 accepts legacy names with a deprecation warning', () => {
    const { root, problems } = platform(CozystackVersion.V1_6, r => new Postgres(r, 'db', { resourcesPreset: 'small' }));
    expect(problems).toEqual([]);
    expect(root.synthBundle().warnings).toEqual([
      '[platform/db] spec.resourcesPreset uses the legacy preset "small", which Cozystack v1 accepts with a deprecation warning. Use a sized preset such as "u1.small".',
    ]);
  });
});

test('a v1 field on v0.41 names the version that has it', () => {
  const { problems } = platform(CozystackVersion.V0_41, r => new KubernetesCluster(r, 'k', { oidc: { mode: 'System' } }));
  expect(problems.map(p => p.message)).toEqual([
    'spec.oidc is not available in Cozystack v0.41: it exists from v1.0. Remove it, or set the RootTenant\'s version to v1.0 or newer.',
  ]);
});

test('a key no version has is refused as a typo, wherever it is', () => {
  const { problems } = platform(CozystackVersion.V1_6, r => new KubernetesCluster(r, 'k', {
    nodeGroups: { md0: { ...NODE, minReplica: 1 } as any },
    addons: { certManager: { enabled: true, valuesOverride: { anything: { goes: 'here' } } } } as any,
  }));
  expect(problems.map(p => p.message)).toEqual([
    // Issue 13, fault 7: a typo gets "did you mean".
    'spec.nodeGroups.md0.minReplica is not a field of Cozystack\'s kubernetes chart (v1.6.2): the server would accept it and ignore it. Remove it or check its spelling: did you mean spec.nodeGroups.md0.minReplicas?',
  ]);
});

test('v0.41 integer parameters are written as integers', () => {
  const { root, problems } = platform(CozystackVersion.V0_41, r => new Postgres(r, 'db', { postgresql: { parameters: { max_connections: '200' } } }));
  expect(problems).toEqual([]);
  expect(specOf(root, 'Postgres', 'db').postgresql).toEqual({ parameters: { max_connections: 200 } });
});

test('the tenant host warning applies from v1.5', () => {
  expect(platform(CozystackVersion.V1_4, r => new Tenant(r, 'a', { host: 'a.io' })).root.synthBundle().warnings).toEqual([]);
  expect(platform(CozystackVersion.V1_5, r => new Tenant(r, 'a', { host: 'a.io' })).root.synthBundle().warnings).toHaveLength(1);
});
