/**
 * The real test cluster works: real etcd + kube-apiserver (built from
 * test/cluster/), apps.cozystack.io served by the stand-in CRDs, the test
 * reconciler playing Flux. If anything cannot be built or started, these tests
 * FAIL with the reason; they never skip.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readStandinKinds } from './support/cozystack-standin';
import { RealCluster, TENANT_USER, WRITE_VERBS, isDryRun, sharedDir, startRealCluster } from './support/real-cluster';

jest.setTimeout(120_000);

let cluster: RealCluster;

beforeAll(async () => {
  // The first build of etcd + kube-apiserver on a machine takes minutes.
  cluster = await startRealCluster();
}, 45 * 60_000);

afterAll(async () => {
  await cluster?.stop();
});

/** Runs kubectl and fails the test with its output if it fails. */
function kubectl(args: string[], opts: { kubeconfig?: string; input?: string } = {}): string {
  const r = cluster.run(args, opts);
  if (r.status !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.status}:\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

function getJson(args: string[]): any {
  return JSON.parse(kubectl([...args, '-o', 'json']));
}

async function until<T>(what: string, fn: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The Ready condition if it is True for the object's current generation. On the
 * real cozystack-api (COZYSTACK_API_BIN) neither exists: Ready=True is all there is.
 */
function readyFor(obj: any): any {
  const c = (obj.status?.conditions ?? []).find((x: any) => x.type === 'Ready');
  return c && c.status === 'True' && c.observedGeneration === obj.metadata.generation ? c : undefined;
}

/** True when the real cozystack-api serves apps.cozystack.io (opt-in), false on the stand-in (CI). */
function realCozystackApi(): boolean {
  return cluster.state.appsApi === 'cozystack-api';
}

const unique = `t${Date.now().toString(36)}`;

/**
 * Waits until the reconciler is done with an app object: Ready for its generation,
 * managedFields cleared (stand-in); on the real cozystack-api, whose app objects
 * have no generation, until its HelmRelease's status is for the HelmRelease's generation.
 */
async function settled(plural: string, ns: string, name: string): Promise<any> {
  return until(`${plural} ${ns}/${name} settled`, () => {
    const o = getJson(['get', `${plural}.apps.cozystack.io`, name, '-n', ns]);
    if (!readyFor(o)) return undefined;
    if (realCozystackApi()) {
      const prefix = readStandinKinds(path.join(sharedDir(), 'cozystack', 'catalogue-v1.6.2')).find((k) => k.plural === plural)!.releasePrefix;
      const hr = getJson(['get', 'helmreleases.helm.toolkit.fluxcd.io', `${prefix}${name}`, '-n', ns]);
      if (hr.status?.observedGeneration !== hr.metadata.generation) return undefined;
      return getJson(['get', `${plural}.apps.cozystack.io`, name, '-n', ns]);
    }
    return (o.metadata.managedFields ?? []).length === 0 ? o : undefined;
  });
}

function tenantYaml(name: string, ns: string, spec: Record<string, unknown> = {}, labels: Record<string, string> = {}): string {
  return JSON.stringify({ apiVersion: 'apps.cozystack.io/v1alpha1', kind: 'Tenant', metadata: { name, namespace: ns, labels }, spec });
}

test('the API is a real kube-apiserver with apps.cozystack.io, Flux and Cozystack policies installed', () => {
  const version = JSON.parse(kubectl(['version', '-o', 'json']));
  expect(version.serverVersion.gitVersion).toMatch(/^v1\.34\./);
  const resources = kubectl(['api-resources', '--api-group=apps.cozystack.io', '-o', 'name']).split('\n');
  for (const r of ['tenants.apps.cozystack.io', 'kuberneteses.apps.cozystack.io', 'postgreses.apps.cozystack.io', 'etcds.apps.cozystack.io']) {
    expect(resources).toContain(r);
  }
  expect(kubectl(['get', 'crd', 'helmreleases.helm.toolkit.fluxcd.io', '-o', 'name'])).toContain('helmreleases');
  expect(kubectl(['get', 'applicationdefinitions.cozystack.io', 'tenant', '-o', 'name'])).toContain('tenant');
  expect(kubectl(['get', 'validatingadmissionpolicy', 'cozystack-tenant-host-policy', '-o', 'name'])).toContain('cozystack-tenant-host-policy');
  expect(kubectl(['get', 'clusterrole', 'cozy:tenant:super-admin', '-o', 'name'])).toContain('super-admin');
});

test('a Tenant applied in tenant-root becomes Ready for its generation, gets its namespace and is listed', async () => {
  const name = `${unique}a`;
  kubectl(['apply', '-f', '-'], { input: tenantYaml(name, 'tenant-root', { etcd: true }) });

  const t = await until('Tenant Ready', () => {
    const o = getJson(['get', 'tenants.apps.cozystack.io', name, '-n', 'tenant-root']);
    return readyFor(o) ? o : undefined;
  });
  expect(t.status.namespace).toBe(`tenant-${name}`);
  if (realCozystackApi()) {
    // cozystack-api copies the HelmRelease's conditions without observedGeneration, and has no generation.
    expect(t.metadata.generation).toBeUndefined();
    expect(readyFor(t)).toMatchObject({ reason: 'InstallSucceeded' });
    expect(readyFor(t).observedGeneration).toBeUndefined();
  } else {
    expect(readyFor(t)).toMatchObject({ reason: 'InstallSucceeded', observedGeneration: 1 });
  }

  const ns = getJson(['get', 'namespace', `tenant-${name}`]);
  expect(ns.metadata.labels).toMatchObject({
    'namespace.cozystack.io/host': `${name}.example.org`,
    'namespace.cozystack.io/etcd': `tenant-${name}`,
    'namespace.cozystack.io/ingress': 'tenant-root',
    'tenant.cozystack.io/tenant-root': '',
  });

  const listed = kubectl(['get', 'tenants.apps.cozystack.io', '-A']);
  expect(listed).toMatch(new RegExp(`tenant-root\\s+${name}\\s+True`));
  expect(listed).toMatch(/tenant-root\s+root\s+True/);

  // A change of spec is a new generation: Ready follows it with UpgradeSucceeded.
  kubectl(['patch', 'tenants.apps.cozystack.io', name, '-n', 'tenant-root', '--type=merge', '-p', '{"spec":{"monitoring":true}}']);
  const t2 = await until('Tenant Ready for generation 2', () => {
    const o = getJson(['get', 'tenants.apps.cozystack.io', name, '-n', 'tenant-root']);
    return (realCozystackApi() || o.metadata.generation === 2) && readyFor(o)?.reason === 'UpgradeSucceeded' ? o : undefined;
  });
  expect(readyFor(t2).reason).toBe('UpgradeSucceeded');

  // A nested tenant lives in its parent's namespace and gets <parent-ns>-<name>.
  kubectl(['apply', '-f', '-'], { input: tenantYaml('sub', `tenant-${name}`) });
  const sub = await until('nested Tenant Ready', () => {
    const o = getJson(['get', 'tenants.apps.cozystack.io', 'sub', '-n', `tenant-${name}`]);
    return readyFor(o) ? o : undefined;
  });
  expect(sub.status.namespace).toBe(`tenant-${name}-sub`);
  expect(getJson(['get', 'namespace', `tenant-${name}-sub`]).metadata.labels).toMatchObject({
    'namespace.cozystack.io/host': `sub.${name}.example.org`,
    'namespace.cozystack.io/etcd': `tenant-${name}`,
    'namespace.cozystack.io/monitoring': `tenant-${name}`,
  });
});

test('label selectors work on app kinds', async () => {
  const ns = 'tenant-root';
  for (const [n, team] of [['lsa', 'blue'], ['lsb', 'green']]) {
    kubectl(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'apps.cozystack.io/v1alpha1',
        kind: 'Postgres',
        metadata: { name: `${unique}${n}`, namespace: ns, labels: { team, run: unique } },
        spec: { replicas: 1 },
      }),
    });
  }
  const blue = getJson(['get', 'postgreses.apps.cozystack.io', '-n', ns, '-l', `team=blue,run=${unique}`]);
  expect(blue.items.map((i: any) => i.metadata.name)).toEqual([`${unique}lsa`]);
  const both = getJson(['get', 'postgreses.apps.cozystack.io', '-A', '-l', `run=${unique}`]);
  expect(both.items.map((i: any) => i.metadata.name).sort()).toEqual([`${unique}lsa`, `${unique}lsb`]);
});

test('server-side dry run behaves as on cozystack-api v1.6.2: every dry-run write is done for real', async () => {
  const ns = 'tenant-root';
  const name = `${unique}dry`;
  const obj = (replicas: number, n = name) => JSON.stringify({
    apiVersion: 'apps.cozystack.io/v1alpha1', kind: 'Postgres', metadata: { name: n, namespace: ns }, spec: { replicas },
  });
  const get = (n = name) => getJson(['get', 'postgreses.apps.cozystack.io', n, '-n', ns]);
  const exists = (n = name) => cluster.run(['get', 'postgreses.apps.cozystack.io', n, '-n', ns]).status === 0;

  // Create (client-side apply of a new object is a POST with dryRun=All): created for real.
  kubectl(['apply', '--dry-run=server', '-f', '-'], { input: obj(1) });
  await until('dry-run-created object there', () => exists()); // the stand-in creates it just after answering
  const v1 = await settled('postgreses', ns, name);

  // Client-side apply with --dry-run=server on an existing object: updated for real.
  kubectl(['apply', '--dry-run=server', '-f', '-'], { input: obj(3) });
  const v2 = get();
  expect(v2.spec.replicas).toBe(3);
  expect(v2.metadata.resourceVersion).not.toBe(v1.metadata.resourceVersion);

  // Server-side apply with --dry-run=server (forced, see below): updated for real too.
  kubectl(['apply', '--server-side', '--force-conflicts', '--dry-run=server', '-f', '-'], { input: obj(4) });
  expect(get().spec.replicas).toBe(4);

  // A server-side apply that creates: created for real as well.
  kubectl(['apply', '--server-side', '--dry-run=server', '-f', '-'], { input: obj(1, `${name}ssa`) });
  await until('dry-run-applied object there', () => exists(`${name}ssa`));
  expect((await settled('postgreses', ns, `${name}ssa`)).spec.replicas).toBe(1);

  // Delete with --dry-run=server: deleted for real (through the Flux finalizer).
  kubectl(['delete', '--dry-run=server', 'postgreses.apps.cozystack.io', `${name}ssa`, '-n', ns, '--wait=false']);
  await until('dry-run-deleted object gone', () => !exists(`${name}ssa`));
});

test('a server-side apply that changes an app conflicts with "before-first-apply", as on cozystack-api', async () => {
  const ns = 'tenant-root';
  const name = `${unique}ssa`;
  const obj = (replicas: number) => JSON.stringify({
    apiVersion: 'apps.cozystack.io/v1alpha1', kind: 'Postgres', metadata: { name, namespace: ns }, spec: { replicas },
  });
  kubectl(['apply', '--server-side', '-f', '-'], { input: obj(1) });
  // cozystack-api keeps no managedFields; the stand-in's reconciler clears them after each write.
  await settled('postgreses', ns, name);
  const r = cluster.run(['apply', '--server-side', '-f', '-'], { input: obj(2) });
  expect(r.status).not.toBe(0);
  expect(r.stderr).toContain('conflict with "before-first-apply"');
  kubectl(['apply', '--server-side', '--force-conflicts', '-f', '-'], { input: obj(2) });
  expect(getJson(['get', 'postgreses.apps.cozystack.io', name, '-n', ns]).spec.replicas).toBe(2);
});

test('kubectl diff is a dry-run write, so on cozystack-api it changes the object; reading does not', async () => {
  const ns = 'tenant-root';
  const name = `${unique}diff`;
  const obj = (replicas: number) => JSON.stringify({
    apiVersion: 'apps.cozystack.io/v1alpha1', kind: 'Postgres', metadata: { name, namespace: ns }, spec: { replicas },
  });
  const get = () => getJson(['get', 'postgreses.apps.cozystack.io', name, '-n', ns]);
  kubectl(['apply', '-f', '-'], { input: obj(4) });

  // kubectl diff is a dry-run PATCH too: on cozystack-api it changes the object (and the audit log shows it).
  const mark = cluster.auditMark();
  expect(cluster.run(['diff', '-f', '-'], { input: obj(5) }).status).toBe(1); // 1 = differences found
  expect(get().spec.replicas).toBe(5);
  const dryRunWrites = cluster.auditEvents(mark).filter((e) => WRITE_VERBS.includes(e.verb) && isDryRun(e));
  expect(dryRunWrites.map((e) => `${e.verb} ${e.objectRef?.apiGroup}/${e.objectRef?.resource}/${e.objectRef?.name}`))
    .toContain(`patch apps.cozystack.io/postgreses/${name}`);

  // Reading and comparing on the client changes nothing and writes nothing.
  const before = (await settled('postgreses', ns, name)).metadata.resourceVersion;
  const versions = await cluster.appResourceVersions();
  expect(versions[`Postgres/${ns}/${name}`]).toBe(before);
  const mark2 = cluster.auditMark();
  getJson(['get', 'postgreses.apps.cozystack.io', '-n', ns]);
  expect(get().metadata.resourceVersion).toBe(before);
  expect((await cluster.appResourceVersions())[`Postgres/${ns}/${name}`]).toBe(before);
  expect(cluster.auditEvents(mark2).filter((e) => WRITE_VERBS.includes(e.verb))).toEqual([]);
  expect(cluster.auditEvents(mark2).some((e) => e.verb === 'list' && e.objectRef?.resource === 'postgreses')).toBe(true);
});

test('reserved spec keys and over-long tenant namespaces are refused, as by cozystack-api', () => {
  const r = cluster.run(['apply', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'apps.cozystack.io/v1alpha1', kind: 'Postgres', metadata: { name: `${unique}res`, namespace: 'tenant-root' }, spec: { _cluster: {} },
    }),
  });
  expect(r.status).not.toBe(0);
  expect(r.stderr).toContain('values key "_cluster" is reserved');

  const long = `a${'b'.repeat(45)}`; // 46 characters: tenant-<long> (53) is fine, tenant-<long>-deeperstill (65) is not
  kubectl(['apply', '-f', '-'], { input: tenantYaml(long, 'tenant-root') });
  const nested = cluster.run(['apply', '-f', '-'], { input: tenantYaml('deeperstill', `tenant-${long}`) });
  expect(nested.status).not.toBe(0);
  expect(nested.stderr).toContain('exceeds the 63-character Kubernetes namespace limit');
});

test('the server keeps unknown spec keys and returns chart defaults, as cozystack-api does', () => {
  const name = `${unique}def`;
  kubectl(['apply', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'apps.cozystack.io/v1alpha1',
      kind: 'Postgres',
      metadata: { name, namespace: 'tenant-root' },
      spec: { notAValue: 'kept', replicas: 2 },
    }),
  });
  const pg = getJson(['get', 'postgreses.apps.cozystack.io', name, '-n', 'tenant-root']);
  expect(pg.spec.notAValue).toBe('kept');
  expect(pg.spec.replicas).toBe(2);
  expect(pg.spec.size).toBeDefined(); // a chart default (values.schema.json) returned by the server
});

test('names are checked as cozystack-api checks them', () => {
  const bad = cluster.run(['apply', '-f', '-'], { input: tenantYaml('has-dash', 'tenant-root') });
  expect(bad.status).not.toBe(0);
  expect(bad.stderr).toContain('tenant names must start with a lowercase letter and contain only lowercase letters and digits; dashes are not allowed');
});

test('the host admission policy refuses a tenant host set by a non-admin identity', () => {
  const r = cluster.run(['apply', '-f', '-'], {
    kubeconfig: cluster.tenantKubeconfig,
    input: tenantYaml(`${unique}h`, 'tenant-root', { host: 'custom.example.net' }),
  });
  expect(r.status).not.toBe(0);
  expect(r.stderr).toContain('cozystack-tenant-host-policy');
  expect(r.stderr).toContain(TENANT_USER);
  // The same identity may create a tenant that inherits its host (tenant-root super-admin role).
  kubectl(['apply', '-f', '-'], { kubeconfig: cluster.tenantKubeconfig, input: tenantYaml(`${unique}i`, 'tenant-root') });
});

test('the root tenant cannot be deleted and tenant-root is protected by the no-delete guardrail', () => {
  const r = cluster.run(['delete', 'tenants.apps.cozystack.io', 'root', '-n', 'tenant-root', '--wait=false']);
  expect(r.status).not.toBe(0);
  // The stand-in refuses with the guardrail; cozystack-api v1.6.2 answers NotFound, because
  // tenant-root's HelmRelease is labelled application.name=tenant-root, not root (rest.go Delete).
  expect(r.stderr).toContain(realCozystackApi() ? 'NotFound' : 'platform.cozystack.io/no-delete');
  expect(kubectl(['get', 'tenants.apps.cozystack.io', '-n', 'tenant-root', '-o', 'name'])).toContain('tenant.apps.cozystack.io/root');
  const ns = cluster.run(['delete', 'namespace', 'tenant-root', '--wait=false']);
  expect(ns.status).not.toBe(0);
  expect(ns.stderr).toContain('platform.cozystack.io/no-delete');
});

test('a Kubernetes app gets an admin kubeconfig Secret for a second, real kube-apiserver', async () => {
  const name = `${unique}k`;
  kubectl(['apply', '-f', '-'], {
    input: JSON.stringify({ apiVersion: 'apps.cozystack.io/v1alpha1', kind: 'Kubernetes', metadata: { name, namespace: 'tenant-root' }, spec: {} }),
  });
  const secret = await until('kubeconfig Secret', () => {
    const r = cluster.run(['get', 'secret', `kubernetes-${name}-admin-kubeconfig`, '-n', 'tenant-root', '-o', 'json']);
    return r.status === 0 ? JSON.parse(r.stdout) : undefined;
  });
  const conf = Buffer.from(secret.data['super-admin.conf'], 'base64').toString('utf8');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tenant-kc-')), 'kubeconfig');
  fs.writeFileSync(file, conf);
  kubectl(['create', 'namespace', `from-${name}`], { kubeconfig: file });
  expect(kubectl(['get', 'namespace', `from-${name}`, '-o', 'name'], { kubeconfig: file })).toContain(`from-${name}`);
  // ... and that API is not the management cluster's.
  expect(cluster.run(['get', 'namespace', `from-${name}`]).status).not.toBe(0);
});

test('switchable failures: never Ready, and slow deletion through the Flux finalizer', async () => {
  const stuck = `${unique}stuck`;
  const slow = `${unique}slow`;
  await cluster.setReconcilerControls({
    neverReady: [`Tenant/tenant-root/${stuck}`],
    slowDelete: [`Tenant/tenant-root/${slow}`],
    slowDeleteSeconds: 3,
  });
  try {
    kubectl(['apply', '-f', '-'], { input: tenantYaml(stuck, 'tenant-root') });
    kubectl(['apply', '-f', '-'], { input: tenantYaml(slow, 'tenant-root') });
    await until('slow tenant Ready', () => readyFor(getJson(['get', 'tenants.apps.cozystack.io', slow, '-n', 'tenant-root'])));
    const s = getJson(['get', 'tenants.apps.cozystack.io', stuck, '-n', 'tenant-root']);
    const ready = (s.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'Unknown', reason: 'Progressing' });
    const wait = cluster.run(['wait', `tenants.apps.cozystack.io/${stuck}`, '-n', 'tenant-root', '--for=condition=Ready', '--timeout=2s']);
    expect(wait.status).not.toBe(0);

    const t0 = Date.now();
    kubectl(['delete', 'tenants.apps.cozystack.io', slow, '-n', 'tenant-root', '--wait=false']);
    const terminating = getJson(['get', 'tenants.apps.cozystack.io', slow, '-n', 'tenant-root']);
    expect(terminating.metadata.deletionTimestamp).toBeDefined();
    // Flux's finalizer holds it: on the app object (stand-in) or on its HelmRelease (cozystack-api).
    const held = realCozystackApi() ? getJson(['get', 'helmreleases.helm.toolkit.fluxcd.io', `tenant-${slow}`, '-n', 'tenant-root']) : terminating;
    expect(held.metadata.finalizers).toContain('finalizers.fluxcd.io');
    await until('slow tenant gone', () => cluster.run(['get', 'tenants.apps.cozystack.io', slow, '-n', 'tenant-root']).status !== 0, 20_000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(2000);
    await until('its namespace gone', () => cluster.run(['get', 'namespace', `tenant-${slow}`]).status !== 0, 20_000);
  } finally {
    await cluster.setReconcilerControls({});
  }
  // Switched off: the held-back tenant becomes Ready.
  await until('stuck tenant Ready after reset', () => readyFor(getJson(['get', 'tenants.apps.cozystack.io', stuck, '-n', 'tenant-root'])));
});
