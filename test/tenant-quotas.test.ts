/**
 * Hierarchical quotas on real platforms (Cozystack v1.6): a child's quota is carved out
 * of its parent's budget; topology.json carries each tenant's declared and effective budget.
 */
import { Construct } from 'constructs';
import { CozystackVersion, RootTenant, Tenant } from '../src';
import { synthProblems, tempApp } from './support/synth';

function platform(version: CozystackVersion, build: (root: RootTenant) => void) {
  const app = tempApp();
  const root = new RootTenant(app, 'platform', { host: 'example.org', version });
  build(root);
  return { app, root, problems: synthProblems(app) };
}

const overdrawn = (r: Construct) => {
  const a = new Tenant(r, 'a', { resourceQuotas: { memory: '64Gi', cpu: '10' } });
  new Tenant(a, 'b', { resourceQuotas: { memory: '32Gi' } });
  new Tenant(a, 'c', { resourceQuotas: { memory: '34359738368' } });
  new Tenant(a, 'd', { resourceQuotas: { memory: '1024Mi', cpu: '2500m' } });
};

test('children asking more than the parent has are refused on v1.6, once, on the parent', () => {
  const { problems } = platform(CozystackVersion.V1_6, overdrawn);
  expect(problems).toEqual([{
    path: 'platform/a',
    message: 'Tenant tenant-a has a "memory" quota of 64Gi, but its direct sub-tenants declare 65Gi of "memory" in total '
      + '(tenant-a-b 32Gi, tenant-a-c 34359738368, tenant-a-d 1024Mi), 1Gi more than it has. Since Cozystack v1.6, cozystack-api admits a '
      + 'Tenant\'s quota only if, for each key its direct parent also declares, child[key] <= parent[key] - the siblings\' declared key - what the '
      + 'parent\'s pool uses now (pkg/registry/apps/application/quota.go): the last of these Tenants to be created is refused and never gets its namespace. '
      + 'Lower the sub-tenants\' "memory" to 64Gi in total, or raise "memory" on tenant-a to at least 65Gi.',
  }]);
});

test('before v1.6 the server does not check the hierarchy, nor does the library', () => {
  expect(platform(CozystackVersion.V1_5, overdrawn).problems).toEqual([]);
});

test('an exactly full budget is fine, through a tenant that declares nothing', () => {
  expect(platform(CozystackVersion.V1_6, r => {
    const a = new Tenant(r, 'a', { resourceQuotas: { cpu: '4' } });
    const mid = new Tenant(a, 'mid');
    new Tenant(mid, 'x', { resourceQuotas: { cpu: '3500m' } });
    new Tenant(a, 'y', { resourceQuotas: { cpu: '0.5' } });
  }).problems).toEqual([]);
});

test('negative quotas are refused', () => {
  const { problems } = platform(CozystackVersion.V1_6, r => new Tenant(r, 'a', { resourceQuotas: { 'services.loadbalancers': '-1' } }));
  expect(problems.map(p => p.message)).toEqual([expect.stringContaining('Kubernetes refuses negative resource quotas')]);
});

test('text that is not a quantity is reported once, by the chart schema', () => {
  const { problems } = platform(CozystackVersion.V1_6, r => new Tenant(r, 'a', { resourceQuotas: { memory: '64 Gi' } }));
  expect(problems.map(p => p.message)).toEqual([expect.stringMatching(/^spec\.resourceQuotas\.memory /)]);
});

test('topology.json carries each tenant\'s pool: declared, effective and remaining budgets, carve-outs and members', () => {
  const { root } = platform(CozystackVersion.V1_6, r => {
    const a = new Tenant(r, 'a', { resourceQuotas: { memory: '64Gi', cpu: '10' } });
    new Tenant(a, 'b', { resourceQuotas: { memory: '16Gi' } });
    new Tenant(a, 'c');
    new Tenant(r, 'free');
  });
  const q = Object.fromEntries(root.synthBundle().topology.tenants.map((t: any) => [t.namespace, t.quota]));
  expect(q['tenant-a']).toEqual({
    declared: { memory: '64Gi', cpu: '10' },
    pool: 'tenant-a',
    effective: { memory: { amount: '64Gi', pool: 'tenant-a', shared: false }, cpu: { amount: '10', pool: 'tenant-a', shared: false } },
    remaining: { memory: '48Gi', cpu: '10' },
    carvedOut: { memory: '16Gi' },
    members: ['tenant-a', 'tenant-a-c'],
  });
  // b declares memory only: it roots a pool of its own, and a's cpu does not bound it.
  expect(q['tenant-a-b']).toEqual({
    declared: { memory: '16Gi' },
    pool: 'tenant-a-b',
    effective: { memory: { amount: '16Gi', pool: 'tenant-a-b', shared: false } },
    remaining: { memory: '16Gi' },
    carvedOut: {},
    members: ['tenant-a-b'],
  });
  expect(q['tenant-a-c']).toEqual({
    declared: {},
    pool: 'tenant-a',
    effective: { memory: { amount: '48Gi', pool: 'tenant-a', shared: true }, cpu: { amount: '10', pool: 'tenant-a', shared: true } },
    remaining: {},
  });
  expect(q['tenant-free']).toBeUndefined();
  expect(q['tenant-root']).toBeUndefined();
});
