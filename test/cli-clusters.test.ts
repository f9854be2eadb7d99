/**
 * Tenant-cluster bundles through the CLI. `apply` end to end with the real kubectl 1.33 on
 * the real test cluster (test/support/real-cluster.ts): the management kube-apiserver
 * (apps.cozystack.io from the stand-in), where the test reconciler makes a Kubernetes
 * object Ready and writes its admin kubeconfig Secret; that Secret points at the second
 * real kube-apiserver, which plays the tenant cluster, and is the only way the CLI can
 * learn its address. `plan` on pairs of real bundles.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Size } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import { KubernetesCluster } from '../src';
import { Captured, editClusterBundles, NODE_GROUP, TempDirs, writeExample, writePlatform } from './support/bundles';
import { RealCluster, startRealCluster } from './support/real-cluster';
import { run } from '../src/cli/main';
import { Plan } from '../src/cli/plan';

const dirs = new TempDirs();
let cluster: RealCluster;
/** This run's names: the tenant clusters of every Kubernetes app are one API server, shared by the test files. */
const P = `cl${Date.now().toString(36).slice(-5)}`;

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

/** A tenant `<P><t>` with one Kubernetes cluster (`k`, or `name`) whose workloads `workloads` adds. */
function clusterPlatform(t: string, workloads: (c: KubernetesCluster) => void, name = 'k'): string {
  return writePlatform(dirs.make('bundle-'), {
    tenants: [{ name: `${P}${t}`, kubernetes: { [name]: { nodeGroups: { md0: NODE_GROUP } } }, workloads: { [name]: workloads } }],
  });
}

/** An object in the tenant cluster (the second kube-apiserver), or undefined. */
function inTenantCluster(kind: string, name: string, ns = 'default'): any {
  const r = cluster.run(['get', kind, name, '-n', ns, '-o', 'json'], { kubeconfig: cluster.tenantClusterKubeconfig });
  return r.status === 0 ? JSON.parse(r.stdout) : undefined;
}

describe('apply: tenant-cluster bundles (real kube-apiservers; the test reconciler writes the kubeconfig Secret)', () => {
  test('waits for the cluster to be Ready, then applies its bundle through the kubeconfig of its Secret, on the tenant cluster only', async () => {
    const ns = `${P}d`;
    const web = (c: KubernetesCluster) => {
      new plus.ConfigMap(c.workloads, 'settings', { metadata: { name: `${ns}-settings` }, data: { a: '1' } });
    };
    const before = kubeconfigDirs();
    const r = await apply(clusterPlatform('d', web));
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`\nTenant cluster tenant-${ns}/k (clusters/tenant-${ns}/k/workloads.tenant-yaml): 1 object\n`
      + '  waiting up to 60s for Kubernetes tenant-' + ns + '/k to be Ready\n'
      + '  kubernetes.apps.cozystack.io/k condition met\n'
      + `  kubeconfig from Secret tenant-${ns}/kubernetes-k-admin-kubeconfig (key super-admin.conf)\n`
      + `  configmap/${ns}-settings created\n`);
    expect(r.stdout.indexOf('Wave 1')).toBeLessThan(r.stdout.indexOf(`Tenant cluster tenant-${ns}/k`));
    // On the tenant cluster's API, not on the management cluster's.
    expect(inTenantCluster('configmap', `${ns}-settings`).data).toEqual({ a: '1' });
    expect(cluster.run(['get', 'configmap', `${ns}-settings`, '-n', 'default']).status).not.toBe(0);
    // The temporary kubeconfig is gone.
    expect(kubeconfigDirs()).toEqual(before);

    // Again: unchanged, nothing written there; a change updates in place.
    const rv = inTenantCluster('configmap', `${ns}-settings`).metadata.resourceVersion;
    const again = await apply(clusterPlatform('d', web));
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`  configmap/${ns}-settings unchanged\n`);
    expect(inTenantCluster('configmap', `${ns}-settings`).metadata.resourceVersion).toBe(rv);

    // A dry run of a change reads the tenant cluster and writes nothing there.
    const changed = clusterPlatform('d', c => {
      new plus.ConfigMap(c.workloads, 'settings', { metadata: { name: `${ns}-settings` }, data: { a: '2' } });
    });
    const dry = await apply(changed, '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`  configmap/${ns}-settings would be updated:\n    data.a: "1" -> "2"\n`);
    expect(inTenantCluster('configmap', `${ns}-settings`).metadata.resourceVersion).toBe(rv);
    expect((await apply(changed)).code).toBe(0);
    expect(inTenantCluster('configmap', `${ns}-settings`).data).toEqual({ a: '2' });
  });

  test('a cluster that never gets Ready stops the apply with its conditions; nothing reaches it', async () => {
    const ns = `${P}n`;
    await cluster.setReconcilerControls({ failing: [`Kubernetes/tenant-${ns}/k`] });
    try {
      await new Promise(res => setTimeout(res, 1500));
      const r = await apply(clusterPlatform('n', c => {
        new plus.ConfigMap(c.workloads, 'settings', { metadata: { name: `${ns}-settings` }, data: { a: '1' } });
      }), '--timeout', '3s');
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`Tenant cluster tenant-${ns}/k: timed out after 3s waiting for Kubernetes tenant-${ns}/k to be Ready:\n`
        + `  Kubernetes tenant-${ns}/k: not Ready; conditions:\n    Ready=False (InstallFailed)`);
      expect(r.stderr).toContain(`Check the cluster's HelmRelease (kubectl get helmreleases -n tenant-${ns} kubernetes-k)`);
      expect(inTenantCluster('configmap', `${ns}-settings`)).toBeUndefined();
    } finally {
      await cluster.setReconcilerControls({});
    }
  });

  test('prune inside a tenant cluster: a volume needs --allow-destroy, and only objects labelled as ours are deleted', async () => {
    const t = `${P}p`;
    const name = `${t}c`; // the tenant cluster's API is shared: its objects are named <cluster>-<id>
    const withWorker = (c: KubernetesCluster) => {
      c.addPersistentVolumeClaim('cache', { storage: Size.gibibytes(5) });
      new plus.Deployment(c.workloads, 'worker', { containers: [{ image: 'busybox:1.36', securityContext: { user: 1000, group: 1000 } }] });
    };
    const none = () => undefined;
    // Objects without the ownership label, as if someone else had created them in the tenant cluster.
    const unlabel = (m: any) => {
      const { 'app.kubernetes.io/managed-by': _ours, ...rest } = m.metadata.labels ?? {};
      m.metadata.labels = rest;
    };
    const prev = editClusterBundles(clusterPlatform('p', withWorker, name), unlabel);
    expect((await apply(prev)).code).toBe(0);
    expect(inTenantCluster('persistentvolumeclaim', `${name}-cache`)).toBeDefined();
    const cur = editClusterBundles(clusterPlatform('p', none, name), unlabel);
    const key = `PersistentVolumeClaim/default/${name}-cache@tenant-${t}/${name}`;

    const refused = await apply(cur, '--from', prev);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`NOT ALLOWED ${key}: Deleting PersistentVolumeClaim default/${name}-cache in tenant cluster tenant-${t}/${name} deletes its volume`);

    // Unlabelled objects are not ours: nothing is deleted, and the output says so.
    const kept = await apply(cur, '--from', prev, '--allow-destroy', key);
    expect(kept.code).toBe(0);
    expect(kept.stdout).toContain(`  Deployment default/${name}-worker: kept (it does not carry app.kubernetes.io/managed-by=cdk8s-cozystack in the cluster, `
      + 'so this library does not own it; delete it by hand if that is meant)\n');
    expect(inTenantCluster('persistentvolumeclaim', `${name}-cache`).metadata.deletionTimestamp).toBeUndefined();
    expect(inTenantCluster('deployment', `${name}-worker`)).toBeDefined();

    // The library labels its workloads: owned objects are pruned (the volume only when allowed).
    const labelledPrev = clusterPlatform('p', withWorker, name);
    expect((await apply(labelledPrev)).code).toBe(0);
    const labelledCur = clusterPlatform('p', none, name);
    expect((await apply(labelledCur, '--from', labelledPrev)).code).toBe(2);
    const pruned = await apply(labelledCur, '--from', labelledPrev, '--allow-destroy', key);
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toContain(`  deployment.apps "${name}-worker" deleted\n  persistentvolumeclaim "${name}-cache" deleted\n`);
    expect(inTenantCluster('deployment', `${name}-worker`)).toBeUndefined();
    // kube-apiserver's pvc-protection finalizer holds the claim until a controller releases it; none runs here.
    const pvc = inTenantCluster('persistentvolumeclaim', `${name}-cache`);
    expect(pvc === undefined || pvc.metadata.deletionTimestamp !== undefined).toBe(true);
  });
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
