/**
 * Issue 13, faults 1 and 2, on real platforms: quota pools per tenant as Cozystack
 * v1.6.2's quota controller computes them (internal/controller/tenantquota/pool.go),
 * cozystack-api's admission of a Tenant's quota (pkg/registry/apps/application/quota.go),
 * and the keys the tenant chart renders into its ResourceQuota (quota.yaml, cozy-lib
 * resources.flatten). Each minimal input of the issue with the value Cozystack gives.
 */
import { CozystackVersion, RootTenant, Tenant } from '../src';
import { synthProblems, tempApp } from './support/synth';
import { renderTopologyMarkdown } from '../src/report/markdown';

function platform(build: (root: RootTenant) => void, version = CozystackVersion.V1_6) {
  const app = tempApp();
  const root = new RootTenant(app, 'platform', { host: 'example.org', version });
  build(root);
  return { app, root, problems: synthProblems(app) };
}

const quotas = (root: RootTenant) => Object.fromEntries(root.synthBundle().topology.tenants.map((t: any) => [t.namespace, t.quota]));

describe('fault 1: pools per tenant, not per key', () => {
  // rule: tenant/quota-pools
  test('a{cpu:10} > b{memory:4Gi}: topology.json gives tenant-a-b no cpu bound', () => {
    const { root, problems } = platform(r => {
      const a = new Tenant(r, 'a', { resourceQuotas: { cpu: '10' } });
      new Tenant(a, 'b', { resourceQuotas: { memory: '4Gi' } });
    });
    expect(problems).toEqual([]);
    const q = quotas(root);
    expect(q['tenant-a-b']).toEqual({
      declared: { memory: '4Gi' },
      pool: 'tenant-a-b',
      effective: { memory: { amount: '4Gi', pool: 'tenant-a-b', shared: false } },
      remaining: { memory: '4Gi' },
      carvedOut: {},
      members: ['tenant-a-b'],
    });
    expect(q['tenant-a-b'].effective.cpu).toBeUndefined();
    // b's memory is not a key of a's budget: nothing is carved out of a.
    expect(q['tenant-a']).toMatchObject({ remaining: { cpu: '10' }, carvedOut: {}, members: ['tenant-a'] });
  });

  test('c{cpu:20} under b{memory:4Gi} under a{cpu:10} is admitted, as Cozystack admits it', () => {
    const { root, problems } = platform(r => {
      const a = new Tenant(r, 'a', { resourceQuotas: { cpu: '10' } });
      const b = new Tenant(a, 'b', { resourceQuotas: { memory: '4Gi' } });
      new Tenant(b, 'c', { resourceQuotas: { cpu: '20' } });
    });
    expect(problems).toEqual([]);
    expect(quotas(root)['tenant-a-b-c']).toMatchObject({ pool: 'tenant-a-b-c', effective: { cpu: { amount: '20', pool: 'tenant-a-b-c', shared: false } } });
  });

  test('a{cpu:10} > b{} > c{cpu:20} is refused: c carves 20 out of a\'s pool through unbounded b, and the controller holds a and b at 0', () => {
    const { problems } = platform(r => {
      const a = new Tenant(r, 'a', { resourceQuotas: { cpu: '10' } });
      const b = new Tenant(a, 'b');
      new Tenant(b, 'c', { resourceQuotas: { cpu: '20' } });
    });
    expect(problems).toEqual([{
      path: 'platform/a',
      message: 'Tenant tenant-a has a "cpu" quota of 10, but the tenants with a quota of their own below it carve 20 of "cpu" out of its pool '
        + '(tenant-a-b-c 20 through tenant-a-b, which declares no quota), 10 more than it has. Since Cozystack v1.6 a tenant that declares any quota '
        + 'carves its whole list out of the pool of its parent\'s nearest ancestor with a quota, and a tenant without quota shares that pool; '
        + 'cozystack-api checks a Tenant only against its direct parent, so it admits this, but the quota controller reports the pool of tenant-a '
        + 'as overcommitted and gives its members (tenant-a, tenant-a-b) a hard "cpu" limit of 0: no pod that asks for "cpu" starts there '
        + '(internal/controller/tenantquota/pool.go). Lower those quotas to 10 of "cpu" in total, or raise "cpu" on tenant-a to at least 20.',
    }]);
  });

  // rule: api/tenant-quota
  test('admission: direct sub-tenants over their parent in a key both declare are refused, naming the rule', () => {
    const { problems } = platform(r => {
      const a = new Tenant(r, 'a', { resourceQuotas: { cpu: '10', memory: '8Gi' } });
      new Tenant(a, 'b', { resourceQuotas: { cpu: '6' } });
      new Tenant(a, 'c', { resourceQuotas: { cpu: '6', storage: '1Ti' } });
    });
    expect(problems.map(p => p.path)).toEqual(['platform/a']);
    expect(problems[0].message).toContain('its direct sub-tenants declare 12 of "cpu" in total (tenant-a-b 6, tenant-a-c 6), 2 more than it has');
    expect(problems[0].message).toContain('child[key] <= parent[key] - the siblings\' declared key - what the parent\'s pool uses now');
  });

  test('before v1.6 there are no pools: only each tenant\'s own ResourceQuota, declared', () => {
    const { root, problems } = platform(r => {
      const a = new Tenant(r, 'a', { resourceQuotas: { cpu: '10' } });
      new Tenant(new Tenant(a, 'b'), 'c', { resourceQuotas: { cpu: '20' } });
    }, CozystackVersion.V1_5);
    expect(problems).toEqual([]);
    expect(quotas(root)['tenant-a']).toEqual({ declared: { cpu: '10' } });
  });

  test('topology.md shows who shares a pool, what is carved out, and no bound the tenant does not have', () => {
    const { root } = platform(r => {
      const a = new Tenant(r, 'a', { resourceQuotas: { cpu: '8', memory: '16Gi' } });
      new Tenant(a, 'b', { resourceQuotas: { cpu: '2' } });
      new Tenant(a, 'c');
    });
    const md = renderTopologyMarkdown(root.synthBundle().topology);
    const section = (name: string) => md.split('\n### ').find(x => x.startsWith(name))!.split('\n');
    expect(section('a ·')).toContain('Its pool is shared by a (`tenant-a`) and c (`tenant-a-c`); sub-tenants with quotas of their own carve out `cpu` `2`.');
    expect(section('b ·').filter(l => l.startsWith('| `'))).toEqual(['| `cpu` | `2` | `2` | own | `2` |']);
    expect(section('b ·').join('\n')).not.toContain('Its pool');
  });

  test('an overcommitted pool is drawn as such (from topology.json alone)', () => {
    const md = renderTopologyMarkdown({
      tenants: [
        { name: 'root', path: 'platform', namespace: 'tenant-root', parentNamespace: null, depth: 0, host: 'example.org', modules: [], services: {} },
        {
          name: 'a',
          path: 'platform/a',
          namespace: 'tenant-a',
          parentNamespace: 'tenant-root',
          depth: 1,
          host: 'a.example.org',
          modules: [],
          services: {},
          quota: {
            declared: { cpu: '10' },
            pool: 'tenant-a',
            effective: { cpu: { amount: '10', pool: 'tenant-a', shared: false } },
            remaining: { cpu: '0' },
            carvedOut: { cpu: '20' },
            members: ['tenant-a'],
            overcommitted: { cpu: '10' },
          },
        },
      ],
      apps: [],
    });
    expect(md).toContain('⚠ Overcommitted: `cpu` by `10`; the quota controller holds every member of the pool at 0 for it.');
  });
});

describe('fault 2: quota keys', () => {
  // rule: tenant/quota-keys
  test('requests.cpu, limits.memory and requests.storage are refused, each with the key to use, all in one run', () => {
    const { problems } = platform(r => {
      new Tenant(r, 'a', { resourceQuotas: { 'requests.cpu': '4' } });
      new Tenant(r, 'b', { resourceQuotas: { 'limits.memory': '8Gi' } });
      new Tenant(r, 'c', { resourceQuotas: { 'requests.storage': '100Gi' } });
      new Tenant(r, 'd', { resourceQuotas: { memroy: '64Gi' } });
    });
    expect(problems.map(p => p.path)).toEqual(['platform/a', 'platform/b', 'platform/c', 'platform/d']);
    expect(problems[0].message).toBe('resourceQuotas["requests.cpu"]: keys are resource names without "requests." or "limits.", which the tenant chart '
      + 'adds itself (cozy-lib resources.flatten renders "cpu" as requests.cpu and limits.cpu), so "requests.cpu" becomes requests.requests.cpu and '
      + 'limits.requests.cpu, which Kubernetes refuses in a ResourceQuota: the chart\'s release fails and the Tenant never becomes Ready. Use "cpu".');
    expect(problems[1].message).toContain('becomes requests.limits.memory and limits.limits.memory');
    expect(problems[1].message).toContain('Use "memory".');
    expect(problems[2].message).toContain('Use "storage".');
    expect(problems[3].message).toContain('resourceQuotas["memroy"] is not a resource a ResourceQuota can limit');
    expect(problems[3].message).toContain('Did you mean "memory"?');
  });

  test('keys are refused on every version: the chart renders them the same way since v0.41', () => {
    expect(platform(r => new Tenant(r, 'a', { resourceQuotas: { 'requests.cpu': '4' } }), CozystackVersion.V1_0).problems).toHaveLength(1);
  });

  test('a key that limits nothing is a warning, not a refusal', () => {
    const { root, problems } = platform(r => new Tenant(r, 'a', { resourceQuotas: { 'cpu': '4', 'count/deployments.apps': '10' } }));
    expect(problems).toEqual([]);
    expect(root.synthBundle().warnings).toEqual([expect.stringMatching(
      /^\[platform\/a\] resourceQuotas\["count\/deployments\.apps"\] limits nothing: the tenant chart renders it as requests\.count\/deployments\.apps and limits\.count\/deployments\.apps/,
    )]);
  });

  test('a wrong key and an overdrawn pool on different tenants are reported together', () => {
    const { problems } = platform(r => {
      const a = new Tenant(r, 'a', { resourceQuotas: { cpu: '1' } });
      new Tenant(a, 'b', { resourceQuotas: { 'cpu': '2', 'services.clusterip': '3' } });
    });
    expect(problems.map(p => [p.path, p.message.slice(0, 40)])).toEqual([
      ['platform/a', 'Tenant tenant-a has a "cpu" quota of 1, '],
      ['platform/a/b', 'resourceQuotas["services.clusterip"] is '],
    ]);
  });
});
