/**
 * `plan --live --format markdown`: the live comparison as Markdown (the real-cluster run is in
 * test/cli-dry-run.test.ts; this checks the rendering of every case on a plan built by hand).
 */
import { LivePlan } from '../src/cli/live';
import { renderLivePlanMarkdown } from '../src/cli/render';

const plan: LivePlan = {
  waves: [
    {
      wave: 1,
      file: 'wave-01.k8s.yaml',
      objects: [
        { key: 'Postgres/tenant-a/db', shown: 'postgres.apps.cozystack.io/db', action: 'update', fields: [{ path: 'spec.replicas', before: 1, after: 3 }, { path: 'spec.note', before: undefined, after: 'a|b' }] },
        { key: 'Tenant/tenant-root/b', shown: 'tenant.apps.cozystack.io/b', action: 'create', fields: [] },
        { key: 'Tenant/tenant-root/a', shown: 'tenant.apps.cozystack.io/a', action: 'unchanged', fields: [] },
      ],
    },
    { wave: 2, file: 'wave-02.k8s.yaml', objects: [{ key: 'Redis/tenant-a/r', shown: 'redis.apps.cozystack.io/r', action: 'unchanged', fields: [] }] },
  ],
  clusters: [
    { id: 'tenant-a/k', objects: [], notChecked: 'the cluster is not Ready; its 2 objects would be created once it is' },
    { id: 'tenant-a/k2', objects: [{ key: 'ConfigMap/default/c@tenant-a/k2', shown: 'configmap/c', action: 'create', fields: [] }] },
  ],
  summary: { create: 2, update: 1, unchanged: 2 },
};

test('each wave and tenant cluster as a table of what would change, fields in code, pipes escaped', () => {
  const md = renderLivePlanMarkdown(plan);
  expect(md).toContain('| create | update | unchanged |\n|---:|---:|---:|\n| 2 | 1 | 2 |');
  expect(md).toContain('#### Wave 1 (`wave-01.k8s.yaml`)');
  expect(md).toContain('| ~ update | postgres.apps.cozystack.io/db | `spec.replicas: 1 -> 3`<br>`spec.note: + "a\\|b"` |');
  expect(md).toContain('| + create | tenant.apps.cozystack.io/b |  |');
  expect(md).not.toContain('tenant.apps.cozystack.io/a');
  expect(md).toContain('1 unchanged.');
  expect(md).toContain('#### Wave 2 (`wave-02.k8s.yaml`)\n\nNo changes (1 unchanged).');
  expect(md).toContain('#### Tenant cluster `tenant-a/k`\n\nNot read: the cluster is not Ready; its 2 objects would be created once it is.');
  expect(md).toContain('| + create | configmap/c |  |');
});
