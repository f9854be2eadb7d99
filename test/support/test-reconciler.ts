/**
 * The test reconciler: plays Flux and Helm for the real test cluster, and nothing
 * more. It is NOT Cozystack; it only does what the charts would leave behind
 * that the tests look at.
 *
 * For every `apps.cozystack.io` object (served by the stand-in CRDs, see
 * cozystack-standin.ts):
 * - it keeps Flux's finalizer `finalizers.fluxcd.io` on the object, so deletion
 *   is asynchronous as on a real platform (the object stays with a
 *   deletionTimestamp until "helm uninstall" is done);
 * - Tenant (chart `tenant`): creates the tenant's namespace, named as
 *   cozystack-api computes it (`computeTenantNamespace`: `tenant-<name>` under
 *   tenant-root, `<parent-ns>-<name>` below), with the chart's labels
 *   (`tenant.cozystack.io/<ancestor>`, `namespace.cozystack.io/{etcd,ingress,
 *   gateway,monitoring,seaweedfs,host}`), the `cozystack-values` Secret, the
 *   `cozy:tenant:*` RoleBindings and the `tenant-quota` ResourceQuota; deleting
 *   the Tenant deletes the namespace with everything in it (this reconciler is
 *   also the namespace controller, as there is no kube-controller-manager);
 * - Kubernetes (chart `kubernetes`): writes the Secret
 *   `kubernetes-<name>-admin-kubeconfig` (key `super-admin.conf`) pointing at the
 *   second kube-apiserver that plays the tenant cluster;
 * - every kind, and every tenant's Info module: the credential Secrets the registry
 *   of kinds names for it (per-user ones for the users of the spec), with each key
 *   the registry lists set to a made-up value ({@link credentialValue}); deleted on
 *   uninstall;
 * - every kind: `status.conditions` Ready and Released (True, reason
 *   InstallSucceeded / UpgradeSucceeded) with `observedGeneration` =
 *   `metadata.generation`, `status.version`, and a Tenant's `status.namespace`.
 *   A write the charts would refuse (a namespace label over 63 characters, a bad
 *   quota key) gives Ready=False with the API server's message, as helm would.
 *
 * Switchable failures, read from the ConfigMap `test-reconciler` in namespace
 * `cozy-test` (see `ReconcilerControls`): `neverReady` (Ready=Unknown,
 * Progressing, forever), `failing` (Ready=False, InstallFailed), `slowDelete`
 * (the finalizer is removed only after `slowDeleteSeconds`), `readyDelayMs`
 * (a delay before any object becomes Ready). Entries are `Kind/namespace/name`,
 * `name` may be `*`.
 *
 * Run: `ts-node --transpile-only test/support/test-reconciler.ts <state dir>`,
 * where `<state dir>/cluster.json` is written by real-cluster.ts.
 */
import { spawnSync } from 'child_process';
import { setMaxListeners } from 'events';
import * as fs from 'fs';
import * as path from 'path';
import { readStandinKinds } from './cozystack-standin';
import { StandinWebhookConfig, startStandinWebhook } from './cozystack-standin-webhook';
import { KubeClient, KubeError, KubeTarget } from './kube-client';
import { deriveNames, REGISTRY } from '../../src/domain/registry';

export const FLUX_FINALIZER = 'finalizers.fluxcd.io';
export const CONTROL_NAMESPACE = 'cozy-test';
export const CONTROL_CONFIGMAP = 'test-reconciler';
const HR_PATH = '/apis/helm.toolkit.fluxcd.io/v2/helmreleases';
const NAMESPACE_FINALIZER = 'test-reconciler.cdk8s-cozystack.io/namespace';
const CHART_VERSION = '1.6.2';

/** What the reconciler needs to know; real-cluster.ts writes it as `cluster.json`. */
export interface ReconcilerConfig {
  readonly management: KubeTarget;
  /** The tenant cluster's admin kubeconfig, written into each Kubernetes app's Secret. */
  readonly tenantClusterKubeconfig: string;
  readonly catalogueDir: string;
  /** The root tenant's host (the platform's publishing host). */
  readonly rootHost: string;
  /** The stand-in's admission webhook, run in this process (cozystack-standin-webhook.ts). */
  readonly webhook?: StandinWebhookConfig;
  /**
   * What to reconcile: the stand-in's app objects (default), or, when the real
   * cozystack-api serves apps.cozystack.io, the Flux HelmReleases it creates (the
   * reconciler then plays exactly Flux: status and finalizer on the HelmRelease).
   */
  readonly target?: 'apps' | 'helmreleases';
}

/** The switchable failures, as the data of the ConfigMap cozy-test/test-reconciler. */
export interface ReconcilerControls {
  /** `Kind/namespace/name` entries held at Ready=Unknown (Progressing) forever. */
  readonly neverReady?: string[];
  /** Entries held at Ready=False (InstallFailed). */
  readonly failing?: string[];
  /** Entries whose deletion takes `slowDeleteSeconds`. */
  readonly slowDelete?: string[];
  readonly slowDeleteSeconds?: number;
  /** Delay before any object becomes Ready, in milliseconds. */
  readonly readyDelayMs?: number;
  /** Entries whose spec changes are never acted on once Ready: Ready=True stays, for the old generation. */
  readonly ignoreUpdates?: string[];
  /**
   * Write conditions without `observedGeneration`, the shape cozystack-api really
   * returns (it copies the HelmRelease's conditions without it).
   */
  readonly omitObservedGeneration?: boolean;
}

/**
 * The ConfigMap data for some controls. With `owner` (what `setReconcilerControls` passes:
 * the test process), only the controls given, under keys `<control>.<owner>`: each test
 * process applies its own keys with its own field manager, so one file resetting its
 * controls (`{}`) no longer clears those of another file running at the same time.
 */
export function controlsToData(c: ReconcilerControls, owner?: string): Record<string, string> {
  const all: Record<string, string | undefined> = {
    neverReady: (c.neverReady ?? []).join('\n'),
    failing: (c.failing ?? []).join('\n'),
    slowDelete: (c.slowDelete ?? []).join('\n'),
    slowDeleteSeconds: String(c.slowDeleteSeconds ?? 5),
    readyDelayMs: String(c.readyDelayMs ?? 0),
    ignoreUpdates: (c.ignoreUpdates ?? []).join('\n'),
    omitObservedGeneration: String(c.omitObservedGeneration ?? false),
  };
  if (owner === undefined) return all as Record<string, string>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(all)) if ((c as Record<string, unknown>)[k] !== undefined && v !== '') out[`${k}.${owner}`] = v!;
  return out;
}

/** The controls in force: lists of every owner together, a number or flag set by an owner over the default. */
function controlsFromData(d: Record<string, string> | undefined): Required<ReconcilerControls> {
  const list = (s: string | undefined) => (s ?? '').split(/[\n,]/).map((x) => x.trim()).filter(Boolean);
  const values = (name: string) => Object.keys(d ?? {}).filter((k) => k === name || k.startsWith(`${name}.`)).sort()
    .map((k) => ({ owned: k !== name, value: d![k] }));
  const lists = (name: string) => values(name).flatMap((v) => list(v.value));
  const one = (name: string, fallback: string) => {
    const vs = values(name);
    return (vs.filter((v) => v.owned).pop() ?? vs.pop())?.value ?? fallback;
  };
  return {
    neverReady: lists('neverReady'),
    failing: lists('failing'),
    slowDelete: lists('slowDelete'),
    slowDeleteSeconds: Number(one('slowDeleteSeconds', '5')) || 0,
    readyDelayMs: Number(one('readyDelayMs', '0')) || 0,
    ignoreUpdates: lists('ignoreUpdates'),
    omitObservedGeneration: values('omitObservedGeneration').some((v) => v.value === 'true'),
  };
}

function matches(entries: string[], kind: string, ns: string, name: string): boolean {
  return entries.includes(`${kind}/${ns}/${name}`) || entries.includes(`${kind}/${ns}/*`);
}

/** cozystack-api's computeTenantNamespace (pkg/registry/apps/application/rest.go). */
export function tenantNamespace(parentNamespace: string, name: string): string {
  if (parentNamespace === 'tenant-root' && name === 'root') return 'tenant-root';
  if (parentNamespace === 'tenant-root') return `tenant-${name}`;
  return `${parentNamespace}-${name}`;
}

/** The tenant chart's quota keys (cozy-lib `resources.flatten`). */
const RAW_QUOTA_KEYS = new Set(['pods', 'services', 'services.loadbalancers', 'services.nodeports', 'services.clusterip',
  'configmaps', 'secrets', 'persistentvolumeclaims', 'replicationcontrollers', 'resourcequotas']);
export function quotaHard(quotas: Record<string, unknown>): Record<string, string> {
  const hard: Record<string, string> = {};
  for (const [k, v] of Object.entries(quotas)) {
    if (RAW_QUOTA_KEYS.has(k)) {hard[k] = String(v);} else if (k === 'storage') {hard['requests.storage'] = String(v);} else {
      hard[`requests.${k}`] = String(v);
      hard[`limits.${k}`] = String(v);
    }
  }
  return hard;
}

const LEVELS = ['view', 'use', 'admin', 'super-admin'];

interface Kind { kind: string; plural: string; prefix: string }

export class TestReconciler {
  private readonly kube: KubeClient;
  private readonly kinds: Kind[];
  private controls = controlsFromData(undefined);
  private readonly queue = new Map<string, () => Promise<void>>();
  private readonly retries = new Map<string, () => Promise<void>>();
  /** The generation each object was last made Ready for. */
  private readonly readyGeneration = new Map<string, number>();
  private readonly running = new Set<string>();
  private readonly deletionTimers = new Map<string, number>();
  private readonly abort = new AbortController();
  private stopped = false;

  private readonly hr: boolean;

  constructor(private readonly config: ReconcilerConfig) {
    this.hr = config.target === 'helmreleases';
    this.kube = new KubeClient(config.management);
    this.kinds = readStandinKinds(config.catalogueDir).map((k) => ({ kind: k.kind, plural: k.plural, prefix: k.releasePrefix }));
  }

  async start(): Promise<void> {
    setMaxListeners(0, this.abort.signal); // one listener per watch
    await this.loadControls();
    void this.watchLoop(`/api/v1/namespaces/${CONTROL_NAMESPACE}/configmaps?fieldSelector=metadata.name%3D${CONTROL_CONFIGMAP}`,
      (_t, cm) => {
        this.controls = controlsFromData(cm?.data);
        this.requeueAll();
      });
    if (this.hr) {
      void this.watchLoop(HR_PATH, (type, obj) => {
        const k = this.kindOfRelease(obj);
        if (k && type !== 'DELETED') this.enqueue(k, obj.metadata.namespace, obj.metadata.name, obj);
      });
    } else {
      for (const k of this.kinds) {
        void this.watchLoop(`/apis/apps.cozystack.io/v1alpha1/${k.plural}`, (type, obj) => {
          if (type !== 'DELETED') this.enqueue(k, obj.metadata.namespace, obj.metadata.name, obj);
        });
      }
    }
    void this.watchLoop('/api/v1/namespaces', (type, ns) => {
      if (type !== 'DELETED' && ns.metadata.deletionTimestamp) this.enqueueNamespaceDeletion(ns.metadata.name);
    });
  }

  stop(): void {
    this.stopped = true;
    this.abort.abort();
    for (const t of this.deletionTimers.values()) clearTimeout(t);
    this.kube.close();
  }

  private async loadControls(): Promise<void> {
    const cm = await this.kube.tryGet(`/api/v1/namespaces/${CONTROL_NAMESPACE}/configmaps/${CONTROL_CONFIGMAP}`);
    this.controls = controlsFromData(cm?.data);
  }

  /** List, then watch from the list's resourceVersion; again on every close or error. */
  private async watchLoop(urlPath: string, onEvent: (type: string, obj: any) => void): Promise<void> {
    while (!this.stopped) {
      try {
        const list = await this.kube.get(urlPath);
        for (const item of list.items ?? []) onEvent('ADDED', item);
        await this.kube.watch(urlPath, list.metadata.resourceVersion, (type, obj) => {
          if (type === 'BOOKMARK') return;
          if (type === 'ERROR') throw new Error(obj?.message ?? 'watch error');
          onEvent(type, obj);
        }, this.abort.signal);
      } catch (e) {
        if (this.stopped) return;
        log(`watch ${urlPath}: ${(e as Error).message}`);
        await sleep(500);
      }
    }
  }

  /** The kind of a HelmRelease cozystack-api made (its application.kind label). */
  private kindOfRelease(hr: any): Kind | undefined {
    const kind = hr.metadata.labels?.['apps.cozystack.io/application.kind'];
    return this.kinds.find((k) => k.kind === kind && hr.metadata.name.startsWith(k.prefix));
  }

  private requeueAll(): void {
    void (async () => {
      if (this.hr) {
        try {
          const list = await this.kube.get(HR_PATH);
          for (const o of list.items ?? []) {
            const k = this.kindOfRelease(o);
            if (k) this.enqueue(k, o.metadata.namespace, o.metadata.name, o);
          }
        } catch (e) {
          log(`requeue helmreleases: ${(e as Error).message}`);
        }
        return;
      }
      for (const k of this.kinds) {
        try {
          const list = await this.kube.get(`/apis/apps.cozystack.io/v1alpha1/${k.plural}`);
          for (const o of list.items ?? []) this.enqueue(k, o.metadata.namespace, o.metadata.name, o);
        } catch (e) {
          log(`requeue ${k.plural}: ${(e as Error).message}`);
        }
      }
    })();
  }

  /** `obj` is the object as the watch delivered it; without it (or on a retry) it is read first. */
  private enqueue(k: Kind, ns: string, name: string, obj?: any): void {
    const refetch = () => this.reconcile(k, ns, name);
    this.schedule(`${k.kind}/${ns}/${name}`, obj ? () => this.reconcile(k, ns, name, obj) : refetch, refetch);
  }

  private enqueueNamespaceDeletion(ns: string): void {
    this.schedule(`Namespace//${ns}`, () => this.finalizeNamespace(ns));
  }

  /** One run at a time per key; events during a run cause one more run. */
  private schedule(key: string, fn: () => Promise<void>, retry: () => Promise<void> = fn): void {
    this.retries.set(key, retry);
    this.queue.set(key, fn);
    if (this.running.has(key)) return;
    void this.drain(key);
  }

  private async drain(key: string): Promise<void> {
    this.running.add(key);
    try {
      while (this.queue.has(key) && !this.stopped) {
        const fn = this.queue.get(key)!;
        const retry = this.retries.get(key) ?? fn;
        this.queue.delete(key);
        try {
          await fn();
        } catch (e) {
          if (this.stopped) return;
          if (e instanceof KubeError && (e.status === 409 || e.status === 404)) {
            // Stale read or gone: the watch brings the next state.
            if (e.status === 409 && !this.queue.has(key)) this.queue.set(key, retry);
            continue;
          }
          log(`${key}: ${(e as Error).message}`);
          await sleep(1000);
          if (!this.queue.has(key)) this.queue.set(key, retry);
        }
      }
    } finally {
      this.running.delete(key);
    }
  }

  /** The object this reconciler works on: the app object (stand-in) or its HelmRelease. */
  private appPath(k: Kind, ns: string, name?: string): string {
    if (this.hr) return `/apis/helm.toolkit.fluxcd.io/v2/namespaces/${ns}/helmreleases${name ? `/${name}` : ''}`;
    return `/apis/apps.cozystack.io/v1alpha1/namespaces/${ns}/${k.plural}${name ? `/${name}` : ''}`;
  }

  private async reconcile(k: Kind, ns: string, name: string, seen?: any): Promise<void> {
    const obj = seen ?? await this.kube.tryGet(this.appPath(k, ns, name));
    if (!obj) return;
    const finalizers: string[] = obj.metadata.finalizers ?? [];
    const key = `${k.kind}/${ns}/${name}`;
    // On a HelmRelease the object's name carries the release prefix; controls and charts use the app's name.
    const app = this.hr ? name.slice(k.prefix.length) : name;
    const spec = (this.hr ? obj.spec?.values : obj.spec) ?? {};

    if (obj.metadata.deletionTimestamp) {
      if (!finalizers.includes(FLUX_FINALIZER)) return;
      if (matches(this.controls.slowDelete, k.kind, ns, app)) {
        const due = Date.parse(obj.metadata.deletionTimestamp) + this.controls.slowDeleteSeconds * 1000;
        if (Date.now() < due) {
          if (!this.deletionTimers.has(key)) {
            this.deletionTimers.set(key, setTimeout(() => {
              this.deletionTimers.delete(key);
              this.enqueue(k, ns, name);
            }, due - Date.now() + 10) as unknown as number);
          }
          return;
        }
      }
      await this.uninstall(k, ns, app, spec);
      await this.kube.mergePatch(this.appPath(k, ns, name), {
        metadata: { resourceVersion: obj.metadata.resourceVersion, finalizers: finalizers.filter((f) => f !== FLUX_FINALIZER) },
      });
      return;
    }

    // STAND-IN duty, not Flux's: cozystack-api keeps no managedFields (the Application is
    // rebuilt from the HelmRelease), so a server-side apply that changes a field always
    // conflicts with "before-first-apply". Clearing them after every write does the same.
    const clearManagedFields = !this.hr && (obj.metadata.managedFields ?? []).length > 0 ? { managedFields: [{}] } : {};
    if (!finalizers.includes(FLUX_FINALIZER)) {
      await this.kube.mergePatch(this.appPath(k, ns, name), {
        metadata: { resourceVersion: obj.metadata.resourceVersion, finalizers: [...finalizers, FLUX_FINALIZER], ...clearManagedFields },
      });
      return; // the update brings another event
    }
    if (clearManagedFields.managedFields) {
      await this.kube.mergePatch(this.appPath(k, ns, name), { metadata: { resourceVersion: obj.metadata.resourceVersion, ...clearManagedFields } });
      return;
    }

    const generation: number = obj.metadata.generation ?? 1;
    const prevReady = (obj.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
    const extra: Record<string, unknown> = {};
    if (k.kind === 'Tenant' && !this.hr) extra.namespace = tenantNamespace(ns, app);

    if (matches(this.controls.neverReady, k.kind, ns, app)) {
      await this.setStatus(k, obj, 'Unknown', 'Progressing', 'test reconciler: held back (neverReady)', extra);
      return;
    }
    if (matches(this.controls.failing, k.kind, ns, app)) {
      await this.setStatus(k, obj, 'False', 'InstallFailed', 'test reconciler: install failed (failing)', extra);
      return;
    }
    if (prevReady?.status === 'True' && this.readyGeneration.get(key) === generation) return;
    if (prevReady?.status === 'True' && matches(this.controls.ignoreUpdates, k.kind, ns, app)) return;

    if (this.controls.readyDelayMs > 0) {
      await this.setStatus(k, obj, 'Unknown', 'Progressing', 'Reconciliation in progress', extra);
      await sleep(this.controls.readyDelayMs);
    }

    const release = `${k.prefix}${app}`;
    try {
      if (k.kind === 'Tenant' && !(ns === 'tenant-root' && app === 'root')) await this.installTenant(ns, app, spec);
      if (k.kind === 'Kubernetes') await this.installKubernetes(ns, app);
      await this.installCredentials(k.kind, ns, app, spec);
    } catch (e) {
      if (e instanceof KubeError && (e.status === 422 || e.status === 400 || e.status === 403)) {
        await this.setStatus(k, obj, 'False', 'InstallFailed',
          `Helm install failed for release ${ns}/${release} with chart ${k.kind.toLowerCase()}@${CHART_VERSION}: ${e.message}`, extra);
        return;
      }
      throw e;
    }
    this.readyGeneration.set(key, generation);
    const upgrade = prevReady?.status === 'True';
    const reason = upgrade ? 'UpgradeSucceeded' : 'InstallSucceeded';
    await this.setStatus(k, obj, 'True', reason,
      `Helm ${upgrade ? 'upgrade' : 'install'} succeeded for release ${ns}/${release}.v${generation} with chart ${k.kind.toLowerCase()}@${CHART_VERSION}`, extra);
  }

  private async setStatus(k: Kind, obj: any, status: string, reason: string, message: string, extra: Record<string, unknown>): Promise<void> {
    const generation: number = obj.metadata.generation ?? 1;
    const old: any[] = obj.status?.conditions ?? [];
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const cond = (type: string) => {
      const prev = old.find((c) => c.type === type);
      const st = type === 'Released' && status === 'Unknown' ? (prev?.status ?? 'Unknown') : status;
      return {
        type,
        status: st,
        reason,
        message,
        ...(this.controls.omitObservedGeneration ? {} : { observedGeneration: generation }),
        lastTransitionTime: prev && prev.status === st ? prev.lastTransitionTime : now,
      };
    };
    const conditions = [cond('Ready'), cond('Released')];
    const same = conditions.every((c) => {
      const p = old.find((o) => o.type === c.type);
      return p && p.status === c.status && p.reason === c.reason && p.observedGeneration === c.observedGeneration && p.message === c.message;
    }) && Object.entries(extra).every(([key, v]) => obj.status?.[key] === v)
      && (this.hr
        ? obj.status?.lastAttemptedRevision === CHART_VERSION && obj.status?.observedGeneration === generation
        : obj.status?.version === CHART_VERSION);
    if (same) return;
    // No resourceVersion precondition: observedGeneration says which spec this status is about.
    await this.kube.mergePatch(`${this.appPath(k, obj.metadata.namespace, obj.metadata.name)}/status`, {
      status: this.hr
        ? { conditions, observedGeneration: generation, lastAttemptedRevision: CHART_VERSION }
        : { conditions, version: CHART_VERSION, ...extra },
    });
  }

  /** What the tenant chart renders that the tests can see. */
  private async installTenant(parentNs: string, name: string, spec: any): Promise<void> {
    const ns = tenantNamespace(parentNs, name);
    const parent = await this.kube.get(`/api/v1/namespaces/${parentNs}`);
    const pl: Record<string, string> = parent.metadata.labels ?? {};
    const parentHost = pl['namespace.cozystack.io/host'] ?? '';
    const host = spec.host ? String(spec.host) : parentHost ? `${name}.${parentHost}` : '';
    const provider = (s: string) => (spec[s] === true ? ns : (pl[`namespace.cozystack.io/${s}`] ?? ''));
    const gateway = spec.gateway === true || (spec.host && spec.host !== '') ? ns : (pl['namespace.cozystack.io/gateway'] ?? '');
    const labels: Record<string, string> = { 'tenant.cozystack.io/tenant-root': '' };
    const parts = ns.split('-');
    for (let i = 1; i < parts.length; i++) labels[`tenant.cozystack.io/${parts.slice(0, i + 1).join('-')}`] = '';
    Object.assign(labels, {
      'namespace.cozystack.io/etcd': provider('etcd'),
      'namespace.cozystack.io/ingress': provider('ingress'),
      'namespace.cozystack.io/gateway': gateway,
      'namespace.cozystack.io/monitoring': provider('monitoring'),
      'namespace.cozystack.io/seaweedfs': provider('seaweedfs'),
      'namespace.cozystack.io/host': host,
      'apps.cozystack.io/tenant': name,
    });
    const parentSched = pl['scheduler.cozystack.io/scheduling-class'];
    const sched = parentSched || spec.schedulingClass;
    if (sched) labels['scheduler.cozystack.io/scheduling-class'] = String(sched);

    const body = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: ns,
        labels,
        finalizers: [NAMESPACE_FINALIZER],
        ownerReferences: [{ apiVersion: 'v1', kind: 'Namespace', name: parentNs, uid: parent.metadata.uid, controller: true, blockOwnerDeletion: true }],
      },
    };
    let existed = false;
    try {
      await this.kube.post('/api/v1/namespaces', body);
    } catch (e) {
      if (!(e instanceof KubeError && e.status === 409)) throw e;
      existed = true;
      const cur = await this.kube.get(`/api/v1/namespaces/${ns}`);
      if (cur.metadata.deletionTimestamp) throw new KubeError(409, 'namespace still terminating', 'GET', ns);
      await this.kube.mergePatch(`/api/v1/namespaces/${ns}`, { metadata: { labels } });
    }
    const writes: Array<Promise<void>> = [];

    const values = [
      '_namespace:',
      ...['etcd', 'ingress', 'gateway', 'monitoring', 'seaweedfs', 'host'].map((s) => `  ${s}: ${JSON.stringify(labels[`namespace.cozystack.io/${s}`])}`),
      ...(sched ? [`  schedulingClass: ${JSON.stringify(String(sched))}`] : []),
    ].join('\n') + '\n';
    writes.push(this.upsert(`/api/v1/namespaces/${ns}/secrets`, 'cozystack-values', {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: { name: 'cozystack-values', namespace: ns, labels: { 'reconcile.fluxcd.io/watch': 'Enabled' } },
      stringData: { 'values.yaml': values },
    }));
    writes.push(this.upsert(`/api/v1/namespaces/${ns}/serviceaccounts`, ns, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: ns, namespace: ns } }));

    // cozy:tenant:<level> bound to the groups <ancestor-or-self>-<level or above> (cozy-lib rbac).
    const chain = parts.slice(1).map((_, i) => parts.slice(0, i + 2).join('-'));
    if (!chain.includes('tenant-root')) chain.unshift('tenant-root');
    for (let li = 0; li < LEVELS.length; li++) {
      const subjects = chain.flatMap((a) => [
        { kind: 'ServiceAccount', name: a, namespace: a },
        ...LEVELS.slice(li).map((l) => ({ kind: 'Group', name: `${a}-${l}`, apiGroup: 'rbac.authorization.k8s.io' })),
      ]);
      writes.push(this.upsert(`/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, `cozy:tenant:${LEVELS[li]}`, {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: `cozy:tenant:${LEVELS[li]}`, namespace: ns },
        subjects,
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `cozy:tenant:${LEVELS[li]}` },
      }));
    }

    const quotas = spec.resourceQuotas && typeof spec.resourceQuotas === 'object' ? spec.resourceQuotas : {};
    if (Object.keys(quotas).length > 0) {
      writes.push(this.upsert(`/api/v1/namespaces/${ns}/resourcequotas`, 'tenant-quota', {
        apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'tenant-quota', namespace: ns }, spec: { hard: quotaHard(quotas) },
      }));
    } else if (existed) {
      writes.push(this.kube.delete(`/api/v1/namespaces/${ns}/resourcequotas/tenant-quota`).then(() => {}, ignoreNotFound));
    }
    const results = await Promise.allSettled(writes);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private async installKubernetes(ns: string, name: string): Promise<void> {
    const secret = `kubernetes-${name}-admin-kubeconfig`;
    await this.upsert(`/api/v1/namespaces/${ns}/secrets`, secret, {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: { name: secret, namespace: ns, labels: { 'apps.cozystack.io/application.kind': 'Kubernetes', 'apps.cozystack.io/application.name': name } },
      stringData: { 'super-admin.conf': this.config.tenantClusterKubeconfig, 'admin.conf': this.config.tenantClusterKubeconfig },
    });
  }

  /**
   * The credential Secrets the charts write, as the registry names them: a Tenant's are its
   * Info module's, in its own namespace; the Kubernetes admin kubeconfig is installKubernetes's.
   */
  private async installCredentials(kind: string, ns: string, name: string, spec: any): Promise<void> {
    const own = kind === 'Tenant' ? tenantNamespace(ns, name) : ns;
    for (const c of credentialSecrets(kind, ns, name, spec)) {
      if (kind === 'Kubernetes' && c.secret === `kubernetes-${name}-admin-kubeconfig`) continue;
      await this.upsert(`/api/v1/namespaces/${own}/secrets`, c.secret, {
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'Opaque',
        metadata: { name: c.secret, namespace: own, labels: { 'apps.cozystack.io/application.kind': kind, 'apps.cozystack.io/application.name': name } },
        stringData: Object.fromEntries(c.keys.map((key) => [key, credentialValue(own, c.secret, key)])),
      });
    }
  }

  /** Helm uninstall: what the chart made goes; a Tenant's namespace goes with its subtree. */
  private async uninstall(k: Kind, ns: string, name: string, spec: any = {}): Promise<void> {
    if (k.kind !== 'Tenant') {
      for (const c of credentialSecrets(k.kind, ns, name, spec)) {
        await this.kube.delete(`/api/v1/namespaces/${ns}/secrets/${c.secret}`).catch(ignoreNotFound);
      }
    }
    if (k.kind === 'Tenant') {
      const own = tenantNamespace(ns, name);
      if (own !== 'tenant-root') await this.kube.delete(`/api/v1/namespaces/${own}`).catch(ignoreNotFound);
    }
    if (k.kind === 'Kubernetes') {
      await this.kube.delete(`/api/v1/namespaces/${ns}/secrets/kubernetes-${name}-admin-kubeconfig`).catch(ignoreNotFound);
    }
  }

  /** The namespace controller's part: delete what is inside, then let the namespace go. */
  private async finalizeNamespace(ns: string): Promise<void> {
    const nsObj = await this.kube.tryGet(`/api/v1/namespaces/${ns}`);
    if (!nsObj || !nsObj.metadata.deletionTimestamp) return;
    let remaining = 0;
    for (const k of this.hr ? this.kinds.slice(0, 1) : this.kinds) { // one HelmRelease list covers every kind
      const list = await this.kube.get(this.appPath(k, ns));
      for (const o of list.items ?? []) {
        remaining++;
        if (!o.metadata.deletionTimestamp) await this.kube.delete(this.appPath(k, ns, o.metadata.name)).catch(ignoreNotFound);
      }
    }
    if (remaining > 0) {
      // The apps go through their own finalizers; look again shortly.
      setTimeout(() => this.enqueueNamespaceDeletion(ns), 300);
      return;
    }
    for (const p of ['/api/v1/namespaces/NS/secrets', '/api/v1/namespaces/NS/configmaps', '/api/v1/namespaces/NS/serviceaccounts',
      '/api/v1/namespaces/NS/resourcequotas', '/apis/rbac.authorization.k8s.io/v1/namespaces/NS/rolebindings',
      '/apis/rbac.authorization.k8s.io/v1/namespaces/NS/roles']) {
      await this.kube.delete(p.replace('NS', ns)).catch(ignoreNotFound);
    }
    const fin: string[] = nsObj.metadata.finalizers ?? [];
    if (fin.includes(NAMESPACE_FINALIZER)) {
      await this.kube.mergePatch(`/api/v1/namespaces/${ns}`, {
        metadata: { resourceVersion: nsObj.metadata.resourceVersion, finalizers: fin.filter((f) => f !== NAMESPACE_FINALIZER) },
      });
    }
    const after = await this.kube.tryGet(`/api/v1/namespaces/${ns}`);
    if (after && (after.spec?.finalizers ?? []).includes('kubernetes')) {
      await this.kube.put(`/api/v1/namespaces/${ns}/finalize`, { ...after, spec: { ...after.spec, finalizers: [] } });
    }
  }

  private async upsert(collection: string, name: string, body: any): Promise<void> {
    try {
      await this.kube.post(collection, body);
    } catch (e) {
      if (!(e instanceof KubeError && e.status === 409)) throw e;
      const cur = await this.kube.get(`${collection}/${name}`);
      const merged = { ...body, metadata: { ...body.metadata, resourceVersion: cur.metadata.resourceVersion } };
      if (body.kind === 'Secret' && body.stringData) merged.data = null;
      await this.kube.put(`${collection}/${name}`, merged);
    }
  }
}

/** The made-up value the reconciler writes for one key of a credential Secret: tests look for it in output. */
export function credentialValue(namespace: string, secret: string, key: string): string {
  return `test-secret-value/${namespace}/${secret}/${key}`;
}

/** The credential Secrets of an object as the registry names them (a Tenant: its Info module's, in its own namespace). */
function credentialSecrets(kind: string, ns: string, name: string, spec: any): Array<{ secret: string; keys: string[] }> {
  if (kind === 'Tenant') return deriveNames(REGISTRY.get('Info'), 'info', tenantNamespace(ns, name), undefined).credentials;
  const def = REGISTRY.tryGet(kind);
  if (!def) return [];
  const users = spec?.users && typeof spec.users === 'object' && !Array.isArray(spec.users) ? Object.keys(spec.users).sort() : [];
  return deriveNames(def, name, ns, undefined, users).credentials;
}

function ignoreNotFound(e: unknown): void {
  if (e instanceof KubeError && e.status === 404) return;
  throw e;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function log(msg: string): void {
  process.stderr.write(`${new Date().toISOString()} test-reconciler: ${msg}\n`);
}

/** Entry point when run as a process: `test-reconciler.ts <state dir>`. */
async function main(stateDir: string): Promise<void> {
  const config: ReconcilerConfig = JSON.parse(fs.readFileSync(path.join(stateDir, 'cluster.json'), 'utf8')).reconciler;
  const r = new TestReconciler(config);
  if (config.webhook) await startStandinWebhook(config.webhook, new KubeClient(config.management), log);
  await r.start();
  fs.writeFileSync(path.join(stateDir, 'reconciler.ready'), String(process.pid));
  log('started');
  const stop = () => {
    r.stop();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  reapWhenUnused(stateDir, r);
}

/**
 * A cluster started by tests (no `persistent` file) stops itself 20 s after the
 * last process listed in `users/` is gone: every test file of a jest run shares
 * one cluster without a global setup, and nothing outlives the run.
 */
function reapWhenUnused(stateDir: string, r: TestReconciler): void {
  const GRACE_MS = 20_000;
  let unusedSince = Date.now();
  const timer = setInterval(() => {
    if (!fs.existsSync(path.join(stateDir, 'state.json')) || fs.existsSync(path.join(stateDir, 'persistent'))) {
      unusedSince = Date.now();
      return;
    }
    let users: string[] = [];
    try {
      users = fs.readdirSync(path.join(stateDir, 'users'));
    } catch {
      // none yet
    }
    const inUse = users.some((u) => {
      try {
        process.kill(Number(u), 0);
        return true;
      } catch {
        return false;
      }
    });
    if (inUse) {
      unusedSince = Date.now();
      return;
    }
    if (Date.now() - unusedSince < GRACE_MS) return;
    clearInterval(timer);
    log('no user left: stopping the test cluster');
    r.stop();
    const state = JSON.parse(fs.readFileSync(path.join(stateDir, 'state.json'), 'utf8'));
    for (const pid of Object.values(state.pids) as number[]) {
      if (pid === process.pid) continue;
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // gone
        }
      }
    }
    setTimeout(() => {
      // The real cozystack-api's network namespace (real-cluster.ts setupNetns), if any.
      const netns = path.join(stateDir, 'netns');
      if (fs.existsSync(netns)) {
        const name = fs.readFileSync(netns, 'utf8').trim();
        spawnSync('ip', ['link', 'del', `${name}-h`]);
        spawnSync('ip', ['netns', 'del', name]);
      }
      fs.rmSync(stateDir, { recursive: true, force: true });
      process.exit(0);
    }, 3000);
  }, 1000);
}

if (require.main === module) {
  main(process.argv[2]).catch((e) => {
    log(`fatal: ${(e as Error).stack ?? e}`);
    process.exit(1);
  });
}
