/**
 * Tenant-cluster bundles through the CLI. `apply` end to end with the real kubectl 1.33
 * against two stand-ins from test/support/fake-apiserver.ts (NOT Cozystack): one plays
 * the management cluster, which makes a Kubernetes object Ready and then writes its admin
 * kubeconfig Secret; the other, on another port of 127.0.0.1, plays that tenant cluster's
 * API, and the only way the CLI can learn its address is that Secret. `plan` on pairs of
 * real bundles.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Size } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import { KubernetesCluster } from '../src';
import { Captured, editClusterBundles, NODE_GROUP, TempDirs, writeExample, writePlatform } from './support/bundles';
import { FakeApiServer, FakeApiServerOptions } from './support/fake-apiserver';
import { ensureKubectl } from './support/kubectl';
import { run } from '../src/cli/main';
import { Plan } from '../src/cli/plan';

const dirs = new TempDirs();
let kubectl: string;
let management: FakeApiServer | undefined;
let tenant: FakeApiServer | undefined;
let kubeconfig: string;

beforeAll(() => {
  kubectl = ensureKubectl();
  process.env.KUBECACHEDIR = dirs.make('kubecache-');
});
afterAll(() => dirs.cleanup());
afterEach(async () => {
  await management?.stop();
  await tenant?.stop();
  management = tenant = undefined;
});

/** The management stand-in, whose Kubernetes clusters' kubeconfigs point at the tenant-cluster stand-in. */
async function startServers(options: FakeApiServerOptions = {}): Promise<{ management: FakeApiServer; tenant: FakeApiServer }> {
  tenant = await FakeApiServer.start({ role: 'tenant-cluster' });
  const t = tenant;
  management = await FakeApiServer.start({ ...options, clusterApi: () => t });
  kubeconfig = management.writeKubeconfig(dirs.make('kubeconfig-'));
  return { management, tenant };
}

async function cli(...args: string[]): Promise<Captured & { code: number }> {
  const c = new Captured();
  const code = await run(args, c.io);
  return Object.assign(c, { code });
}

function apply(bundleDir: string, ...args: string[]): Promise<Captured & { code: number }> {
  return cli('apply', '--bundle', bundleDir, '--kubectl', kubectl, '--kubeconfig', kubeconfig, ...args);
}

const example = (extra?: (c: KubernetesCluster) => void) => writeExample(dirs.make('bundle-'), extra);

/** The example's workloads plus a cache volume and a worker. */
const withCacheAndWorker = (replicas = 1) => (c: KubernetesCluster) => {
  c.addPersistentVolumeClaim('cache', { storage: Size.gibibytes(5) });
  new plus.Deployment(c.workloads, 'worker', { replicas, containers: [{ image: 'busybox:1.36', securityContext: { user: 1000, group: 1000 } }] });
};

/** Temporary kubeconfig directories the CLI has now (named by withTemporaryKubeconfig). */
function kubeconfigDirs(): string[] {
  return fs.readdirSync(os.tmpdir()).filter(n => n.startsWith('cdk8s-cozystack-')).map(n => path.join(os.tmpdir(), n));
}

/** Records, at each request the tenant cluster gets, the CLI's temporary kubeconfig files and their modes. */
function watchKubeconfigFiles(server: FakeApiServer, existing: string[]): Map<string, { mode: string; content: string }> {
  const seen = new Map<string, { mode: string; content: string }>();
  server.onRequest = () => {
    for (const d of kubeconfigDirs().filter(x => !existing.includes(x))) {
      const file = path.join(d, 'kubeconfig');
      if (!fs.existsSync(file)) continue;
      seen.set(file, { mode: (fs.statSync(file).mode % 0o1000).toString(8), content: fs.readFileSync(file, 'utf8') });
    }
  };
  return seen;
}

const WORKLOADS = ['Deployment/default/cluster1-web', 'PersistentVolumeClaim/default/cluster1-data', 'Service/default/cluster1-web-lb'];

describe('apply: tenant-cluster bundles (stand-ins, not Cozystack)', () => {
  test('waits for the cluster to be Ready, then applies its bundle through the kubeconfig of its Secret, on the tenant cluster only', async () => {
    // Long enough for the management waves to be written before the cluster gets Ready, even on a loaded machine.
    const s = await startServers({ clusterReadyDelayMs: 1500 });
    const before = kubeconfigDirs();
    const files = watchKubeconfigFiles(s.tenant, before);
    const r = await apply(example());
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);

    // On the tenant cluster's API, and nothing of it on the management cluster's.
    expect(s.tenant.keys()).toEqual(WORKLOADS);
    expect(s.tenant.writes.every(w => !w.dryRun && w.verb === 'create' && w.status === 201)).toBe(true);
    expect(s.management.keys().filter(k => !/^(Tenant|Kubernetes|Postgres|Etcd|Ingress|Monitoring|Secret)\//.test(k))).toEqual([]);
    expect(s.management.requests.filter(q => /persistentvolumeclaims|deployments|services/.test(q))).toEqual([]);
    expect(s.management.writes.filter(w => w.name.startsWith('cluster1-'))).toEqual([]);

    // Order: every write to the tenant cluster comes after the cluster got Ready, which came after the management waves.
    const ready = s.management.readiness.find(x => x.kind === 'Kubernetes' && x.namespace === 'tenant-foo' && x.name === 'cluster1')!;
    expect(ready).toBeDefined();
    const created = s.management.writes.find(w => w.kind === 'Kubernetes' && w.namespace === 'tenant-foo' && !w.dryRun)!;
    expect(created.seq).toBeLessThan(ready.seq);
    expect(Math.min(...s.tenant.writes.map(w => w.seq))).toBeGreaterThan(ready.seq);
    expect(Math.max(...s.management.writes.map(w => w.seq))).toBeLessThan(ready.seq);

    expect(r.stdout).toContain('Applying ');
    expect(r.stdout).toContain('(3 waves, 7 objects, 1 tenant-cluster bundle; client-side apply)');
    expect(r.stdout).toContain('\nTenant cluster tenant-foo/cluster1 (clusters/tenant-foo/cluster1/workloads.tenant-yaml): 3 objects\n'
      + '  waiting up to 900s for Kubernetes tenant-foo/cluster1 to be Ready\n'
      + '  kubernetes.apps.cozystack.io/cluster1 condition met\n'
      + '  kubeconfig from Secret tenant-foo/kubernetes-cluster1-admin-kubeconfig (key super-admin.conf)\n'
      + '  persistentvolumeclaim/cluster1-data created\n'
      + '  service/cluster1-web-lb created\n'
      + '  deployment.apps/cluster1-web created\n'
      + '\nApply complete.\n');
    expect(r.stdout.indexOf('Wave 2')).toBeLessThan(r.stdout.indexOf('Tenant cluster tenant-foo/cluster1'));

    // The kubeconfig was the Secret's, in a file only its owner can read, and is gone now.
    expect([...files.values()]).toEqual([{ mode: '600', content: s.tenant.kubeconfig('tenant-foo-cluster1') }]);
    expect(kubeconfigDirs()).toEqual(before);

    // Again: nothing changes; a changed bundle updates in place.
    const again = await apply(example());
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('  deployment.apps/cluster1-web unchanged\n');
    const changed = await apply(example(c => {
      c.addLoadBalancer('api', { ports: [{ port: 443, targetPort: 8443 }] });
    }));
    expect(changed.code).toBe(0);
    expect(changed.stdout).toContain('  service/cluster1-api created\n');
    expect(s.tenant.keys()).toEqual([...WORKLOADS, 'Service/default/cluster1-api'].sort());
  }, 40_000);

  test('a cluster that never gets Ready stops the apply with its conditions; nothing reaches it', async () => {
    const s = await startServers({ neverReadyClusters: ['tenant-foo/cluster1'] });
    const before = kubeconfigDirs();
    const r = await apply(example(), '--timeout', '2s');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Tenant cluster tenant-foo/cluster1: timed out after 2s waiting for Kubernetes tenant-foo/cluster1 to be Ready:\n'
      + '  Kubernetes tenant-foo/cluster1: not Ready; conditions:\n'
      + '    Ready=False (Progressing): Waiting for the control plane of kubernetes-cluster1: 0/2 replicas available (fake)\n'
      + 'Its workloads were not applied, and nothing was pruned. Check the cluster\'s HelmRelease '
      + '(kubectl get helmreleases -n tenant-foo kubernetes-cluster1) and run apply again; it is safe to repeat.\n');
    expect(r.stdout).not.toContain('kubeconfig from Secret');
    expect(r.stdout).not.toContain('Apply complete');
    // Its kubeconfig was there all along: what kept the CLI off the cluster was waiting for Ready.
    expect(s.management.get('Secret', 'tenant-foo', 'kubernetes-cluster1-admin-kubeconfig')).toBeDefined();
    expect(s.tenant.requests).toEqual([]);
    expect(kubeconfigDirs()).toEqual(before);

    // Once it is Ready, running apply again delivers it.
    s.management.markClusterReady('tenant-foo', 'cluster1');
    const again = await apply(example(), '--timeout', '5s');
    expect(again.code).toBe(0);
    expect(s.tenant.keys()).toEqual(WORKLOADS);
  }, 40_000);

  test('a kubeconfig Secret that comes after Ready is waited for; one that never comes is named', async () => {
    const s = await startServers({ secretDelayMs: 1500 });
    const started = Date.now();
    const r = await apply(example());
    expect(r.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    expect(s.tenant.keys()).toEqual(WORKLOADS);

    await management!.stop();
    management = await FakeApiServer.start();
    kubeconfig = management.writeKubeconfig(dirs.make('kubeconfig-'));
    const none = await apply(example(), '--timeout', '1s');
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('Tenant cluster tenant-foo/cluster1: Secret tenant-foo/kubernetes-cluster1-admin-kubeconfig does not exist or has no key super-admin.conf, '
      + 'so the cluster\'s admin kubeconfig cannot be read.\nIts workloads were not applied, and nothing was pruned.');
  }, 30_000);

  test('the temporary kubeconfig is removed when the tenant cluster refuses the bundle too', async () => {
    const s = await startServers();
    const before = kubeconfigDirs();
    const files = watchKubeconfigFiles(s.tenant, before);
    const record = s.tenant.onRequest!;
    s.tenant.onRequest = (method, p) => {
      record(method, p);
      if (method === 'POST') throw new Error('the tenant cluster is out of disk (fake)');
    };
    const r = await apply(example());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Tenant cluster tenant-foo/cluster1: kubectl apply failed (exit code 1). Later tenant clusters were not applied, and nothing was pruned.');
    expect(files.size).toBe(1);
    expect([...files.values()][0].mode).toBe('600');
    expect(kubeconfigDirs()).toEqual(before);
    expect(s.tenant.keys()).toEqual([]);
  }, 30_000);

  test('dry run: creates nothing anywhere; a Ready cluster gets a server-side dry run', async () => {
    const s = await startServers();
    const fresh = await apply(example(), '--dry-run');
    expect(fresh.code).toBe(0);
    expect(fresh.stdout).toContain('\nTenant cluster tenant-foo/cluster1 (clusters/tenant-foo/cluster1/workloads.tenant-yaml): 3 objects\n'
      + '  not dry-run: Tenant tenant-root/foo is not created on the cluster, so namespace tenant-foo does not exist yet\n');
    expect(s.management.keys()).toEqual(['Tenant/tenant-root/root']);
    expect(s.tenant.requests).toEqual([]);

    expect((await apply(example())).code).toBe(0);
    const writes = s.tenant.writes.length;
    const stored = WORKLOADS.map(k => s.tenant!.get(k.split('/')[0], 'default', k.split('/')[2]));
    const dry = await apply(example(withCacheAndWorker()), '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('  kubeconfig from Secret tenant-foo/kubernetes-cluster1-admin-kubeconfig (key super-admin.conf)\n');
    expect(dry.stdout).toContain('  persistentvolumeclaim/cluster1-cache created (server dry run)\n');
    expect(dry.stdout).toContain('  deployment.apps/cluster1-worker created (server dry run)\n');
    expect(dry.stdout).toContain('Dry run complete: nothing was changed.');
    const dryWrites = s.tenant.writes.slice(writes);
    expect(dryWrites.length).toBeGreaterThanOrEqual(2);
    expect(dryWrites.every(w => w.dryRun)).toBe(true);
    expect(s.tenant.keys()).toEqual(WORKLOADS);
    expect(WORKLOADS.map(k => s.tenant!.get(k.split('/')[0], 'default', k.split('/')[2]))).toEqual(stored);
  }, 40_000);

  test('prune inside a tenant cluster: a volume needs --allow-destroy, and only objects labelled as ours are deleted', async () => {
    const s = await startServers();
    // Objects without the ownership label, as if someone else had created them in the tenant cluster.
    const unlabel = (m: any) => {
      const { 'app.kubernetes.io/managed-by': _ours, ...rest } = m.metadata.labels ?? {};
      m.metadata.labels = rest;
    };
    const prev = editClusterBundles(example(withCacheAndWorker()), unlabel);
    expect((await apply(prev)).code).toBe(0);
    expect(s.tenant.keys()).toContain('PersistentVolumeClaim/default/cluster1-cache');
    const cur = editClusterBundles(example(), unlabel);

    const refused = await apply(cur, '--from', prev);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('NOT ALLOWED PersistentVolumeClaim/default/cluster1-cache@tenant-foo/cluster1: Deleting PersistentVolumeClaim default/cluster1-cache '
      + 'in tenant cluster tenant-foo/cluster1 deletes its volume and the data on it.');
    expect(refused.stderr).toContain('to allow: --allow-destroy PersistentVolumeClaim/default/cluster1-cache@tenant-foo/cluster1');
    const writes = s.tenant.writes.length;

    // Unlabelled objects are not ours: nothing is deleted, and the output says so.
    const allow = ['--allow-destroy', 'PersistentVolumeClaim/default/cluster1-cache@tenant-foo/cluster1'];
    const kept = await apply(cur, '--from', prev, ...allow);
    expect(kept.code).toBe(0);
    expect(kept.stdout).toContain('Tenant cluster tenant-foo/cluster1 (clusters/tenant-foo/cluster1/workloads.tenant-yaml): 3 objects, 2 removed from its bundle\n');
    expect(kept.stdout).toContain('  prune: 2 objects removed from the bundle (deleted only when they carry app.kubernetes.io/managed-by=cdk8s-cozystack in the cluster)\n'
      + '  Deployment default/cluster1-worker: kept (it does not carry app.kubernetes.io/managed-by=cdk8s-cozystack in the cluster, so this library does not own it; '
      + 'delete it by hand if that is meant)\n'
      + '  PersistentVolumeClaim default/cluster1-cache: kept (it does not carry');
    expect(s.tenant.writes.slice(writes).filter(w => w.verb === 'delete')).toEqual([]);
    expect(s.tenant.keys()).toContain('PersistentVolumeClaim/default/cluster1-cache');

    // The library labels its workloads: owned objects are pruned.
    const labelledPrev = example(withCacheAndWorker());
    expect((await apply(labelledPrev)).code).toBe(0);
    const labelledCur = example();
    const onlyWorker = await apply(labelledCur, '--from', labelledPrev);
    expect(onlyWorker.code).toBe(2);
    const pruned = await apply(labelledCur, '--from', labelledPrev, ...allow);
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toContain('  deployment.apps "cluster1-worker" deleted\n  persistentvolumeclaim "cluster1-cache" deleted\n');
    const deleted = s.tenant.writes.filter(w => w.verb === 'delete' && !w.dryRun).map(w => `${w.kind}/${w.name}`);
    expect(deleted).toEqual(['Deployment/cluster1-worker', 'PersistentVolumeClaim/cluster1-cache']);
    expect(s.tenant.keys()).toEqual(WORKLOADS);
    // Nothing on the management cluster was deleted.
    expect(s.management.writes.filter(w => w.verb === 'delete')).toEqual([]);
  }, 50_000);
});

interface PlanOutcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly plan?: Plan;
}

async function plan(prev: string, cur: string, ...args: string[]): Promise<PlanOutcome> {
  const r = await cli('plan', '--from', prev, '--bundle', cur, ...args);
  return { code: r.code, stdout: r.stdout, stderr: r.stderr, plan: args.includes('json') && r.code !== 1 ? JSON.parse(r.stdout) : undefined };
}

describe('plan: tenant-cluster bundles', () => {
  const cluster1 = { cluster1: { nodeGroups: { md0: NODE_GROUP } } };
  const volume = (c: KubernetesCluster) => {
    c.addPersistentVolumeClaim('data', { storage: Size.gibibytes(10) });
  };
  let prev: string;
  let cur: string;
  beforeAll(() => {
    prev = example(withCacheAndWorker(1));
    cur = example(c => {
      new plus.Deployment(c.workloads, 'worker', { replicas: 2, containers: [{ image: 'busybox:1.36', securityContext: { user: 1000, group: 1000 } }] });
      c.addLoadBalancer('api', { ports: [{ port: 443, targetPort: 8443 }] });
    });
  });

  test('shows each cluster\'s creations, updates and deletions apart; a volume deletion is destructive (exit 2)', async () => {
    const r = await plan(prev, cur);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('No changes on the management cluster.\n'
      + '\nTenant clusters (applied through each cluster\'s own API once it is Ready):\n'
      + '  cluster tenant-foo/cluster1 (clusters/tenant-foo/cluster1/workloads.tenant-yaml): 1 to create, 1 to update, 1 to delete, 3 unchanged\n'
      + '    + create Service default/cluster1-api\n'
      + '    ~ update Deployment default/cluster1-worker\n'
      + '        spec.replicas: 1 -> 2\n'
      + '    - delete PersistentVolumeClaim default/cluster1-cache  [DESTRUCTIVE, NOT ALLOWED]\n');
    expect(r.stdout).toContain('  NOT ALLOWED PersistentVolumeClaim/default/cluster1-cache@tenant-foo/cluster1: Deleting PersistentVolumeClaim default/cluster1-cache '
      + 'in tenant cluster tenant-foo/cluster1 deletes its volume and the data on it.\n'
      + '        - the data of PersistentVolumeClaim default/cluster1-cache (5Gi, storage class replicated)\n');
    expect(r.stdout).toContain('in tenant clusters: 1 to create, 1 to update, 1 to delete, 3 unchanged; 1 destructive (1 not allowed)');

    const md = await plan(prev, cur, '--format', 'markdown');
    expect(md.code).toBe(2);
    expect(md.stdout).toContain('#### Tenant cluster `tenant-foo/cluster1` (clusters/tenant-foo/cluster1/workloads.tenant-yaml): 1 to create, 1 to update, 1 to delete, 3 unchanged\n');
    expect(md.stdout).toContain('| - delete :warning: | PersistentVolumeClaim | default | cluster1-cache |  |');
    expect(md.stdout).toContain('| ~ update | Deployment | default | cluster1-worker | `spec.replicas: 1 -> 2` |');
    expect(md.stdout).toContain(':no_entry: **not allowed** `PersistentVolumeClaim/default/cluster1-cache@tenant-foo/cluster1`');
  });

  test('JSON has the per-cluster plan; the allow syntax names the cluster; exit codes 0, 2 and 1', async () => {
    const key = 'PersistentVolumeClaim/default/cluster1-cache@tenant-foo/cluster1';
    const r = await plan(prev, cur, '--format', 'json', '--allow-destroy', key.replace('PersistentVolumeClaim', 'persistentvolumeclaim'));
    expect(r.code).toBe(0);
    const p = r.plan!;
    expect(p.waves).toEqual([]);
    expect(p.clusters.map(c => ({ id: c.id, status: c.status, unchanged: c.unchanged, changes: c.changes.map(x => `${x.action} ${x.key}`) }))).toEqual([{
      id: 'tenant-foo/cluster1',
      status: 'changed',
      unchanged: 3,
      changes: [
        'create Service/default/cluster1-api@tenant-foo/cluster1',
        'update Deployment/default/cluster1-worker@tenant-foo/cluster1',
        `delete ${key}`,
      ],
    }]);
    expect(p.clusters[0].changes[1].fields).toEqual([{ path: 'spec.replicas', before: 1, after: 2 }]);
    expect(p.destructive.map(d => `${d.type} ${d.key} ${d.allowed}`)).toEqual([`volume-deletion ${key} true`]);
    expect(p.summary.clusters).toEqual({ create: 1, update: 1, delete: 1, unchanged: 3 });

    // The same name in another cluster, or on the management cluster, allows nothing.
    const elsewhere = await plan(prev, cur, '--allow-destroy', 'PersistentVolumeClaim/default/cluster1-cache@tenant-u1-u2/cluster1',
      '--allow-destroy', 'PersistentVolumeClaim/default/cluster1-cache');
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stdout).toContain('--allow-destroy PersistentVolumeClaim/default/cluster1-cache@tenant-u1-u2/cluster1 matches no destructive change.');
    // The namespace inside the cluster is not optional.
    const bad = await plan(prev, cur, '--allow-destroy', 'PersistentVolumeClaim/cluster1-cache@tenant-foo/cluster1');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('kind/namespace/name@<tenant namespace>/<cluster> for an object inside a tenant cluster (e.g. PersistentVolumeClaim/default/data@tenant-foo/cluster1)');
    // Creations and updates alone are safe.
    expect((await plan(example(), cur)).code).toBe(0);
  });

  test('a whole bundle removed while the Kubernetes object stays is reported; its volumes still need allowing', async () => {
    const withWorkloads = writePlatform(dirs.make(), { tenants: [{ name: 'foo', kubernetes: cluster1, workloads: { cluster1: volume } }] });
    const without = writePlatform(dirs.make(), { tenants: [{ name: 'foo', kubernetes: cluster1 }] });
    const r = await plan(withWorkloads, without);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('  cluster tenant-foo/cluster1: bundle removed while its Kubernetes object stays; 0 to create, 0 to update, 1 to delete, 0 unchanged\n'
      + '    - delete PersistentVolumeClaim default/cluster1-data  [DESTRUCTIVE, NOT ALLOWED]\n');
    expect(r.stdout).toContain('Tenant cluster tenant-foo/cluster1 has no workloads bundle any more, but its Kubernetes object stays: the 1 object of its previous bundle '
      + '(clusters/tenant-foo/cluster1/workloads.tenant-yaml) are deleted from the bundle.');
    const json = await plan(withWorkloads, without, '--format', 'json', '--allow-destroy', 'PersistentVolumeClaim/default/cluster1-data@tenant-foo/cluster1');
    expect(json.code).toBe(0);
    expect(json.plan!.clusters.map(c => c.status)).toEqual(['bundle-removed']);
  });

  test('a cluster deleted with its Kubernetes object: its volumes are listed under the cluster\'s deletion', async () => {
    const withCluster = writePlatform(dirs.make(), { tenants: [{ name: 'foo', kubernetes: cluster1, workloads: { cluster1: volume } }] });
    const gone = writePlatform(dirs.make(), { tenants: [{ name: 'foo' }] });
    const r = await plan(withCluster, gone, '--format', 'json');
    expect(r.code).toBe(2);
    expect(r.plan!.clusters.map(c => c.status)).toEqual(['cluster-deleted']);
    expect(r.plan!.destructive.map(d => d.type)).toEqual(['app-deletion']);
    expect(r.plan!.destructive[0].destroys).toContain('PersistentVolumeClaim default/cluster1-data inside it, with its data (10Gi, storage class replicated)');
    expect((await plan(withCluster, gone, '--allow-destroy', 'Kubernetes/tenant-foo/cluster1')).code).toBe(0);
    const text = await plan(withCluster, gone);
    expect(text.stdout).toContain('  cluster tenant-foo/cluster1: deleted with its Kubernetes object; its 1 object go with it\n');
  });

  test('a volume\'s storage class cannot change and its size cannot shrink', async () => {
    const pvc = (storage: number, storageClassName?: string) => (c: KubernetesCluster) => {
      c.addPersistentVolumeClaim('data', { storage: Size.gibibytes(storage), storageClassName });
    };
    const base = writePlatform(dirs.make(), { tenants: [{ name: 'foo', kubernetes: cluster1, workloads: { cluster1: pvc(10) } }] });
    const grown = writePlatform(dirs.make(), { tenants: [{ name: 'foo', kubernetes: cluster1, workloads: { cluster1: pvc(20) } }] });
    const shrunk = writePlatform(dirs.make(), { tenants: [{ name: 'foo', kubernetes: cluster1, workloads: { cluster1: pvc(5, 'local') } }] });
    expect((await plan(base, grown)).code).toBe(0);
    const r = await plan(base, shrunk, '--format', 'json');
    expect(r.code).toBe(2);
    expect(r.plan!.destructive.map(d => d.summary)).toEqual([
      'PersistentVolumeClaim default/cluster1-data in tenant cluster tenant-foo/cluster1: spec.storageClassName is immutable and changes from "replicated" to "local". '
      + 'The server rejects the update; going through means deleting the claim and its data and creating it again.',
      'PersistentVolumeClaim default/cluster1-data in tenant cluster tenant-foo/cluster1: spec.resources.requests.storage shrinks from 10Gi to 5Gi; volumes only grow. '
      + 'The server rejects the update; going through means deleting the claim and its data and creating it again.',
    ]);
  });
});
