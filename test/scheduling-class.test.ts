/**
 * Issue 13, fault 4: a SchedulingClass the tenant chart silently ignores. In Cozystack
 * v1.6.2's packages/apps/tenant/templates/namespace.yaml a tenant's class is its
 * parent's when the parent has one ("inherited from parent, can be set if parent has
 * none"); the chart writes it into the namespace label scheduler.cozystack.io/scheduling-class.
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

const classes = (root: RootTenant) => Object.fromEntries(root.synthBundle().topology.tenants.map((t: any) => [t.namespace, t.schedulingClass]));

test('b{dc2} under a{dc1}: the chart keeps dc1 for b; warned with both values, and topology.json says dc1', () => {
  const { root, problems } = platform(r => {
    const a = new Tenant(r, 'a', { schedulingClass: 'dc1' });
    new Tenant(a, 'b', { schedulingClass: 'dc2' });
  });
  expect(problems).toEqual([]);
  expect(root.synthBundle().warnings).toEqual([
    '[platform/a/b] Tenant tenant-a-b sets schedulingClass "dc2", but tenant-a above it already has "dc1": the tenant chart keeps an ancestor\'s class '
    + 'and ignores the one a sub-tenant sets (packages/apps/tenant/templates/namespace.yaml: "inherited from parent, can be set if parent has none"), '
    + 'so the workloads of tenant-a-b are scheduled with "dc1". Remove schedulingClass from this tenant, or unset it on tenant-a and set it on each of its sub-tenants instead.',
  ]);
  expect(classes(root)).toEqual({ 'tenant-root': null, 'tenant-a': 'dc1', 'tenant-a-b': 'dc1' });
});

test('the class comes from the top-most tenant that sets one, through tenants that set none', () => {
  const { root } = platform(r => {
    const a = new Tenant(r, 'a', { schedulingClass: 'dc1' });
    const mid = new Tenant(a, 'mid');
    new Tenant(mid, 'x', { schedulingClass: 'dc3' });
    new Tenant(new Tenant(r, 'free'), 'y', { schedulingClass: 'dc2' });
  });
  expect(classes(root)).toEqual({
    'tenant-root': null, 'tenant-a': 'dc1', 'tenant-a-mid': 'dc1', 'tenant-a-mid-x': 'dc1', 'tenant-free': null, 'tenant-free-y': 'dc2',
  });
  const warnings = root.synthBundle().warnings;
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatch(/^\[platform\/a\/mid\/x\] Tenant tenant-a-mid-x sets schedulingClass "dc3", but tenant-a above it already has "dc1"/);
});

test('setting the parent\'s class again changes nothing and is not warned about', () => {
  const { root } = platform(r => new Tenant(new Tenant(r, 'a', { schedulingClass: 'dc1' }), 'b', { schedulingClass: 'dc1' }));
  expect(root.synthBundle().warnings).toEqual([]);
});

test('topology.md shows the effective class per tenant', () => {
  const { root } = platform(r => new Tenant(new Tenant(r, 'a', { schedulingClass: 'dc1' }), 'b', { schedulingClass: 'dc2' }));
  const md = renderTopologyMarkdown(root.synthBundle().topology);
  const facts = (name: string) => md.split('\n### ').find(x => x.startsWith(name))!.split('\n')[2];
  expect(facts('b ·')).toContain('scheduling class `dc1`');
  expect(facts('root ·')).not.toContain('scheduling class');
});

test('a class that cannot be a namespace label value is refused where it takes effect', () => {
  const { problems } = platform(r => {
    const a = new Tenant(r, 'a', { schedulingClass: 'DC 1' });
    new Tenant(a, 'b', { schedulingClass: 'Ignored Anyway' });
  });
  expect(problems).toEqual([{
    path: 'platform/a',
    message: 'schedulingClass "DC 1" cannot name a SchedulingClass: it is not a lowercase DNS name (a-z, 0-9, "-" and ".", starting and ending with a letter or digit). '
      + 'The tenant chart writes it into the namespace label scheduler.cozystack.io/scheduling-class (an invalid label value makes Kubernetes refuse the namespace, '
      + 'and the Tenant never becomes Ready), and SchedulingClass objects have lowercase DNS names. Use the name of an existing SchedulingClass, e.g. "dc-1".',
  }]);
});
