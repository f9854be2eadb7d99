import * as fc from 'fast-check';
import { quotaBudgets, QuotaNode, quotaProblems, quotaReport } from '../src/domain/quotas';
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

describe('overdrawn budgets', () => {
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
    expect(problems[0].path).toBe('platform/foo');
    const m = problems[0].message;
    expect(m).toContain('"memory" quota of 64Gi');
    expect(m).toContain('tenant-foo-a 32Gi, tenant-foo-b 34359738368, tenant-foo-c 32768Mi');
    expect(m).toContain('ask for 96Gi in total');
    expect(m).toContain('32Gi more than it has');
    expect(m).toContain('Lower a child\'s quota or raise "memory" on tenant-foo to at least 96Gi.');
    expect(m).toBe(QUOTA_MESSAGES.quotaOverdrawn('tenant-foo', 'memory', '64Gi', [
      { namespace: 'tenant-foo-a', amount: '32Gi' },
      { namespace: 'tenant-foo-b', amount: '34359738368' },
      { namespace: 'tenant-foo-c', amount: '32768Mi' },
    ], '96Gi', '32Gi'));
  });

  test('a budget used exactly to the last byte (in other units) is fine and leaves 0', () => {
    const root = tree({
      kids: { foo: { q: { memory: '64Gi', cpu: '1' }, kids: { a: { q: { memory: '34359738368', cpu: '500m' } }, b: { q: { memory: '32768Mi', cpu: '.5' } } } } },
    });
    expect(quotaProblems(root)).toEqual([]);
    expect(quotaBudgets(root).get('tenant-foo')!.remaining).toEqual({ memory: '0Gi', cpu: '0' });
  });

  test('one byte over is an overdraft', () => {
    const root = tree({ kids: { foo: { q: { memory: '64Gi' }, kids: { a: { q: { memory: '34359738369' } }, b: { q: { memory: '32Gi' } } } } } });
    const problems = quotaProblems(root);
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toContain('ask for 68719476737 in total');
    expect(problems[0].message).toContain(', 1 more than it has');
  });

  test('several overdrafts are reported at once, one per (tenant, key), each on its tenant', () => {
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
    const keyOf = (m: string) => /has a "([^"]+)" quota/.exec(m)![1];
    expect(problems.map(p => [p.path, keyOf(p.message)])).toEqual([
      ['platform', 'cpu'],
      ['platform/foo', 'cpu'],
      ['platform/foo', 'memory'],
      ['platform/bar', 'storage'],
    ]);
    expect(problems[0].message).toContain('ask for 110 in total (tenant-foo 60, tenant-bar 50), 10 more');
    expect(problems[2].message).toContain('ask for 12Gi in total (tenant-foo-a 6Gi, tenant-foo-b 6Gi), 4Gi more');
  });
});

describe('which ancestor a quota is carved from', () => {
  test('a key only the child declares is its own: no problem, and the parent has no budget for it', () => {
    const root = tree({ kids: { foo: { q: { cpu: '4' }, kids: { a: { q: { memory: '1Ti' } } } } } });
    expect(quotaProblems(root)).toEqual([]);
    const budgets = quotaBudgets(root);
    expect(budgets.get('tenant-foo')!.effective).toEqual({ cpu: { amount: '4', pool: 'tenant-foo', shared: false } });
    expect(budgets.get('tenant-foo-a')!.effective).toEqual({
      cpu: { amount: '4', pool: 'tenant-foo', shared: true },
      memory: { amount: '1Ti', pool: 'tenant-foo-a', shared: false },
    });
  });

  test('a middle tenant without the key is skipped: grandchildren carve from the nearest ancestor declaring it', () => {
    const root = tree({
      kids: { a: { q: { cpu: '10' }, kids: { b: { q: { memory: '1Gi' }, kids: { c: { q: { cpu: '6' } }, d: { q: { cpu: '6' } } } } } } },
    });
    const problems = quotaProblems(root);
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toBe('platform/a');
    expect(problems[0].message).toContain('tenant-a-b-c 6, tenant-a-b-d 6');
  });

  test('only the nearest declaring descendants count: a grandchild is carved from its parent, not again from the root', () => {
    const root = tree({ q: { cpu: '10' }, kids: { a: { q: { cpu: '8' }, kids: { b: { q: { cpu: '8' } } } } } });
    expect(quotaProblems(root)).toEqual([]);
    const budgets = quotaBudgets(root);
    expect(budgets.get('tenant-root')!.remaining).toEqual({ cpu: '2' });
    expect(budgets.get('tenant-a')!.remaining).toEqual({ cpu: '0' });
  });

  test('keys are compared verbatim: cpu and requests.cpu are separate budgets', () => {
    const root = tree({ kids: { a: { q: { cpu: '2' }, kids: { b: { q: { 'requests.cpu': '8' } } } } } });
    expect(quotaProblems(root)).toEqual([]);
  });
});

describe('invalid quantities', () => {
  test('are reported on the tenant that declares them, and arithmetic for that key stops there', () => {
    const root = tree({
      q: { memory: '10Gi' },
      kids: {
        a: {
          q: { memory: '64 Gi', cpu: '4' },
          // The grandchild asks more than 10Gi, but it is carved from a's broken budget, not the root's.
          kids: { b: { q: { memory: '100Gi', cpu: '5' } }, c: {} },
        },
      },
    });
    const problems = quotaProblems(root);
    expect(problems.map(p => p.path)).toEqual(['platform/a', 'platform/a']);
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

  test('remaining: declared minus what the nearest declaring descendants carved out', () => {
    expect(budgets.get('tenant-root')!.remaining).toEqual({ cpu: '60', memory: '160Gi' });
    expect(budgets.get('tenant-foo')!.remaining).toEqual({ cpu: '30', storage: '0.25Ti' });
    expect(budgets.get('tenant-foo-bar')!.remaining).toEqual({ memory: '32Gi', storage: '512Gi' });
    expect(budgets.get('tenant-foo-bar-baz')!.remaining).toEqual({ cpu: '10' });
    expect(budgets.get('tenant-foo-bar-qux')!.remaining).toEqual({});
  });

  test('effective: own amounts, and the nearest declaring ancestor\'s remainder for shared keys', () => {
    expect(budgets.get('tenant-foo-bar-baz')).toEqual({
      declared: { cpu: '10' },
      effective: {
        cpu: { amount: '10', pool: 'tenant-foo-bar-baz', shared: false },
        memory: { amount: '32Gi', pool: 'tenant-foo-bar', shared: true },
        storage: { amount: '512Gi', pool: 'tenant-foo-bar', shared: true },
      },
      remaining: { cpu: '10' },
    });
    expect(budgets.get('tenant-foo-bar-qux')!.effective).toEqual({
      cpu: { amount: '30', pool: 'tenant-foo', shared: true },
      memory: { amount: '32Gi', pool: 'tenant-foo-bar', shared: true },
      storage: { amount: '512Gi', pool: 'tenant-foo-bar', shared: true },
    });
    expect(budgets.get('tenant-foo-lab')!.effective).toEqual({
      cpu: { amount: '30', pool: 'tenant-foo', shared: true },
      memory: { amount: '160Gi', pool: 'tenant-root', shared: true },
      storage: { amount: '256Gi', pool: 'tenant-foo-lab', shared: false },
    });
    expect(budgets.get('tenant-ops')).toEqual({
      declared: { memory: '64Gi' },
      effective: {
        cpu: { amount: '60', pool: 'tenant-root', shared: true },
        memory: { amount: '64Gi', pool: 'tenant-ops', shared: false },
      },
      remaining: { memory: '64Gi' },
    });
  });

  test('an overdrawn pool shows 0 remaining (the overdraft is a problem, not a negative budget)', () => {
    const over = tree({ kids: { a: { q: { cpu: '1' }, kids: { b: { q: { cpu: '2' } }, c: {} } } } });
    const report = quotaReport(over);
    expect(report.problems).toHaveLength(1);
    expect(report.budgets.get('tenant-a')!.remaining).toEqual({ cpu: '0' });
    expect(report.budgets.get('tenant-a-c')!.effective.cpu).toEqual({ amount: '0', pool: 'tenant-a', shared: true });
  });
});

describe('agrees with a naive model on random trees', () => {
  interface Raw { parent: number; quotas: { [key: string]: [number, string] } }
  const KEYS = ['cpu', 'memory', 'storage'];
  const UNITS: { [unit: string]: number } = { '': 1, 'Ki': 1024, 'k': 1000 };
  const rawTree = fc.array(fc.record({
    parent: fc.nat(),
    // Each amount in its own unit, so the arithmetic must convert between them.
    quotas: fc.dictionary(fc.constantFrom(...KEYS), fc.tuple(fc.nat({ max: 40 }), fc.constantFrom(...Object.keys(UNITS)))),
  }), { minLength: 1, maxLength: 30 });

  test('the same overdrawn (tenant, key) pairs as a walk up from every tenant', () => {
    fc.assert(fc.property(rawTree, (raws: Raw[]) => {
      const parents = raws.map((r, i) => (i === 0 ? -1 : r.parent % i));
      const nodes: QuotaNode[] = raws.map((r, i) => ({
        path: `t${i}`,
        namespace: `ns${i}`,
        declared: Object.fromEntries(Object.entries(r.quotas).map(([k, [v, u]]) => [k, `${v}${u}`])),
        children: [],
      }));
      nodes.forEach((n, i) => { if (i > 0) nodes[parents[i]].children.push(n); });

      const value = (i: number, key: string) => raws[i].quotas[key][0] * UNITS[raws[i].quotas[key][1]];
      const asked = new Map<string, number>();
      raws.forEach((r, i) => {
        for (const key of Object.keys(r.quotas)) {
          let a = parents[i];
          while (a !== -1 && raws[a].quotas[key] === undefined) a = parents[a];
          if (a !== -1) asked.set(`t${a} ${key}`, (asked.get(`t${a} ${key}`) ?? 0) + value(i, key));
        }
      });
      const expected = raws.flatMap((r, i) => Object.keys(r.quotas)
        .filter(key => (asked.get(`t${i} ${key}`) ?? 0) > value(i, key)).map(key => `t${i} ${key}`)).sort();
      const actual = quotaProblems(nodes[0]).map(p => `${p.path} ${/has a "([^"]+)"/.exec(p.message)![1]}`).sort();
      expect(actual).toEqual(expected);
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
    // Each t<i> gives 5Ti to 50 * 100 grandchildren asking 1Gi: 5000Gi of 5120Gi; cpu: 100 * 5 per top tenant, 5000 in all.
    expect(report.problems).toEqual([]);
    expect(report.budgets.get('tenant-t3-c7-g1')!.effective.cpu).toEqual({ amount: '0', pool: 'tenant-t3-c7', shared: true });
    expect(report.budgets.get('tenant-t3')!.remaining).toEqual({ memory: '120Gi' });
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
