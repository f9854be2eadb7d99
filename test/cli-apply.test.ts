/**
 * `cdk8s-cozystack apply` end to end on the real test cluster (test/support/real-cluster.ts):
 * real etcd and kube-apiserver, Cozystack's admission policies and tenant roles from
 * ../shared, apps.cozystack.io served by the STAND-IN (CRDs + webhook, as cozystack-api
 * answers; test/cluster/README.md), and the test reconciler playing Flux/Helm. The real
 * kubectl 1.33 does the writes. Writes are counted in the API server's audit log.
 *
 * The cluster is shared by the test files of a run, so every tenant here has a name of
 * this run, and the root tenant (which every bundle carries) is left out of counts:
 * another file may change its module flags between two applies of this one.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Captured, PlatformSpec, TempDirs, TenantSpec, writePlatform } from './support/bundles';
import { AuditEvent, RealCluster, TENANT_USER, WRITE_VERBS, startRealCluster } from './support/real-cluster';
import { run } from '../src/cli/main';

jest.setTimeout(180_000);

const dirs = new TempDirs();
let cluster: RealCluster;
/** This run's prefix: tenant names are lowercase letters and digits only. */
const P = `ap${Date.now().toString(36).slice(-5)}`;

beforeAll(async () => {
  process.env.KUBECACHEDIR = dirs.make('kubecache-');
  cluster = await startRealCluster();
}, 45 * 60_000);
afterAll(async () => {
  await cluster?.setReconcilerControls({});
  await cluster?.stop();
  dirs.cleanup();
});

async function cli(...args: string[]): Promise<Captured & { code: number }> {
  const c = new Captured();
  const code = await run(args, c.io);
  return Object.assign(c, { code });
}

function apply(bundleDir: string, ...args: string[]): Promise<Captured & { code: number }> {
  return cli('apply', '--bundle', bundleDir, '--kubectl', cluster.kubectl, '--kubeconfig', cluster.kubeconfig, '--timeout', '60s', ...args);
}

function getJson(args: string[]): any {
  const r = cluster.run([...args, '-o', 'json']);
  return r.status === 0 ? JSON.parse(r.stdout) : undefined;
}

const tenant = (ns: string, name: string) => getJson(['get', 'tenants.apps.cozystack.io', name, '-n', ns]);

/** A platform of this test: `t` names the test, so that tests never share tenants. */
interface Over {
  readonly fooEtcd?: boolean;
  readonly fooPostgres?: boolean;
  readonly withFoo?: boolean;
  readonly replicas?: number;
  readonly fooHost?: string;
}

function platform(t: string, over: Over = {}): PlatformSpec {
  const foo: TenantSpec = {
    name: `${P}${t}foo`,
    host: over.fooHost,
    etcd: over.fooEtcd,
    postgres: over.fooPostgres === false ? {} : { db1: { replicas: over.replicas ?? 1 } },
    tenants: [{ name: 'bar' }],
  };
  return { tenants: [...(over.withFoo === false ? [] : [foo]), { name: `${P}${t}u1`, tenants: [{ name: 'u2', postgres: { db2: {} } }] }] };
}

const bundle = (spec: PlatformSpec) => writePlatform(dirs.make('bundle-'), spec);

/** The writes of the audit log after `mark` to this test's objects (not the shared root tenant). */
function writesOf(t: string, mark: number): AuditEvent[] {
  return cluster.auditEvents(mark).filter(e => WRITE_VERBS.includes(e.verb)
    && (e.objectRef?.namespace?.startsWith(`tenant-${P}${t}`) || e.objectRef?.name?.startsWith(`${P}${t}`)));
}

const shown = (e: AuditEvent) => `${e.verb} ${e.objectRef?.resource}/${e.objectRef?.namespace}/${e.objectRef?.name}`;

test('applies wave by wave, waiting for each wave\'s Tenants to be Ready; an unchanged bundle then makes no write', async () => {
  const b = bundle(platform('w'));
  const mark = cluster.auditMark();
  const r = await apply(b);
  expect(r.stderr).not.toMatch(/error|refused|forbidden/i);
  expect(r.code).toBe(0);
  const foo = `${P}wfoo`;
  expect(r.stdout).toContain(`  tenant.apps.cozystack.io/${foo} created\n`);
  expect(r.stdout).toContain(`  tenant.apps.cozystack.io/${foo} condition met\n`);
  expect(r.stdout).toContain('Apply complete.');
  // Each wave's objects went into namespaces their Tenants had created: nothing was refused.
  const writes = writesOf('w', mark);
  expect(writes.filter(e => (e.responseStatus?.code ?? 0) >= 300)).toEqual([]);
  const order = writes.filter(e => e.verb === 'create').map(e => `${e.objectRef?.namespace}/${e.objectRef?.name}`);
  expect(order.indexOf(`tenant-${foo}/bar`)).toBeGreaterThan(order.indexOf(`tenant-root/${foo}`));
  expect(order.indexOf(`tenant-${P}wu1-u2/db2`)).toBeGreaterThan(order.indexOf(`tenant-${P}wu1/u2`));
  expect(getJson(['get', 'namespace', `tenant-${P}wu1-u2`])).toBeDefined();
  expect(tenant(`tenant-${foo}`, 'bar').status.conditions.find((c: any) => c.type === 'Ready').status).toBe('True');

  // The same bundle again: everything is read and found unchanged, nothing is written.
  const mark2 = cluster.auditMark();
  const again = await apply(b);
  expect(again.code).toBe(0);
  expect(again.stdout).toContain(`  tenant.apps.cozystack.io/${foo} unchanged\n`);
  expect(again.stdout).toContain('  postgres.apps.cozystack.io/db2 unchanged\n');
  expect(writesOf('w', mark2).map(shown)).toEqual([]);

  // One tenant's change writes that tenant's objects only.
  const mark3 = cluster.auditMark();
  const changed = await apply(bundle({ ...platform('w', { replicas: 2 }) }));
  expect(changed.code).toBe(0);
  expect(changed.stdout).toContain('  postgres.apps.cozystack.io/db1 configured\n');
  expect(writesOf('w', mark3).map(shown)).toEqual([`patch postgreses/tenant-${foo}/db1`]);
});

test('after a spec change, a Tenant that was Ready counts only once Ready for its new generation', async () => {
  const foo = `${P}gfoo`;
  expect((await apply(bundle(platform('g')))).code).toBe(0);
  // From now on foo's controllers never act on a change: Ready=True stays, for generation 1.
  await cluster.setReconcilerControls({ ignoreUpdates: [`Tenant/tenant-root/${foo}`] });
  try {
    await new Promise(res => setTimeout(res, 1500)); // the reconciler reads its controls within a moment
    const r = await apply(bundle(platform('g', { fooEtcd: true, replicas: 3 })), '--timeout', '3s');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Wave 0: timed out after 3s waiting for Tenants to be Ready:\n  Tenant tenant-root/${foo} (namespace tenant-${foo}): `
      + 'not Ready for its current spec (generation 2; the conditions describe generation 1, so its controllers have not acted on the last change yet); conditions:\n'
      + '    Ready=True (InstallSucceeded)');
    expect(r.stderr).toContain('Waves after 0 were not applied.');
    // Nothing of the next wave was written: the database keeps its spec.
    expect(getJson(['get', 'postgreses.apps.cozystack.io', 'db1', '-n', `tenant-${foo}`]).spec.replicas).toBe(1);
  } finally {
    await cluster.setReconcilerControls({});
  }
});

test('a Tenant that does not get Ready stops the apply with its conditions', async () => {
  const foo = `${P}nfoo`;
  await cluster.setReconcilerControls({ failing: [`Tenant/tenant-root/${foo}`] });
  try {
    await new Promise(res => setTimeout(res, 1500));
    const r = await apply(bundle(platform('n')), '--timeout', '3s');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`  Tenant tenant-root/${foo} (namespace tenant-${foo}): not Ready; conditions:\n    Ready=False (InstallFailed): test reconciler: install failed (failing)\n`);
    expect(r.stderr).toContain('Waves after 0 were not applied.');
    expect(getJson(['get', 'namespace', `tenant-${foo}`])).toBeUndefined();
  } finally {
    await cluster.setReconcilerControls({});
  }
});

test('server-side apply creates, then updates the apps (whose fields cozystack-api owns as "before-first-apply")', async () => {
  const foo = `${P}sfoo`;
  const r = await apply(bundle(platform('s')), '--server-side');
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(`tenant.apps.cozystack.io/${foo} serverside-applied`);
  const r2 = await apply(bundle(platform('s', { replicas: 4 })), '--server-side');
  expect(r2.stderr).not.toContain('conflict');
  expect(r2.code).toBe(0);
  expect(getJson(['get', 'postgreses.apps.cozystack.io', 'db1', '-n', `tenant-${foo}`]).spec.replicas).toBe(4);
});

test('prune: the destroy guard, the ownership label, the root never deleted, a Tenant\'s subtree deepest first', async () => {
  const foo = `${P}pfoo`;
  const prev = bundle(platform('p', { fooEtcd: true }));
  expect((await apply(prev)).code).toBe(0);

  // Without --allow-destroy nothing at all is applied.
  const cur = bundle(platform('p', { fooEtcd: true, fooPostgres: false, replicas: 5 }));
  const mark = cluster.auditMark();
  const refused = await apply(cur, '--from', prev);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain(`NOT ALLOWED Postgres/tenant-${foo}/db1`);
  expect(writesOf('p', mark)).toEqual([]);

  // Someone took the database over: the label is gone on the cluster, so prune keeps it.
  cluster.run(['label', 'postgreses.apps.cozystack.io', 'db1', '-n', `tenant-${foo}`, 'app.kubernetes.io/managed-by-']);
  const kept = await apply(cur, '--from', prev, '--allow-destroy', `Postgres/tenant-${foo}/db1`);
  expect(kept.code).toBe(0);
  expect(kept.stdout).toContain(`Postgres/tenant-${foo}/db1: kept (on the cluster it does not carry app.kubernetes.io/managed-by=cdk8s-cozystack`);
  expect(getJson(['get', 'postgreses.apps.cozystack.io', 'db1', '-n', `tenant-${foo}`])).toBeDefined();

  // The next bundle drops foo (and its subtree) and every root module, so the root object too.
  const gone = bundle({ rootModules: [], tenants: platform('p', { withFoo: false }).tenants });
  const refusedFoo = await apply(gone, '--from', cur);
  expect(refusedFoo.code).toBe(2);
  const mark2 = cluster.auditMark();
  const r = await apply(gone, '--from', cur, '--allow-destroy', `Tenant/tenant-root/${foo}`);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  // The root left the bundle (no root module any more): it is never pruned.
  const deletes = cluster.auditEvents(mark2).filter(e => e.verb === 'delete').map(e => `${e.objectRef?.namespace}/${e.objectRef?.name}`);
  expect(deletes[deletes.length - 1]).toBe(`tenant-root/${foo}`);
  expect(deletes.indexOf(`tenant-${foo}/bar`)).toBeGreaterThanOrEqual(0);
  expect(deletes.every(d => d.startsWith(`tenant-${foo}`) || d === `tenant-root/${foo}`)).toBe(true);
  expect(deletes).not.toContain('tenant-root/root');
  expect(tenant('tenant-root', 'root')).toBeDefined();
  await until('foo gone', () => tenant('tenant-root', foo) === undefined);
});

test('the host admission policy refuses a tenant host set by a non-admin identity; apply names the tenant and what to do', async () => {
  const foo = `${P}hfoo`;
  const b = bundle(platform('h', { fooHost: `${foo}.example.net` }));
  const r = await cli('apply', '--bundle', b, '--kubectl', cluster.kubectl, '--kubeconfig', cluster.tenantKubeconfig, '--timeout', '30s');
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('cozystack-tenant-host-policy');
  expect(r.stderr).toContain(`Tenant tenant-root/${foo} sets host "${foo}.example.net": Cozystack's admission policy cozystack-tenant-host-policy lets only `
    + `cluster admins (system:masters) and Cozystack's own service accounts set or change a tenant's host, and this kubeconfig's identity is ${TENANT_USER}. `
    + `Either remove the host from this tenant in the program (a tenant without one inherits ${foo}.<its parent's host>), `
    + 'or have a platform admin apply this change with a cluster-admin kubeconfig (--kubeconfig).');
  expect(r.stderr).toContain('Wave 0 failed');
  expect(tenant('tenant-root', foo)).toBeUndefined();
  // The same bundle without the host: the tenant-root super-admin may apply it.
  const ok = await cli('apply', '--bundle', bundle(platform('h')), '--kubectl', cluster.kubectl, '--kubeconfig', cluster.tenantKubeconfig, '--timeout', '60s');
  expect(ok.stderr).not.toMatch(/error|forbidden/i);
  expect(ok.code).toBe(0);
});

describe('preflight: one message before wave 0', () => {
  const b = () => bundle(platform('f'));

  test('no kubeconfig', async () => {
    const r = await apply(b(), '--kubeconfig', '/nonexistent/kubeconfig');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Cannot reach the management cluster: the kubeconfig passed with --kubeconfig, /nonexistent/kubeconfig, does not exist. '
      + 'Pass --kubeconfig <file> (and --context <name>) for the management cluster, or set KUBECONFIG. Nothing was applied.\n');
    expect(r.stdout).not.toContain('Wave 0');
  });

  test('an unreachable server', async () => {
    const file = path.join(dirs.make('kc-'), 'kubeconfig');
    fs.writeFileSync(file, fs.readFileSync(cluster.kubeconfig, 'utf8').replace(/server: .*/, 'server: https://127.0.0.1:1'));
    const r = await apply(b(), '--kubeconfig', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Cannot reach the management cluster\'s API server at https://127.0.0.1:1: The connection to the server 127.0.0.1:1 was refused. '
      + 'Check that the kubeconfig points at the running cluster and that this machine can reach it. Nothing was applied.\n');
    expect(r.stderr).not.toContain('validate');
    expect(r.stdout).not.toContain('Wave 0');
  });

  test('a server without apps.cozystack.io (the real tenant kube-apiserver)', async () => {
    const r = await apply(b(), '--kubeconfig', cluster.tenantClusterKubeconfig);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`The server at ${cluster.state.tenantClusterServer} does not serve apps.cozystack.io/v1alpha1, Cozystack's API`);
    expect(r.stdout).not.toContain('Wave 0');
  });
});

async function until(what: string, fn: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 200));
  }
}
