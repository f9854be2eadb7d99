/**
 * The quota rules of the domain layer (SPEC §3, Cozystack v1.6.2): pools per tenant as
 * `internal/controller/tenantquota/pool.go` computes them, the admission check of
 * `pkg/registry/apps/application/quota.go`, and the keys the tenant chart's
 * `quota.yaml` (cozy-lib `resources.flatten`) renders into a ResourceQuota.
 */
import * as fc from 'fast-check';
import { classifyQuotaKey, QUOTA_KEYS, quotaBudgets, QuotaNode, quotaProblems, quotaReport, renderedQuotaKeys } from '../src/domain/quotas';
import { MESSAGES as QUOTA_MESSAGES } from '../src/domain/rules';

/** A tenant named like SPEC §3: `tenant-<name>` under the root, `<parent ns>-<name>` below. */
interface Spec {
  readonly q?: { [key: string]: string };
  readonly kids?: { [name: string]: Spec };
}

function tree(spec: Spec): QuotaNode {
  const build = (s: Spec, path: string, namespace: string): QuotaNode => ({
    path,
    namespace,
    declared: s.q,
    children: Object.entries(s.kids ?? {}).map(([name, k]) =>
      build(k, `${path}/${name}`, namespace === 'tenant-root' ? `tenant-${name}` : `${namespace}-${name}`)),
  });
  return build(spec, 'platform', 'tenant-root');
}

const keyOf = (m: string) => /has a "([^"]+)" quota/.exec(m)![1];

describe('admission: direct sub-tenants against their parent', () => {
  test('children in mixed units that ask for more than the parent has: one problem on the parent, naming everything', () => {
    const root = tree({
      kids: {
        foo: {
          q: { memory: '64Gi' },
          kids: { a: { q: { memory: '32Gi' } }, b: { q: { memory: '34359738368' } }, c: { q: { memory: '32768Mi' } } },
        },
      },
    });
    const problems = quotaProblems(root);
    expect(problems).toHaveLength(1);
    expect(problems[0].rule).toBe('admission');
    expect(problems[0].path).toBe('platform/foo');
    const m = problems[0].message;
    expect(m).toContain('"memory" quota of 64Gi');
    expect(m).toContain('declare 96Gi of "memory" in total (tenant-foo-a 32Gi, tenant-foo-b 34359738368, tenant-foo-c 32768Mi), 32Gi more than it has');
    expect(m).toContain('child[key] <= parent[key] - the siblings\' declared key');
    expect(m).toContain('the last of these Tenants to be created is refused');
    expect(m).toContain('raise "memory" on tenant-foo to at least 96Gi.');
    expect(m).toBe(QUOTA_MESSAGES.quotaAdmission('tenant-foo', 'memory', '64Gi', [
      { namespace: 'tenant-foo-a', amount: '32Gi' },
      { namespace: 'tenant-foo-b', amount: '34359738368' },
      { namespace: 'tenant-foo-c', amount: '32768Mi' },
    ], '96Gi', '32Gi', '96Gi'));
  });

  test('a budget used exactly to the last byte (in other units) is fine and leaves 0', () => {
    const root = tree({
      kids: { foo: { q: { memory: '64Gi', cpu: '1' }, kids: { a: { q: { memory: '34359738368', cpu: '500m' } }, b: { q: { memory: '32768Mi', cpu: '.5' } } } } },
    });
    expect(quotaProblems(root)).toEqual([]);
    expect(quotaBudgets(root).get('tenant-foo')!.remaining).toEqual({ memory: '0Gi', cpu: '0' });
  });

  test('a single child over its parent is named as the Tenant cozystack-api refuses', () => {
    const [p] = quotaProblems(tree({ kids: { b: { q: { cpu: '1' }, kids: { c: { q: { cpu: '2' } } } } } }));
    expect(p.message).toContain('(pkg/registry/apps/application/quota.go): Tenant tenant-b-c is refused and never gets its namespace.');
  });

  test('one byte over is refused', () => {
    const root = tree({ kids: { foo: { q: { memory: '64Gi' }, kids: { a: { q: { memory: '34359738369' } }, b: { q: { memory: '32Gi' } } } } } });
    const problems = quotaProblems(root);
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toContain('declare 68719476737 of "memory" in total');
    expect(problems[0].message).toContain(', 1 more than it has');
  });

  test('several problems are reported at once, one per (tenant, key), each on its tenant', () => {
    const root = tree({
      q: { cpu: '100' },
      kids: {
        foo: {
          q: { 'cpu': '60', 'memory': '8Gi', 'services.loadbalancers': '1' },
          kids: {
            a: { q: { 'cpu': '40', 'memory': '6Gi', 'services.loadbalancers': '1' } },
            b: { q: { cpu: '30', memory: '6Gi' } },
          },
        },
        bar: { q: { cpu: '50', storage: '1Ti' }, kids: { c: { q: { storage: '2Ti' } } } },
      },
    });
    const problems = quotaProblems(root);
    expect(problems.map(p => [p.rule, p.path, keyOf(p.message)])).toEqual([
      ['admission', 'platform', 'cpu'],
      ['admission', 'platform/foo', 'cpu'],
      ['admission', 'platform/foo', 'memory'],
      ['admission', 'platform/bar', 'storage'],
    ]);
    expect(problems[0].message).toContain('declare 110 of "cpu" in total (tenant-foo 60, tenant-bar 50), 10 more');
    expect(problems[2].message).toContain('declare 12Gi of "memory" in total (tenant-foo-a 6Gi, tenant-foo-b 6Gi), 4Gi more');
  });

  test('only keys both declare are compared: a child may bound what its parent leaves unbounded', () => {
    const root = tree({ kids: { a: { q: { cpu: '4' }, kids: { b: { q: { memory: '1Ti', cpu: '4' } } } } } });
    expect(quotaProblems(root)).toEqual([]);
    const report = quotaReport(root);
    expect(report.pools.get('tenant-a')!.carvedOut).toEqual({ cpu: '4' });
    expect(report.pools.get('tenant-a')!.available).toEqual({ cpu: '0' });
  });
});

describe('pools per tenant, not per key (the quota controller)', () => {
  test('issue fault 1: a{cpu:10} > b{memory:4Gi}: b has no cpu bound at all', () => {
    const root = tree({ kids: { a: { q: { cpu: '10' }, kids: { b: { q: { memory: '4Gi' } } } } } });
    const report = quotaReport(root);
    expect(report.problems).toEqual([]);
    expect(report.budgets.get('tenant-a-b')).toEqual({
      declared: { memory: '4Gi' },
      pool: 'tenant-a-b',
      effective: { memory: { amount: '4Gi', pool: 'tenant-a-b', shared: false } },
      remaining: { memory: '4Gi' },
    });
    // b's memory is masked out of a's pool (a bounds no memory), so a keeps its 10 cpu.
    expect(report.pools.get('tenant-a')).toEqual({
      root: 'tenant-a', path: 'platform/a', budget: { cpu: '10' }, carvedOut: {}, available: { cpu: '10' }, members: ['tenant-a'], overcommitted: {},
    });
  });

  test('issue fault 1: c{cpu:20} under b{memory:4Gi} under a{cpu:10} is admitted (b bounds no cpu)', () => {
    const root = tree({ kids: { a: { q: { cpu: '10' }, kids: { b: { q: { memory: '4Gi' }, kids: { c: { q: { cpu: '20' } } } } } } } });
    const report = quotaReport(root);
    expect(report.problems).toEqual([]);
    expect(report.pools.get('tenant-a-b')!.carvedOut).toEqual({});
    expect(report.budgets.get('tenant-a-b-c')!.effective).toEqual({ cpu: { amount: '20', pool: 'tenant-a-b-c', shared: false } });
  });

  test('a{cpu:10} > b{} > c{cpu:20}: carved out of a\'s pool through unbounded b; overcommitted, with why', () => {
    const root = tree({ kids: { a: { q: { cpu: '10' }, kids: { b: { kids: { c: { q: { cpu: '20' } } } } } } } });
    const report = quotaReport(root);
    expect(report.problems).toHaveLength(1);
    const [p] = report.problems;
    expect(p.rule).toBe('overcommitted');
    expect(p.path).toBe('platform/a');
    expect(p.message).toBe(QUOTA_MESSAGES.quotaOvercommitted('tenant-a', 'cpu', '10',
      [{ namespace: 'tenant-a-b-c', amount: '20', via: 'tenant-a-b' }], '20', '10', ['tenant-a', 'tenant-a-b']));
    expect(p.message).toContain('carve 20 of "cpu" out of its pool (tenant-a-b-c 20 through tenant-a-b, which declares no quota), 10 more than it has');
    expect(p.message).toContain('cozystack-api checks a Tenant only against its direct parent, so it admits this');
    expect(p.message).toContain('gives its members (tenant-a, tenant-a-b) a hard "cpu" limit of 0');
    expect(report.pools.get('tenant-a')).toMatchObject({ carvedOut: { cpu: '20' }, available: { cpu: '0' }, overcommitted: { cpu: '10' }, members: ['tenant-a', 'tenant-a-b'] });
    expect(report.budgets.get('tenant-a-b')).toEqual({
      declared: {}, pool: 'tenant-a', effective: { cpu: { amount: '0', pool: 'tenant-a', shared: true } }, remaining: {},
    });
  });

  test('a bounded tenant carves its whole list; a bounded child of a bounded tenant carves from that one only', () => {
    // b bounds cpu only: c's memory is masked out of b's pool and never reaches a.
    expect(quotaProblems(tree({
      kids: { a: { q: { cpu: '10', memory: '8Gi' }, kids: { b: { q: { cpu: '2' }, kids: { c: { q: { memory: '16Gi' } } } } } } },
    }))).toEqual([]);
    // Without b's quota, c carves from a's pool.
    expect(quotaProblems(tree({
      kids: { a: { q: { cpu: '10', memory: '8Gi' }, kids: { b: { kids: { c: { q: { memory: '16Gi' } } } } } } },
    })).map(p => [p.rule, keyOf(p.message)])).toEqual([['overcommitted', 'memory']]);
  });

  test('direct children within the budget, plus carve-outs through an unbounded tenant beyond it: overcommitted, not an admission refusal', () => {
    const report = quotaReport(tree({ kids: { a: { q: { cpu: '10' }, kids: { b: { q: { cpu: '6' } }, m: { kids: { c: { q: { cpu: '6' } } } } } } } }));
    expect(report.problems.map(p => p.rule)).toEqual(['overcommitted']);
    expect(report.problems[0].message).toContain('(tenant-a-b 6, tenant-a-m-c 6 through tenant-a-m, which declares no quota), 2 more than it has');
  });

  test('only the nearest pool counts: a grandchild is carved from its bounded parent, not again from the root', () => {
    const root = tree({ q: { cpu: '10' }, kids: { a: { q: { cpu: '8' }, kids: { b: { q: { cpu: '8' } } } } } });
    expect(quotaProblems(root)).toEqual([]);
    const budgets = quotaBudgets(root);
    expect(budgets.get('tenant-root')!.remaining).toEqual({ cpu: '2' });
    expect(budgets.get('tenant-a')!.remaining).toEqual({ cpu: '0' });
  });

  test('members: the root of the pool and its unbounded descendants down to the next bounded tenant', () => {
    const report = quotaReport(tree({ kids: { a: { q: { cpu: '4' }, kids: { x: { kids: { xx: {} } }, y: { q: { cpu: '1' }, kids: { z: {} } } } } } }));
    expect(report.pools.get('tenant-a')).toMatchObject({ members: ['tenant-a', 'tenant-a-x', 'tenant-a-x-xx'], carvedOut: { cpu: '1' }, available: { cpu: '3' } });
    expect(report.pools.get('tenant-a-y')!.members).toEqual(['tenant-a-y', 'tenant-a-y-z']);
    expect(report.budgets.get('tenant-a-x-xx')!.pool).toBe('tenant-a');
    expect(report.budgets.get('tenant-a-y-z')!.effective).toEqual({ cpu: { amount: '1', pool: 'tenant-a-y', shared: true } });
    expect([...report.pools.keys()]).toEqual(['tenant-a', 'tenant-a-y']);
  });

  test('a tenant with no bounded ancestor has no pool', () => {
    const budgets = quotaBudgets(tree({ kids: { a: {}, b: { q: { cpu: '1' } } } }));
    expect(budgets.get('tenant-a')).toEqual({ declared: {}, pool: null, effective: {}, remaining: {} });
    expect(budgets.get('tenant-root')!.pool).toBeNull();
  });
});

describe('keys (the tenant chart renders them into a ResourceQuota)', () => {
  const problemsOf = (q: { [key: string]: string }) => quotaReport(tree({ kids: { a: { q } } }));

  test('the chart\'s rendering: cpu, memory, ephemeral-storage twice, storage as a request, object counts as they are', () => {
    expect(renderedQuotaKeys('cpu')).toEqual(['requests.cpu', 'limits.cpu']);
    expect(renderedQuotaKeys('memory')).toEqual(['requests.memory', 'limits.memory']);
    expect(renderedQuotaKeys('storage')).toEqual(['requests.storage']);
    expect(renderedQuotaKeys('services.loadbalancers')).toEqual(['services.loadbalancers']);
    expect(renderedQuotaKeys('nvidia.com/gpu')).toEqual(['requests.nvidia.com/gpu', 'limits.nvidia.com/gpu']);
    for (const k of QUOTA_KEYS) expect([k, classifyQuotaKey(k).status]).toEqual([k, 'ok']);
    expect(classifyQuotaKey('nvidia.com/gpu')).toMatchObject({ status: 'ok', integer: true });
    expect(classifyQuotaKey('ephemeral-storage')).toMatchObject({ status: 'ok', integer: false });
  });

  test('issue fault 2: requests.cpu, limits.memory, requests.storage are refused with the right key', () => {
    const r = problemsOf({ 'requests.cpu': '4', 'limits.memory': '8Gi', 'requests.storage': '100Gi' });
    expect(r.problems.map(p => [p.rule, p.path])).toEqual([['key', 'platform/a'], ['key', 'platform/a'], ['key', 'platform/a']]);
    expect(r.problems[0].message).toBe(QUOTA_MESSAGES.quotaKeyPrefixed('requests.cpu', ['requests.requests.cpu', 'limits.requests.cpu'], 'cpu'));
    expect(r.problems[0].message).toContain('so "requests.cpu" becomes requests.requests.cpu and limits.requests.cpu, which Kubernetes refuses');
    expect(r.problems[0].message).toContain('the Tenant never becomes Ready. Use "cpu".');
    expect(r.problems[1].message).toContain('Use "memory".');
    expect(r.problems[2].message).toContain('Use "storage".');
    // The refused keys are out of the arithmetic: no pool budget, nothing else reported.
    expect(r.pools.get('tenant-a')!.budget).toEqual({});
  });

  test('issue fault 2: a misspelled key is refused with "did you mean"', () => {
    const [p] = problemsOf({ memroy: '64Gi' }).problems;
    expect(p.rule).toBe('key');
    expect(p.message).toContain('resourceQuotas["memroy"] is not a resource a ResourceQuota can limit: the tenant chart renders it as requests.memroy and limits.memroy');
    expect(p.message).toContain('Did you mean "memory"?');
    expect(problemsOf({ CPU: '4' }).problems[0].message).toContain('Did you mean "cpu"?');
    expect(problemsOf({ 'services.loadbalancer': '1' }).problems[0].message).toContain('Did you mean "services.loadbalancers"?');
    expect(problemsOf({ gpu: '1' }).problems[0].message).toContain('Did you mean "nvidia.com/gpu"?');
    expect(problemsOf({ bandwidth: '1' }).problems[0].message).not.toContain('Did you mean');
  });

  test('names Kubernetes refuses though the chart writes them: services.clusterip, hugepages, nested sections, bad domains', () => {
    const rules = (q: { [key: string]: string }) => problemsOf(q).problems.map(p => p.message);
    expect(rules({ 'services.clusterip': '5' })).toEqual([QUOTA_MESSAGES.quotaKeyClusterIp()]);
    expect(rules({ 'hugepages-2Mi': '1Gi' })[0]).toContain('becomes requests.hugepages-2Mi and limits.hugepages-2Mi');
    expect(rules({ 'requests.hugepages-2Mi': '1Gi' })[0]).toContain('cannot express a huge-pages quota');
    expect(rules({ requests: '1' })[0]).toContain('A flat map of resources expected');
    expect(rules({ 'NVIDIA.com/gpu': '1' })[0]).toContain('"NVIDIA.com" before the "/" is not a lowercase DNS subdomain');
    expect(rules({ 'a/b/c': '1' })[0]).toContain('more than one "/"');
  });

  test('object counts and extended resources take whole numbers only', () => {
    const [p] = problemsOf({ pods: '1.5' }).problems;
    expect(p).toEqual({ rule: 'integer', path: 'platform/a', message: QUOTA_MESSAGES.quotaNotInteger('pods', '1.5', '1', '2') });
    expect(problemsOf({ 'nvidia.com/gpu': '500m' }).problems[0].message).toContain('Use "1".');
    expect(problemsOf({ 'pods': '1k', 'nvidia.com/gpu': '2' }).problems).toEqual([]);
  });

  test('the chart reads n and u as 0 for cpu, memory and ephemeral-storage', () => {
    const [p] = problemsOf({ cpu: '500000u' }).problems;
    expect(p.rule).toBe('chart-unit');
    expect(p.message).toContain('writes requests.cpu: 0');
    expect(p.message).toContain('Write the same amount as "500m".');
    expect(problemsOf({ cpu: '1n' }).problems[0].message).toContain('"1m"');
    expect(problemsOf({ 'nvidia.com/gpu': '1', 'storage': '1n' }).problems).toEqual([]);
  });

  test('keys Kubernetes accepts but counts nothing against are warned about, with the key that works', () => {
    const r = problemsOf({
      'count/deployments.apps': '10',
      'count/services': '10',
      'requests.nvidia.com/gpu': '1',
      'gold.storageclass.storage.k8s.io/requests.storage': '1Ti',
      'ephemeral-storage': '10Gi',
    });
    expect(r.problems).toEqual([]);
    expect(r.warnings.map(w => [w.rule, w.path])).toEqual(Array(4).fill(['inert-key', 'platform/a']));
    const [deployments, services, gpu, gold] = r.warnings.map(w => w.message);
    expect(deployments).toContain('resourceQuotas["count/deployments.apps"] limits nothing: the tenant chart renders it as requests.count/deployments.apps and limits.count/deployments.apps');
    expect(deployments).toContain('Remove the key.');
    expect(services).toContain('Use "services", or remove the key.');
    expect(gpu).toContain('Use "nvidia.com/gpu"');
    expect(gold).toContain('Use "storage" (all storage classes together)');
  });
});

describe('invalid quantities', () => {
  test('are reported on the tenant that declares them, and left out of its pool', () => {
    const root = tree({
      q: { memory: '10Gi' },
      kids: {
        a: {
          q: { memory: '64 Gi', cpu: '4' },
          // The grandchild asks more than 10Gi, but a's broken memory bounds nothing: only its cpu is checked.
          kids: { b: { q: { memory: '100Gi', cpu: '5' } }, c: {} },
        },
      },
    });
    const problems = quotaProblems(root);
    expect(problems.map(p => [p.rule, p.path])).toEqual([['invalid', 'platform/a'], ['admission', 'platform/a']]);
    expect(problems[0].message).toBe(QUOTA_MESSAGES.quotaInvalid('memory', '64 Gi', 'spaces are not allowed between the number and its suffix (" Gi")'));
    expect(problems[1].message).toContain('"cpu" quota of 4');
    const budgets = quotaBudgets(root);
    expect(budgets.get('tenant-root')!.remaining).toEqual({ memory: '10Gi' });
    expect(budgets.get('tenant-a')!.declared).toEqual({ memory: '64 Gi', cpu: '4' });
    expect(budgets.get('tenant-a')!.remaining).toEqual({ cpu: '0' });
    expect(budgets.get('tenant-a-c')!.effective).toEqual({ cpu: { amount: '0', pool: 'tenant-a', shared: true } });
  });

  test('negative quotas are refused as Kubernetes does', () => {
    const problems = quotaProblems(tree({ kids: { a: { q: { 'services.loadbalancers': '-1' } } } }));
    expect(problems).toEqual([{ rule: 'negative', path: 'platform/a', message: QUOTA_MESSAGES.quotaNegative('services.loadbalancers', '-1') }]);
    expect(problems[0].message).toContain('Kubernetes refuses negative resource quotas');
  });

  test('the message says what is wrong and how to write a quantity', () => {
    const [p] = quotaProblems(tree({ q: { cpu: '2K' } }));
    expect(p.path).toBe('platform');
    expect(p.message).toContain('resourceQuotas["cpu"] is "2K", which is not a Kubernetes quantity');
    expect(p.message).toContain('did you mean "k"');
    expect(p.message).toContain('e.g. "4", "500m", "64Gi"');
  });
});

describe('effective and remaining budgets on a 4-level tree', () => {
  const root = tree({
    q: { cpu: '100', memory: '256Gi' },
    kids: {
      foo: {
        q: { cpu: '40', storage: '1Ti' },
        kids: {
          bar: {
            q: { memory: '32Gi', storage: '512Gi' },
            kids: {
              baz: { q: { cpu: '10' } },
              qux: {},
            },
          },
          lab: { q: { storage: '256Gi' } },
        },
      },
      ops: { q: { memory: '64Gi' } },
    },
  });
  const budgets = quotaBudgets(root);

  test('one entry per tenant, by namespace, in tree order', () => {
    expect([...budgets.keys()]).toEqual([
      'tenant-root', 'tenant-foo', 'tenant-foo-bar', 'tenant-foo-bar-baz', 'tenant-foo-bar-qux', 'tenant-foo-lab', 'tenant-ops',
    ]);
    expect(quotaProblems(root)).toEqual([]);
  });

  test('remaining: the budget minus what bounded tenants carve out of the pool, in the budget\'s keys only', () => {
    // foo carves cpu 40 out of the root (its storage is masked); ops carves memory 64Gi.
    expect(budgets.get('tenant-root')!.remaining).toEqual({ cpu: '60', memory: '192Gi' });
    // baz carves from bar's pool (bar bounds no cpu), not from foo's: foo keeps its 40 cpu.
    expect(budgets.get('tenant-foo')!.remaining).toEqual({ cpu: '40', storage: '0.25Ti' });
    expect(budgets.get('tenant-foo-bar')!.remaining).toEqual({ memory: '32Gi', storage: '512Gi' });
    expect(budgets.get('tenant-foo-bar-baz')!.remaining).toEqual({ cpu: '10' });
    expect(budgets.get('tenant-foo-bar-qux')!.remaining).toEqual({});
  });

  test('effective: only the keys of the pool the namespace draws from; ancestors\' other keys bound nothing', () => {
    expect(budgets.get('tenant-foo-bar-baz')).toEqual({
      declared: { cpu: '10' },
      pool: 'tenant-foo-bar-baz',
      effective: { cpu: { amount: '10', pool: 'tenant-foo-bar-baz', shared: false } },
      remaining: { cpu: '10' },
    });
    expect(budgets.get('tenant-foo-bar-qux')!.effective).toEqual({
      memory: { amount: '32Gi', pool: 'tenant-foo-bar', shared: true },
      storage: { amount: '512Gi', pool: 'tenant-foo-bar', shared: true },
    });
    expect(budgets.get('tenant-foo-lab')!.effective).toEqual({ storage: { amount: '256Gi', pool: 'tenant-foo-lab', shared: false } });
    expect(budgets.get('tenant-ops')).toEqual({
      declared: { memory: '64Gi' },
      pool: 'tenant-ops',
      effective: { memory: { amount: '64Gi', pool: 'tenant-ops', shared: false } },
      remaining: { memory: '64Gi' },
    });
  });

  test('an overcommitted pool shows 0 remaining (the overcommit is a problem, not a negative budget)', () => {
    const over = tree({ kids: { a: { q: { cpu: '1' }, kids: { b: { q: { cpu: '2' } }, c: {} } } } });
    const report = quotaReport(over);
    expect(report.problems).toHaveLength(1);
    expect(report.budgets.get('tenant-a')!.remaining).toEqual({ cpu: '0' });
    expect(report.budgets.get('tenant-a-c')!.effective.cpu).toEqual({ amount: '0', pool: 'tenant-a', shared: true });
  });
});

describe('agrees with a naive reading of ComputePools on random trees', () => {
  interface Raw { parent: number; quotas: { [key: string]: [number, string] } }
  const KEYS = ['cpu', 'memory', 'storage'];
  const UNITS: { [unit: string]: number } = { '': 1, 'Ki': 1024, 'k': 1000 };
  const rawTree = fc.array(fc.record({
    parent: fc.nat(),
    // Each amount in its own unit, so the arithmetic must convert between them.
    quotas: fc.dictionary(fc.constantFrom(...KEYS), fc.tuple(fc.nat({ max: 40 }), fc.constantFrom(...Object.keys(UNITS)))),
  }), { minLength: 1, maxLength: 30 });

  test('the same overcommitted (pool, key) pairs and the same effective keys as a walk up from every tenant', () => {
    fc.assert(fc.property(rawTree, (raws: Raw[]) => {
      const parents = raws.map((r, i) => (i === 0 ? -1 : r.parent % i));
      const nodes: QuotaNode[] = raws.map((r, i) => ({
        path: `t${i}`,
        namespace: `ns${i}`,
        declared: Object.fromEntries(Object.entries(r.quotas).map(([k, [v, u]]) => [k, `${v}${u}`])),
        children: [],
      }));
      nodes.forEach((n, i) => { if (i > 0) nodes[parents[i]].children.push(n); });

      const bounded = (i: number) => Object.keys(raws[i].quotas).length > 0;
      const poolRoot = (i: number) => { let a = i; while (a !== -1 && !bounded(a)) a = parents[a]; return a; };
      const value = (i: number, key: string) => raws[i].quotas[key][0] * UNITS[raws[i].quotas[key][1]];
      const carved = new Map<string, number>();
      raws.forEach((r, i) => {
        if (!bounded(i) || i === 0) return;
        const p = poolRoot(parents[i]);
        if (p === -1) return;
        for (const key of Object.keys(r.quotas)) {
          if (raws[p].quotas[key] !== undefined) carved.set(`t${p} ${key}`, (carved.get(`t${p} ${key}`) ?? 0) + value(i, key));
        }
      });
      const expected = raws.flatMap((r, i) => Object.keys(r.quotas)
        .filter(key => (carved.get(`t${i} ${key}`) ?? 0) > value(i, key)).map(key => `t${i} ${key}`)).sort();
      const report = quotaReport(nodes[0]);
      const actual = report.problems.map(p => `${p.path} ${keyOf(p.message)}`).sort();
      expect(actual).toEqual(expected);
      raws.forEach((_, i) => {
        const p = poolRoot(i);
        expect(Object.keys(report.budgets.get(`ns${i}`)!.effective).sort()).toEqual(p === -1 ? [] : Object.keys(raws[p].quotas).sort());
      });
    }));
  });
});

describe('scale', () => {
  test('100,000 tenants with quotas on every level are checked in one linear walk', () => {
    // 10 top-level tenants, each with 100 children, each with 99 grandchildren (100,010 tenants).
    const grandchildren = (ns: string): QuotaNode[] => Array.from({ length: 99 }, (_, i) => ({
      path: `${ns}/g${i}`, namespace: `${ns}-g${i}`, declared: i % 2 === 0 ? { cpu: '100m', memory: '1Gi' } : undefined, children: [],
    }));
    const children = (ns: string): QuotaNode[] => Array.from({ length: 100 }, (_, i) => ({
      path: `${ns}/c${i}`, namespace: `${ns}-c${i}`, declared: { cpu: '5' }, children: grandchildren(`${ns}-c${i}`),
    }));
    const root: QuotaNode = {
      path: 'platform',
      namespace: 'tenant-root',
      declared: { cpu: '5000', memory: '64Ti' },
      children: Array.from({ length: 10 }, (_, i) => ({
        path: `platform/t${i}`, namespace: `tenant-t${i}`, declared: { memory: '5Ti' }, children: children(`tenant-t${i}`),
      })),
    };
    const start = Date.now();
    const report = quotaReport(root);
    const elapsed = Date.now() - start;
    expect(report.budgets.size).toBe(100_011);
    // Each c<j> gives its 5 cpu to 50 grandchildren asking 100m; t<i> bounds memory only, so the c<j>' cpu is masked there.
    expect(report.problems).toEqual([]);
    expect(report.budgets.get('tenant-t3-c7-g1')!.effective).toEqual({ cpu: { amount: '0', pool: 'tenant-t3-c7', shared: true } });
    expect(report.budgets.get('tenant-t3')!.remaining).toEqual({ memory: '5Ti' });
    expect(report.budgets.get('tenant-root')!.remaining).toEqual({ cpu: '5000', memory: '14Ti' });
    expect(report.pools.get('tenant-t3-c7')!.members).toHaveLength(50);
    expect(elapsed).toBeLessThan(10_000);
  });

  test('a 20,000-deep chain does not exhaust the call stack', () => {
    let node: QuotaNode = { path: 'leaf', namespace: 'leaf', declared: { cpu: '1' }, children: [] };
    for (let i = 0; i < 20_000; i++) node = { path: `p${i}`, namespace: `n${i}`, declared: i % 100 === 0 ? { cpu: '1' } : undefined, children: [node] };
    const report = quotaReport(node);
    expect(report.problems).toEqual([]);
    expect(report.budgets.get('n5000')!.effective.cpu).toEqual({ amount: '1', pool: 'n5000', shared: false });
    expect(report.budgets.get('n5000')!.remaining).toEqual({ cpu: '0' });
    expect(report.budgets.get('n5001')!.effective.cpu).toEqual({ amount: '0', pool: 'n5100', shared: true });
  });
});
