/**
 * `apply --dry-run` and `plan --live` change nothing, whatever the server: on the real
 * test cluster, whose apps.cozystack.io (the stand-in, as cozystack-api v1.6.2 does)
 * executes every dry-run write for real, they only read. Proven by every object's
 * resourceVersion and by the API server's audit log.
 */
import { Captured, PlatformSpec, TempDirs, writePlatform } from './support/bundles';
import { AuditEvent, RealCluster, WRITE_VERBS, isDryRun, startRealCluster } from './support/real-cluster';
import { run } from '../src/cli/main';

jest.setTimeout(180_000);

const dirs = new TempDirs();
let cluster: RealCluster;
const P = `dr${Date.now().toString(36).slice(-5)}`;

beforeAll(async () => {
  process.env.KUBECACHEDIR = dirs.make('kubecache-');
  cluster = await startRealCluster();
}, 45 * 60_000);
afterAll(async () => {
  await cluster?.stop();
  dirs.cleanup();
});

async function cli(...args: string[]): Promise<Captured & { code: number }> {
  const c = new Captured();
  const code = await run(args, c.io);
  return Object.assign(c, { code });
}

const target = () => ['--kubectl', cluster.kubectl, '--kubeconfig', cluster.kubeconfig];

function platform(over: { replicas?: number; withNew?: boolean; fooEtcd?: boolean } = {}): PlatformSpec {
  return {
    tenants: [
      { name: `${P}foo`, etcd: over.fooEtcd, postgres: { db1: { replicas: over.replicas ?? 1 } }, tenants: [{ name: 'bar', postgres: { db3: {} } }] },
      ...(over.withNew ? [{ name: `${P}new`, postgres: { db2: {} } }] : []),
    ],
  };
}

/**
 * The requests about this test's objects, and every dry-run request outside the `default`
 * namespace: other test files write their own objects (and the shared root tenant's module
 * flags) at the same time, and test/quota-keys-cluster.test.ts asks the server for dry runs of
 * ResourceQuotas in `default`, a namespace no command of this library ever addresses.
 */
function mine(e: AuditEvent): boolean {
  return (e.objectRef?.namespace ?? '').startsWith(`tenant-${P}`) || (e.objectRef?.name ?? '').startsWith(P)
    || (isDryRun(e) && e.objectRef?.namespace !== 'default');
}

/** resourceVersion of every object of this test's tenants, and the namespaces. */
function versions(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kind of ['tenants', 'postgreses', 'etcds']) {
    const list = JSON.parse(cluster.run(['get', `${kind}.apps.cozystack.io`, '-A', '-o', 'json']).stdout);
    for (const i of list.items) {
      if (i.metadata.namespace.startsWith(`tenant-${P}`) || i.metadata.name.startsWith(P)) {
        out[`${kind}/${i.metadata.namespace}/${i.metadata.name}`] = i.metadata.resourceVersion;
      }
    }
  }
  const ns = JSON.parse(cluster.run(['get', 'namespaces', '-o', 'json']).stdout);
  for (const i of ns.items) if (i.metadata.name.startsWith(`tenant-${P}`)) out[`namespace/${i.metadata.name}`] = i.metadata.resourceVersion;
  return out;
}

test('after apply --dry-run of a changed bundle every object\'s resourceVersion is unchanged, and no write reached the server', async () => {
  const applied = writePlatform(dirs.make('b-'), platform());
  const first = await cli('apply', '--bundle', applied, ...target(), '--timeout', '60s');
  expect(first.code).toBe(0);
  // Let the reconciler finish its own writes (finalizers, status) before taking the versions.
  await new Promise(r => setTimeout(r, 2000));
  const before = versions();
  expect(Object.keys(before).length).toBeGreaterThanOrEqual(6);

  // A change to an existing tenant, a change in a nested wave, a new tenant with an app, and a prune.
  const changed = writePlatform(dirs.make('b-'), platform({ replicas: 3, fooEtcd: true, withNew: true }));
  const mark = cluster.auditMark();
  const r = await cli('apply', '--bundle', changed, '--from', applied, ...target(), '--dry-run');
  expect(r.stderr).not.toMatch(/error/i);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(`  tenant.apps.cozystack.io/${P}foo would be updated:\n    spec.etcd: false -> true\n`);
  expect(r.stdout).toContain('  postgres.apps.cozystack.io/db1 would be updated:\n    spec.replicas: 1 -> 3\n');
  expect(r.stdout).toContain(`  tenant.apps.cozystack.io/${P}new would be created\n`);
  expect(r.stdout).toContain('  postgres.apps.cozystack.io/db3 unchanged\n');
  expect(r.stdout).toContain('Dry run complete: nothing was written.');

  expect(versions()).toEqual(before);
  const events = cluster.auditEvents(mark).filter(mine);
  expect(events.filter(e => WRITE_VERBS.includes(e.verb)).map(e => e.requestURI)).toEqual([]);
  expect(events.filter(isDryRun)).toEqual([]);
  expect(events.some(e => e.verb === 'list' && e.objectRef?.resource === 'tenants')).toBe(true);

  // plan --live reads the same way and says the same.
  const mark2 = cluster.auditMark();
  const plan = await cli('plan', '--live', '--bundle', changed, '--from', applied, ...target());
  expect(plan.code).toBe(0);
  expect(plan.stdout).toContain('Against the live cluster (read only, nothing written):');
  expect(plan.stdout).toContain('  postgres.apps.cozystack.io/db1 would be updated:\n    spec.replicas: 1 -> 3\n');
  expect(plan.stdout).toContain(`  tenant.apps.cozystack.io/${P}new would be created\n`);
  expect(plan.stdout).toMatch(/Live: \d+ to create, \d+ to update, \d+ unchanged\./);
  const json = JSON.parse((await cli('plan', '--live', '--bundle', changed, ...target(), '--format', 'json')).stdout);
  // The root tenant is left out: other test files set its module flags too.
  const changes = json.live.waves.flatMap((w: any) => w.objects).filter((e: any) => e.action !== 'unchanged' && e.key !== 'Tenant/tenant-root/root')
    .map((e: any) => `${e.action} ${e.key}`).sort();
  expect(changes).toEqual([`create Postgres/tenant-${P}new/db2`, `create Tenant/tenant-root/${P}new`,
    `update Postgres/tenant-${P}foo/db1`, `update Tenant/tenant-root/${P}foo`]);
  // As Markdown for a pull-request comment: the plan and the live part both, not the text form.
  const markdown = await cli('plan', '--live', '--bundle', changed, '--from', applied, ...target(), '--format', 'markdown');
  expect(markdown.code).toBe(0);
  expect(markdown.stdout).toContain('### cdk8s-cozystack plan:');
  expect(markdown.stdout).toContain('### Against the live cluster (read only, nothing written)');
  expect(markdown.stdout).toContain('| ~ update | postgres.apps.cozystack.io/db1 | `spec.replicas: 1 -> 3` |');
  expect(markdown.stdout).toContain(`| + create | tenant.apps.cozystack.io/${P}new |  |`);
  expect(markdown.stdout).not.toContain('would be updated:');
  expect(versions()).toEqual(before);
  expect(cluster.auditEvents(mark2).filter(mine).filter(e => WRITE_VERBS.includes(e.verb) || isDryRun(e)).map(e => e.requestURI)).toEqual([]);
});
