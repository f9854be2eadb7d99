/**
 * `cdk8s-cozystack plan` on pairs of real bundles synthesized with the library.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { Captured, NODE_GROUP, PlatformSpec, TempDirs, TenantSpec, writePlatform } from './support/bundles';
import { LoadedBundle, readBundle } from '../src/bundle/read';
import { run } from '../src/cli/main';
import { computePlan, Plan } from '../src/cli/plan';
import { immutableFields } from '../src/domain/immutable';

const dirs = new TempDirs();
afterAll(() => dirs.cleanup());

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly plan?: Plan;
}

async function plan(previous: PlatformSpec | string, current: PlatformSpec | string, ...args: string[]): Promise<Outcome> {
  const prev = typeof previous === 'string' ? previous : writePlatform(dirs.make(), previous);
  const cur = typeof current === 'string' ? current : writePlatform(dirs.make(), current);
  const c = new Captured();
  const code = await run(['plan', '--from', prev, '--bundle', cur, ...args], c.io);
  let parsed: Plan | undefined;
  if (args.includes('json') && code !== 1) parsed = JSON.parse(c.stdout);
  return { code, stdout: c.stdout, stderr: c.stderr, plan: parsed };
}

const cluster1 = { cluster1: { nodeGroups: { md0: NODE_GROUP } } };
const db1 = { db1: { replicas: 2, size: '10Gi' } };

/** foo (etcd tuned, a cluster, a child bar with a database) and u1 (all modules, child u2 with apps). */
function base(over: { foo?: Partial<TenantSpec>; u1?: Partial<TenantSpec>; u2?: Partial<TenantSpec> } = {}): PlatformSpec {
  return {
    tenants: [
      {
        name: 'foo',
        etcd: { size: '10Gi' },
        kubernetes: cluster1,
        tenants: [{ name: 'bar', postgres: db1 }],
        ...over.foo,
      },
      {
        name: 'u1',
        etcd: true,
        ingress: true,
        monitoring: true,
        tenants: [{ name: 'u2', kubernetes: cluster1, postgres: db1, ...over.u2 }],
        ...over.u1,
      },
    ],
  };
}

function kinds(p: Plan): string[] {
  return p.destructive.map(d => `${d.type} ${d.key}${d.allowed ? ' allowed' : ''}`).sort();
}

describe('plan', () => {
  test('identical bundles: no changes, exit 0', async () => {
    const r = await plan(base(), base());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No changes.');
    expect(r.stdout).toMatch(/0 to create, 0 to update, 0 to delete, \d+ unchanged/);
  });

  test('creations and field-level updates per wave are safe (exit 0)', async () => {
    const cur = base({
      u2: { kubernetes: { cluster1: { nodeGroups: { md0: { ...NODE_GROUP, maxReplicas: 5 } } } } },
      u1: { tenants: [{ name: 'u2', kubernetes: { cluster1: { nodeGroups: { md0: { ...NODE_GROUP, maxReplicas: 5 } } } }, postgres: db1 }, { name: 'u3' }] },
    });
    const r = await plan(base(), cur, '--format', 'json');
    expect(r.code).toBe(0);
    const p = r.plan!;
    expect(p.destructive).toEqual([]);
    const changes = p.waves.flatMap(w => w.changes.map(c => ({ wave: w.wave, action: c.action, key: c.key, fields: c.fields })));
    expect(changes).toEqual([
      { wave: 1, action: 'create', key: 'Tenant/tenant-u1/u3', fields: [] },
      { wave: 2, action: 'update', key: 'Kubernetes/tenant-u1-u2/cluster1', fields: [{ path: 'spec.nodeGroups.md0.maxReplicas', before: 3, after: 5 }] },
    ]);

    const text = await plan(base(), cur);
    expect(text.stdout).toContain('Wave 1 (wave-01.k8s.yaml):\n  + create Tenant tenant-u1/u3');
    expect(text.stdout).toContain('~ update Kubernetes tenant-u1-u2/cluster1\n      spec.nodeGroups.md0.maxReplicas: 3 -> 5');
  });

  test('a label change is an update with a field-level diff', async () => {
    const prev = writePlatform(dirs.make(), base());
    const cur = writePlatform(dirs.make(), base());
    // Hand-edit a label, then re-seal the bundle (rewrite the hashes) as a new synthesis would.
    const wave = path.join(cur, 'wave-02.k8s.yaml');
    const docs = YAML.parseAllDocuments(fs.readFileSync(wave, 'utf8')).map(d => d.toJS());
    const pg = docs.find(d => d.kind === 'Postgres' && d.metadata.namespace === 'tenant-u1-u2');
    pg.metadata.labels.team = 'data';
    fs.writeFileSync(wave, docs.map(d => YAML.stringify(d)).join('---\n'));
    reseal(cur);
    const r = await plan(prev, cur, '--format', 'json');
    expect(r.code).toBe(0);
    const update = r.plan!.waves.flatMap(w => w.changes).find(c => c.action === 'update');
    expect(update?.key).toBe('Postgres/tenant-u1-u2/db1');
    expect(update?.fields).toEqual([{ path: 'metadata.labels.team', after: 'data' }]);
  });

  test('Tenant deletion lists its whole subtree and exits 2; allowing the tenant allows its subtree', async () => {
    const cur: PlatformSpec = { tenants: base().tenants!.filter(t => t.name !== 'foo') };
    const r = await plan(base(), cur, '--format', 'json');
    expect(r.code).toBe(2);
    const p = r.plan!;
    const del = p.destructive.find(d => d.type === 'tenant-deletion' && d.key === 'Tenant/tenant-root/foo')!;
    expect(del.allowed).toBe(false);
    expect(del.destroys).toEqual(expect.arrayContaining([
      'namespace tenant-foo and every volume in it',
      'Tenant bar (namespace tenant-foo-bar, bar.foo.example.org)',
      'Kubernetes cluster1 in tenant-foo',
      'Postgres db1 in tenant-foo-bar',
      'Etcd etcd in tenant-foo (module tuning)',
      'the etcd module of tenant-foo and its data',
    ]));
    // Everything inside is destructive too, covered by the tenant.
    expect(kinds(p)).toEqual([
      'app-deletion Kubernetes/tenant-foo/cluster1',
      'app-deletion Postgres/tenant-foo-bar/db1',
      'module-tuning-deletion Etcd/tenant-foo/etcd',
      'tenant-deletion Tenant/tenant-foo/bar',
      'tenant-deletion Tenant/tenant-root/foo',
    ]);
    expect(p.destructive.find(d => d.key === 'Postgres/tenant-foo-bar/db1')!.coveredBy).toBe('Tenant/tenant-root/foo');
    expect(p.destructive.find(d => d.key === 'Tenant/tenant-foo/bar')!.coveredBy).toBe('Tenant/tenant-root/foo');

    const allowed = await plan(base(), cur, '--format', 'json', '--allow-destroy', 'Tenant/tenant-root/foo');
    expect(allowed.code).toBe(0);
    expect(allowed.plan!.destructive.every(d => d.allowed)).toBe(true);

    // Allowing only the inner database does not allow the tenant.
    const partial = await plan(base(), cur, '--format', 'json', '--allow-destroy', 'Postgres/tenant-foo-bar/db1');
    expect(partial.code).toBe(2);
    expect(kinds(partial.plan!)).toContain('app-deletion Postgres/tenant-foo-bar/db1 allowed');
  });

  test('Kubernetes and Postgres deletion exit 2 until each is allowed', async () => {
    const cur = base({ u2: { kubernetes: {}, postgres: {} } });
    const r = await plan(base(), cur);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('NOT ALLOWED Kubernetes/tenant-u1-u2/cluster1: Deleting Kubernetes cluster1 in tenant-u1-u2 deletes it with its data.');
    expect(r.stdout).toContain('Secret kubernetes-cluster1-admin-kubeconfig');
    expect(r.stdout).toContain('NOT ALLOWED Postgres/tenant-u1-u2/db1');
    expect(r.stdout).toContain('to allow: --allow-destroy Postgres/tenant-u1-u2/db1');
    expect(r.stdout).toContain('- delete Postgres tenant-u1-u2/db1  [DESTRUCTIVE, NOT ALLOWED]');

    const one = await plan(base(), cur, '--allow-destroy', 'Kubernetes/tenant-u1-u2/cluster1');
    expect(one.code).toBe(2);
    const both = await plan(base(), cur, '--allow-destroy', 'kubernetes/tenant-u1-u2/cluster1', '--allow-destroy', 'Postgres/tenant-u1-u2/db1');
    expect(both.code).toBe(0);
    expect(both.stdout).toContain('ALLOWED     Postgres/tenant-u1-u2/db1');
  });

  test('an --allow-destroy that matches nothing is reported and allows nothing', async () => {
    const cur = base({ u2: { postgres: {} } });
    const r = await plan(base(), cur, '--allow-destroy', 'Postgres/tenant-u1/db1');
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('--allow-destroy Postgres/tenant-u1/db1 matches no destructive change.');
  });

  test('a module flag turned off is destructive and names who loses the service', async () => {
    const cur = base({ u1: { etcd: false } });
    const r = await plan(base(), cur, '--format', 'json');
    expect(r.code).toBe(2);
    const d = r.plan!.destructive;
    expect(d.map(x => x.type)).toEqual(['module-disabled']);
    expect(d[0].key).toBe('Tenant/tenant-root/u1');
    expect(d[0].summary).toContain('spec.etcd turns false');
    expect(d[0].destroys).toEqual(expect.arrayContaining([
      'the etcd HelmRelease in tenant-u1 and its data',
      'used by Tenant u2 (tenant-u1-u2)',
      'used by Kubernetes cluster1 in tenant-u1-u2',
    ]));
    const update = r.plan!.waves.flatMap(w => w.changes).find(c => c.key === 'Tenant/tenant-root/u1')!;
    expect(update.fields).toEqual([{ path: 'spec.etcd', before: true, after: false }]);
    expect((await plan(base(), cur, '--allow-destroy', 'Tenant/tenant-root/u1')).code).toBe(0);
  });

  test('a root module flag that disappears is destructive (absent means false)', async () => {
    const r = await plan(base(), { ...base(), rootModules: ['etcd', 'ingress'] }, '--format', 'json');
    expect(r.code).toBe(2);
    const d = r.plan!.destructive.find(x => x.type === 'module-disabled')!;
    expect(d.key).toBe('Tenant/tenant-root/root');
    expect(d.summary).toContain('spec.monitoring turns absent (false)');
    expect(d.destroys).toContain('used by Tenant foo (tenant-foo)');
  });

  test('deleting a module tuning object is destructive even with the flag still on', async () => {
    const cur = base({ foo: { etcd: true } });
    const r = await plan(base(), cur, '--format', 'json');
    expect(r.code).toBe(2);
    expect(kinds(r.plan!)).toEqual(['module-tuning-deletion Etcd/tenant-foo/etcd']);
    expect(r.plan!.destructive[0].summary).toContain('deletes the etcd HelmRelease of tenant-foo');
    expect(r.plan!.destructive[0].destroys).toContain('used by Kubernetes cluster1 in tenant-foo');
  });

  test('immutable fields come from the chart schemas', () => {
    expect(immutableFields('v1.6.2', 'Kubernetes').map(f => f.path.join('.'))).toEqual(['storageClass']);
    expect(immutableFields('v1.6.2', 'Postgres').map(f => f.path.join('.'))).toEqual(['storageClass']);
    expect(immutableFields('v1.6.2', 'Tenant')).toEqual([]);
    expect(immutableFields('v1.6.2', 'Kubernetes')[0].default).toBe('replicated');
  });

  test('an immutable field change is destructive; spelling out the default is not', async () => {
    const withClass = (storageClass: string) => base({ foo: { kubernetes: { cluster1: { storageClass, nodeGroups: { md0: NODE_GROUP } } } } });
    const r = await plan(base(), withClass('local'), '--format', 'json');
    expect(r.code).toBe(2);
    expect(kinds(r.plan!)).toEqual(['immutable-field Kubernetes/tenant-foo/cluster1']);
    expect(r.plan!.destructive[0].summary).toContain('spec.storageClass is immutable (storageClass is immutable) and changes from "replicated" to "local"');

    const same = await plan(base(), withClass('replicated'), '--format', 'json');
    expect(same.code).toBe(0);
    expect(same.plan!.summary.update).toBe(1);

    const pg = await plan(base(), base({ u2: { postgres: { db1: { ...db1.db1, storageClass: 'local' } } } }), '--format', 'json');
    expect(pg.code).toBe(2);
    expect(kinds(pg.plan!)).toEqual(['immutable-field Postgres/tenant-u1-u2/db1']);
  });

  test('a tenant host change is destructive; its inherited changes are covered by it', async () => {
    const r = await plan(base(), base({ foo: { host: 'foo.other.org' } }), '--format', 'json');
    expect(r.code).toBe(2);
    expect(kinds(r.plan!)).toEqual(['host-change Tenant/tenant-foo/bar', 'host-change Tenant/tenant-root/foo']);
    const bar = r.plan!.destructive.find(d => d.key === 'Tenant/tenant-foo/bar')!;
    expect(bar.summary).toContain('host changes from bar.foo.example.org to bar.foo.other.org (inherited from its parent)');
    expect(bar.coveredBy).toBe('Tenant/tenant-root/foo');
    const foo = r.plan!.destructive.find(d => d.key === 'Tenant/tenant-root/foo')!;
    expect(foo.destroys).toContain('Kubernetes cluster1: endpoint moves to kubernetes-cluster1.foo.other.org');
    expect((await plan(base(), base({ foo: { host: 'foo.other.org' } }), '--allow-destroy', 'Tenant/tenant-root/foo')).code).toBe(0);
  });

  test('the root tenant leaving the bundle is never a deletion', async () => {
    const r = await plan(base(), { ...base(), rootModules: [] }, '--format', 'json');
    expect(r.plan!.waves.flatMap(w => w.changes).some(c => c.key === 'Tenant/tenant-root/root')).toBe(false);
    expect(r.plan!.notes.join('\n')).toContain('Tenant/tenant-root/root (the platform\'s root tenant) is no longer in the bundle. It is never deleted');
    expect(r.plan!.destructive).toEqual([]);
    expect(r.code).toBe(0);
  });

  test('markdown for a PR comment', async () => {
    const r = await plan(base(), base({ u2: { postgres: {} }, u1: { tenants: [{ name: 'u2', kubernetes: cluster1 }, { name: 'u3' }] } }), '--format', 'markdown');
    expect(r.code).toBe(2);
    const md = r.stdout;
    expect(md.startsWith('<!-- cdk8s-cozystack-plan -->\n### cdk8s-cozystack plan: :no_entry: destructive changes not allowed')).toBe(true);
    expect(md).toContain('| create | update | delete | unchanged | destructive | not allowed |\n|---:|---:|---:|---:|---:|---:|\n| 1 | 0 | 1 |');
    expect(md).toContain('- :no_entry: **not allowed** `Postgres/tenant-u1-u2/db1`: Deleting Postgres db1 in tenant-u1-u2 deletes it with its data.');
    expect(md).toContain('  - to allow: `--allow-destroy Postgres/tenant-u1-u2/db1`');
    expect(md).toContain('#### Wave 1 (`wave-01.k8s.yaml`)');
    expect(md).toContain('| - delete :warning: | Postgres | tenant-u1-u2 | db1 |  |');

    const safe = await plan(base(), base(), '--format', 'markdown');
    expect(safe.code).toBe(0);
    expect(safe.stdout).toContain(':white_check_mark: safe');
  });

  test('a kind the CLI has never heard of: its deletion is destructive when the bundle records that it holds data', () => {
    const prev = readBundle(writePlatform(dirs.make(), base()));
    const cur = readBundle(writePlatform(dirs.make(), base()));
    /** `prev` with one more app of a made-up kind, recorded the way synth records every app. */
    const withCache = (holdsData: boolean): LoadedBundle => {
      const postgres = prev.topology.apps.find(a => a.kind === 'Postgres' && a.namespace === 'tenant-u1-u2')!;
      const ref = { apiVersion: 'apps.cozystack.io/v1alpha1', kind: 'Valkey', namespace: 'tenant-u1-u2', name: 'cache', path: 'platform/u1/u2/cache' };
      const manifest = { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace: ref.namespace }, spec: {} };
      const objects = new Map(prev.objects).set('Valkey/tenant-u1-u2/cache', { ref, key: 'Valkey/tenant-u1-u2/cache', wave: 2, manifest });
      const app = {
        ...postgres,
        kind: 'Valkey',
        name: 'cache',
        path: ref.path,
        plural: 'valkeys',
        chart: 'valkey',
        release: 'valkey-cache',
        holdsData,
        credentials: [{ id: 'auth', secret: 'valkey-cache-auth', keys: ['password'], description: 'the password' }],
        endpoints: [],
      };
      return { ...prev, objects, topology: { ...prev.topology, apps: [...prev.topology.apps, app] } };
    };
    const p = computePlan(withCache(true), cur);
    expect(p.exitCode).toBe(2);
    expect(kinds(p)).toEqual(['app-deletion Valkey/tenant-u1-u2/cache']);
    expect(p.destructive[0].destroys).toEqual([
      'Valkey cache\'s HelmRelease valkey-cache (chart valkey): everything it runs and its volumes',
      'Secret valkey-cache-auth (the password)',
    ]);
    // The same kind recorded as holding no data: deleting it is an ordinary deletion.
    const safe = computePlan(withCache(false), cur);
    expect(safe.exitCode).toBe(0);
    expect(safe.summary.delete).toBe(1);
    expect(safe.destructive).toEqual([]);
  });

  test('exit 1: an incomplete bundle (no index.json) is refused', async () => {
    const cur = writePlatform(dirs.make(), base());
    fs.rmSync(path.join(cur, 'index.json'));
    const r = await plan(base(), cur);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('has no index.json: it is not a bundle, or an incomplete one');
  });

  test('exit 1: a file changed after synthesis is refused', async () => {
    const prev = writePlatform(dirs.make(), base());
    fs.appendFileSync(path.join(prev, 'wave-01.k8s.yaml'), '# edited\n');
    const r = await plan(prev, base());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/wave-01\.k8s\.yaml does not match its sha256 in index\.json/);
    expect(r.stdout).toBe('');
  });

  test('exit 1: a malformed --allow-destroy, a missing --from, an unknown format', async () => {
    const r = await plan(base(), base(), '--allow-destroy', 'Tenant/foo');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--allow-destroy "Tenant/foo" is not kind/namespace/name');

    const c = new Captured();
    expect(await run(['plan'], c.io)).toBe(1);
    expect(c.stderr).toContain('plan needs --from <previously applied bundle>, or --live to compare with the cluster.');

    const f = await plan(base(), base(), '--format', 'html');
    expect(f.code).toBe(1);
    expect(f.stderr).toContain('Allowed choices are text, json, markdown');
  });
});

/** Recomputes the hashes of a bundle whose files a test edited on purpose. */
function reseal(dir: string): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createHash } = require('crypto') as typeof import('crypto');
  const indexPath = path.join(dir, 'index.json');
  const index = JSON.parse(fs.readFileSync(indexPath, 'utf8'));
  const hash = (f: string) => createHash('sha256').update(fs.readFileSync(path.join(dir, f))).digest('hex');
  for (const f of Object.keys(index.files)) index.files[f] = hash(f);
  for (const w of index.waves) w.sha256 = hash(w.file);
  fs.writeFileSync(indexPath, JSON.stringify(index, null, 2) + '\n');
}
