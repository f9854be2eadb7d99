/**
 * `plan`: what applying a bundle over the previously applied one changes, per wave,
 * and which of those changes destroy data (SPEC.md §3 to §5): deleting a Tenant
 * (its whole subtree goes with it), a Kubernetes cluster or a Postgres, turning a
 * module flag off, deleting a module's tuning object, changing an immutable field,
 * changing a tenant's host. Destructive changes must be allowed one by one.
 *
 * Each tenant Kubernetes cluster's workloads bundle is compared apart ("cluster
 * tenant-foo/cluster1: created / updated / deleted"): deleting a PersistentVolumeClaim
 * there deletes its data, and is allowed as `PersistentVolumeClaim/<ns>/<name>@<tenant ns>/<cluster>`.
 */
import { ROOT_NAMESPACE, ROOT_TENANT_NAME } from '../domain/inheritance';
import { MANAGED_BY_LABEL } from '../constructs/private/api-object';
import { tryParseQuantity } from '../domain/quantity';
import { CLUSTER_SERVICES } from '../constructs/tenant';
import { LoadedBundle, LoadedClusterObject, LoadedObject, objectKey, Topology, TopologyTenant } from '../bundle/read';
import { chartReleaseOf, immutableFields, valuesAt } from '../domain/immutable';

/** One changed field: `before` or `after` is undefined when the field is absent. */
export interface FieldChange {
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

export type ChangeAction = 'create' | 'update' | 'delete';

/** One object the plan creates, updates or deletes. */
export interface PlanChange {
  readonly action: ChangeAction;
  /** The wave it is applied in (for deletions: the wave it had in the previous bundle). */
  readonly wave: number;
  readonly key: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** The construct path that declared it. */
  readonly path: string;
  /** For updates: what changed in `spec` and `metadata.labels`. */
  readonly fields: FieldChange[];
}

export type DestructionKind =
  | 'tenant-deletion' | 'app-deletion' | 'module-disabled' | 'module-tuning-deletion'
  | 'immutable-field' | 'host-change' | 'volume-deletion';

/** One object of a tenant cluster's bundle that the plan creates, updates or deletes. */
export interface ClusterChange {
  readonly action: ChangeAction;
  /** `Kind/namespace/name@<tenant namespace>/<cluster>`. */
  readonly key: string;
  readonly apiVersion: string;
  readonly kind: string;
  /** The namespace inside the tenant cluster ('' when cluster-scoped). */
  readonly namespace: string;
  readonly name: string;
  /** For updates: what changed (every field but apiVersion, kind, name and namespace). */
  readonly fields: FieldChange[];
}

/**
 * What happens to a tenant cluster's bundle: `new`, `changed`, `unchanged`; `bundle-removed`
 * when the bundle is gone but the Kubernetes object stays; `cluster-deleted` when the
 * cluster goes with it.
 */
export type ClusterStatus = 'new' | 'changed' | 'unchanged' | 'bundle-removed' | 'cluster-deleted';

/** The plan of one tenant cluster's workloads, applied through its own API. */
export interface ClusterPlan {
  /** `<tenant namespace>/<cluster>`. */
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  /** The key of the cluster's Kubernetes object in the management bundle. */
  readonly key: string;
  readonly status: ClusterStatus;
  /** The bundle's files (the previous ones when it was removed). */
  readonly files: string[];
  readonly changes: ClusterChange[];
  readonly unchanged: number;
}

/** A destructive change: what it destroys and whether `--allow-destroy` allows it. */
export interface Destruction {
  readonly type: DestructionKind;
  /** The object whose change is destructive (`Kind/namespace/name`); what `--allow-destroy` takes. */
  readonly key: string;
  readonly summary: string;
  /** What goes with it, one item a line. */
  readonly destroys: string[];
  /** Another allowed key that allows this one too (a deleted ancestor tenant, the tenant a host change comes from). */
  readonly coveredBy?: string;
  readonly allowed: boolean;
}

export interface WavePlan {
  readonly wave: number;
  readonly file?: string;
  readonly changes: PlanChange[];
}

export interface Plan {
  readonly bundle: string;
  readonly from: string;
  readonly waves: WavePlan[];
  /** Every tenant cluster with a workloads bundle in either bundle, by id. */
  readonly clusters: ClusterPlan[];
  readonly destructive: Destruction[];
  readonly notes: string[];
  readonly summary: {
    create: number;
    update: number;
    delete: number;
    unchanged: number;
    destructive: number;
    notAllowed: number;
    /** The objects of every tenant cluster's bundle. */
    clusters: { create: number; update: number; delete: number; unchanged: number };
  };
  /** 0 when safe or every destructive change is allowed, 2 otherwise. */
  readonly exitCode: number;
}

const ROOT_KEY = objectKey({ kind: 'Tenant', namespace: ROOT_NAMESPACE, name: ROOT_TENANT_NAME });
const MODULE_KINDS: Record<string, string> = { Etcd: 'etcd', Ingress: 'ingress', Monitoring: 'monitoring' };

/** Whether a key is the platform's root tenant, which is never deleted. */
export function isRootTenantKey(key: string): boolean {
  return key === ROOT_KEY;
}

/**
 * Parses `--allow-destroy`: `kind/namespace/name` on the management cluster, or
 * `kind/namespace/name@<tenant namespace>/<cluster>` inside a tenant cluster (the namespace
 * written out, `default` included). Kinds match case-insensitively.
 */
export function parseAllow(entries: string[]): Set<string> {
  const out = new Set<string>();
  for (const e of entries) {
    const [object, cluster, ...rest] = e.split('@');
    const parts = object.split('/');
    const clusterParts = cluster?.split('/') ?? [];
    const bad = parts.length !== 3 || parts.some(p => p === '') || rest.length > 0
      || (cluster !== undefined && (clusterParts.length !== 2 || clusterParts.some(p => p === '')));
    if (bad) {
      throw new Error(`--allow-destroy "${e}" is not kind/namespace/name (e.g. Tenant/tenant-root/foo or Postgres/tenant-foo/db1), nor `
        + 'kind/namespace/name@<tenant namespace>/<cluster> for an object inside a tenant cluster (e.g. PersistentVolumeClaim/default/data@tenant-foo/cluster1).');
    }
    out.add(normalizeKey(e));
  }
  return out;
}

function normalizeKey(key: string): string {
  const at = key.indexOf('@');
  const object = at < 0 ? key : key.slice(0, at);
  const slash = object.indexOf('/');
  return `${object.slice(0, slash).toLowerCase()}${object.slice(slash)}${at < 0 ? '' : key.slice(at)}`;
}

/** A field-level diff: leaves that differ, arrays compared whole. */
export function diffFields(before: unknown, after: unknown, at: string): FieldChange[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  if (isPlain(before) && isPlain(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap(k => diffFields(before[k], after[k], `${at}.${k}`));
  }
  return [{ path: at, before, after }];
}

function isPlain(x: unknown): x is Record<string, any> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function changeOf(action: ChangeAction, o: LoadedObject, fields: FieldChange[] = []): PlanChange {
  return {
    action,
    wave: o.wave,
    key: o.key,
    apiVersion: o.ref.apiVersion,
    kind: o.ref.kind,
    namespace: o.ref.namespace,
    name: o.ref.name,
    path: o.ref.path,
    fields,
  };
}

/** The tenants of a topology by the key of their Tenant object. */
function tenantsByKey(t: Topology): Map<string, TopologyTenant> {
  const out = new Map<string, TopologyTenant>();
  for (const tenant of t.tenants) {
    const ns = tenant.parentNamespace ?? tenant.namespace;
    out.set(objectKey({ kind: 'Tenant', namespace: ns, name: tenant.name }), tenant);
  }
  return out;
}

/** Namespaces at or below `ns` in a topology. */
function subtreeNamespaces(t: Topology, ns: string): Set<string> {
  const out = new Set([ns]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const tenant of t.tenants) {
      if (tenant.parentNamespace && out.has(tenant.parentNamespace) && !out.has(tenant.namespace)) {
        out.add(tenant.namespace);
        grew = true;
      }
    }
  }
  return out;
}

function show(v: unknown): string {
  return v === undefined ? '(absent)' : JSON.stringify(v);
}

export interface PlanOptions {
  readonly allowDestroy?: string[];
}

/** Compares `current` with `previous` (the last applied bundle). */
export function computePlan(previous: LoadedBundle, current: LoadedBundle, options: PlanOptions = {}): Plan {
  const allow = parseAllow(options.allowDestroy ?? []);
  const changes: PlanChange[] = [];
  const notes: string[] = [];
  const destructive: Omit<Destruction, 'allowed'>[] = [];
  let unchanged = 0;

  for (const o of current.objects.values()) {
    const before = previous.objects.get(o.key);
    if (!before) {
      changes.push(changeOf('create', o));
      continue;
    }
    const fields = [
      ...diffFields(before.manifest.metadata?.labels, o.manifest.metadata?.labels, 'metadata.labels'),
      ...diffFields(before.manifest.spec, o.manifest.spec, 'spec'),
    ];
    if (fields.length === 0) unchanged++;
    else changes.push(changeOf('update', o, fields));
    if (before.wave !== o.wave) notes.push(`${o.key} moves from wave ${before.wave} to wave ${o.wave}.`);
  }
  for (const o of previous.objects.values()) {
    if (current.objects.has(o.key)) continue;
    if (isRootTenantKey(o.key)) {
      notes.push(`${o.key} (the platform's root tenant) is no longer in the bundle. It is never deleted; its module flags stay as they are on the cluster.`);
      continue;
    }
    changes.push(changeOf('delete', o));
  }

  const prevTenants = tenantsByKey(previous.topology);
  const curTenants = tenantsByKey(current.topology);
  const deletedTenantNamespaces = new Map<string, string>(); // tenant namespace -> key of the deleted Tenant

  // Tenant deletions first, so that everything inside them is attributed to them.
  for (const c of changes.filter(x => x.action === 'delete' && x.kind === 'Tenant')) {
    const t = prevTenants.get(c.key);
    if (t) deletedTenantNamespaces.set(t.namespace, c.key);
  }
  /** The outermost deleted tenant whose subtree holds `ns`, if any. */
  const deletedAncestor = (ns: string, self?: string): string | undefined => {
    let found: string | undefined;
    let t = previous.topology.tenants.find(x => x.namespace === ns);
    while (t) {
      const k = deletedTenantNamespaces.get(t.namespace);
      if (k && k !== self) found = k;
      const parentNs = t.parentNamespace;
      t = parentNs ? previous.topology.tenants.find(x => x.namespace === parentNs) : undefined;
    }
    return found;
  };

  for (const c of changes) {
    if (c.action === 'delete') {
      if (c.kind === 'Tenant') {
        const t = prevTenants.get(c.key);
        const ns = t?.namespace;
        const items: string[] = [];
        if (ns) {
          const sub = subtreeNamespaces(previous.topology, ns);
          items.push(`namespace ${ns} and every volume in it`);
          for (const d of previous.topology.tenants) {
            if (d.namespace !== ns && sub.has(d.namespace)) items.push(`Tenant ${d.name} (namespace ${d.namespace}, ${d.host})`);
          }
          for (const a of previous.topology.apps) if (sub.has(a.namespace)) items.push(`${a.kind} ${a.name} in ${a.namespace}`);
          for (const o of previous.objects.values()) {
            if (sub.has(o.ref.namespace) && MODULE_KINDS[o.ref.kind]) items.push(`${o.ref.kind} ${o.ref.name} in ${o.ref.namespace} (module tuning)`);
          }
          for (const m of t!.modules) items.push(`the ${m} module of ${ns} and its data`);
        }
        destructive.push({
          type: 'tenant-deletion',
          key: c.key,
          summary: `Deleting Tenant ${c.name} in ${c.namespace} deletes ${ns ? `namespace ${ns} and ` : ''}its whole subtree with all data.`,
          destroys: items,
          coveredBy: ns ? deletedAncestor(c.namespace) : undefined,
        });
      } else if (c.kind === 'Kubernetes' || c.kind === 'Postgres') {
        const what = c.kind === 'Kubernetes'
          ? [`tenant Kubernetes cluster kubernetes-${c.name}: its control plane, nodes (VMs) and their volumes`, `Secret kubernetes-${c.name}-admin-kubeconfig`]
          : [`database postgres-${c.name}: its instances and volumes`, `Secret postgres-${c.name}-credentials`];
        destructive.push({
          type: 'app-deletion',
          key: c.key,
          summary: `Deleting ${c.kind} ${c.name} in ${c.namespace} deletes it with its data.`,
          destroys: what,
          coveredBy: deletedAncestor(c.namespace),
        });
      } else if (MODULE_KINDS[c.kind] && c.name === MODULE_KINDS[c.kind]) {
        destructive.push({
          type: 'module-tuning-deletion',
          key: c.key,
          summary: `Deleting ${c.kind} ${c.name} in ${c.namespace} deletes the ${c.name} HelmRelease of ${c.namespace}.`,
          destroys: [`the ${c.name} service of ${c.namespace} and its data`, ...consumers(previous.topology, c.name, c.namespace)],
          coveredBy: deletedAncestor(c.namespace),
        });
      }
      continue;
    }
    if (c.action !== 'update') continue;
    const before = previous.objects.get(c.key)!.manifest.spec ?? {};
    const after = current.objects.get(c.key)!.manifest.spec ?? {};
    if (c.kind === 'Tenant') {
      const t = prevTenants.get(c.key);
      const ns = t?.namespace ?? (isRootTenantKey(c.key) ? ROOT_NAMESPACE : undefined);
      for (const s of CLUSTER_SERVICES) {
        if (before[s] === true && after[s] !== true) {
          destructive.push({
            type: 'module-disabled',
            key: c.key,
            summary: `Tenant ${c.name} in ${c.namespace}: module flag spec.${s} turns ${after[s] === false ? 'false' : 'absent (false)'}; that deletes the ${s} service${ns ? ` of ${ns}` : ''} and its data.`,
            destroys: [`the ${s} HelmRelease${ns ? ` in ${ns}` : ''} and its data`, ...(ns ? consumers(previous.topology, s, ns) : [])],
          });
        }
      }
    }
    const release = chartReleaseOf(current.index.cozystackVersion);
    for (const f of immutableFields(release, c.kind)) {
      const nested = f.path.includes('*');
      for (const v of valuesAt(before, after, f.path)) {
        if (nested && (v.before === undefined || v.after === undefined)) continue;
        const b = v.before ?? f.default;
        const a = v.after ?? f.default;
        if (JSON.stringify(a) === JSON.stringify(b)) continue;
        destructive.push({
          type: 'immutable-field',
          key: c.key,
          summary: `${c.kind} ${c.name} in ${c.namespace}: spec.${v.path.join('.')} is immutable (${f.message}) and changes from ${show(b)} to ${show(a)}. The server rejects the update; going through means deleting and re-creating the object with its data.`,
          destroys: c.kind === 'Kubernetes' || c.kind === 'Postgres' ? [`${c.kind} ${c.name} and its volumes, if re-created to get the change through`] : [],
        });
      }
    }
  }

  // Host changes come from topology: a tenant's host is derived, its spec may not change at all.
  for (const [key, t] of curTenants) {
    const p = prevTenants.get(key);
    if (!p || p.host === t.host) continue;
    const parent = t.parentNamespace ? previous.topology.tenants.find(x => x.namespace === t.parentNamespace) : undefined;
    const parentCur = t.parentNamespace ? current.topology.tenants.find(x => x.namespace === t.parentNamespace) : undefined;
    const inherited = parent && parentCur && parent.host !== parentCur.host && t.host === `${t.name}.${parentCur.host}`;
    const parentKey = parent ? [...prevTenants.entries()].find(([, x]) => x === parent)?.[0] : undefined;
    const apps = current.topology.apps.filter(a => a.namespace === t.namespace).map(a => `${a.kind} ${a.name}: endpoint moves to ${a.host}`);
    destructive.push({
      type: 'host-change',
      key,
      summary: `Tenant ${t.name} (${t.namespace}): host changes from ${p.host} to ${t.host}${inherited ? ' (inherited from its parent)' : ''}. Every endpoint and certificate under it moves; since v1.5 only cluster-admins may change a tenant host.`,
      destroys: [`the ${p.host} endpoints of namespace ${t.namespace}`, ...apps],
      coveredBy: inherited ? parentKey : undefined,
    });
  }

  const clusters = planClusters(previous, current, destructive, notes);

  // Allowed: by its own key, or by the key it is covered by (recursively).
  const allowedKey = (k: string | undefined) => k !== undefined && allow.has(normalizeKey(k));
  const byKey = new Map(destructive.map(d => [d.key, d]));
  const isAllowed = (d: Omit<Destruction, 'allowed'>, depth = 0): boolean => {
    if (allowedKey(d.key)) return true;
    if (!d.coveredBy || depth > 64) return false;
    const cover = byKey.get(d.coveredBy);
    return allowedKey(d.coveredBy) || (cover !== undefined && isAllowed(cover, depth + 1));
  };
  const final: Destruction[] = destructive.map(d => ({ ...d, allowed: isAllowed(d) }));
  const used = new Set(final.flatMap(d => [d.key, d.coveredBy].filter((k): k is string => !!k)).map(normalizeKey));
  for (const a of options.allowDestroy ?? []) {
    if (!used.has(normalizeKey(a))) notes.push(`--allow-destroy ${a} matches no destructive change.`);
  }

  const unlabelled = [...current.objects.values()]
    .filter(o => !isRootTenantKey(o.key) && o.manifest.metadata?.labels?.[MANAGED_BY_LABEL] === undefined);
  for (const o of unlabelled) notes.push(`${o.key} carries no ${MANAGED_BY_LABEL} label: apply will never prune it.`);

  const waveNumbers = [...new Set([...current.waves.map(w => w.wave), ...changes.map(c => c.wave)])].sort((a, b) => a - b);
  const order: Record<ChangeAction, number> = { create: 0, update: 1, delete: 2 };
  const waves: WavePlan[] = waveNumbers.map(n => ({
    wave: n,
    file: current.waves.find(w => w.wave === n)?.file,
    changes: changes.filter(c => c.wave === n).sort((a, b) => order[a.action] - order[b.action] || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
  })).filter(w => w.changes.length > 0);

  const notAllowed = final.filter(d => !d.allowed).length;
  const clusterChanges = clusters.flatMap(c => c.changes);
  return {
    bundle: current.dir,
    from: previous.dir,
    waves,
    clusters,
    destructive: final,
    notes,
    summary: {
      create: changes.filter(c => c.action === 'create').length,
      update: changes.filter(c => c.action === 'update').length,
      delete: changes.filter(c => c.action === 'delete').length,
      unchanged,
      destructive: final.length,
      notAllowed,
      clusters: {
        create: clusterChanges.filter(c => c.action === 'create').length,
        update: clusterChanges.filter(c => c.action === 'update').length,
        delete: clusterChanges.filter(c => c.action === 'delete').length,
        unchanged: clusters.reduce((n, c) => n + c.unchanged, 0),
      },
    },
    exitCode: notAllowed > 0 ? 2 : 0,
  };
}

/** Tenants and apps that use a tenant's service (they lose it with it). */
function consumers(t: Topology, service: string, ns: string): string[] {
  const out: string[] = [];
  for (const x of t.tenants) {
    if (x.namespace !== ns && x.services?.[service] === ns) out.push(`used by Tenant ${x.name} (${x.namespace})`);
  }
  for (const a of t.apps) if (a.services?.[service] === ns) out.push(`used by ${a.kind} ${a.name} in ${a.namespace}`);
  return out;
}

/** What a tenant cluster's manifest is compared on: all but the identity of the object. */
function comparable(m: any): any {
  const { kind: _kind, metadata, ...rest } = m ?? {};
  const { name: _name, namespace: _namespace, ...meta } = metadata ?? {};
  return { ...rest, metadata: meta };
}

/** PersistentVolumeClaim fields the API server refuses to change once the claim exists. */
const PVC_IMMUTABLE = ['storageClassName', 'accessModes', 'volumeMode', 'volumeName', 'selector', 'dataSource'];

/** Compares each tenant cluster's workloads bundle; adds its destructive changes and notes. */
function planClusters(previous: LoadedBundle, current: LoadedBundle, destructive: Omit<Destruction, 'allowed'>[], notes: string[]): ClusterPlan[] {
  const prev = new Map(previous.clusters.map(c => [c.id, c]));
  const cur = new Map(current.clusters.map(c => [c.id, c]));
  const ids = [...new Set([...prev.keys(), ...cur.keys()])].sort();
  const out: ClusterPlan[] = [];
  const order: Record<ChangeAction, number> = { create: 0, update: 1, delete: 2 };
  for (const id of ids) {
    const before = prev.get(id);
    const after = cur.get(id);
    const any = (after ?? before)!;
    const beforeObjects = new Map((before?.objects ?? []).map(o => [o.key, o]));
    const afterObjects = new Map((after?.objects ?? []).map(o => [o.key, o]));
    const changes: ClusterChange[] = [];
    let unchanged = 0;
    for (const o of afterObjects.values()) {
      const b = beforeObjects.get(o.key);
      if (!b) {
        changes.push(clusterChange('create', o));
        continue;
      }
      const fields = diffFields(comparable(b.manifest), comparable(o.manifest), '').map(f => ({ ...f, path: f.path.replace(/^\./, '') }));
      if (fields.length === 0) unchanged++;
      else changes.push(clusterChange('update', o, fields));
    }
    for (const o of beforeObjects.values()) if (!afterObjects.has(o.key)) changes.push(clusterChange('delete', o));
    changes.sort((a, b) => order[a.action] - order[b.action] || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

    const clusterGoes = !after && !current.objects.has(any.key);
    const status: ClusterStatus = !after ? (clusterGoes ? 'cluster-deleted' : 'bundle-removed') : !before ? 'new' : changes.length > 0 ? 'changed' : 'unchanged';
    out.push({ id, namespace: any.namespace, name: any.name, key: any.key, status, files: any.files, changes, unchanged });

    if (clusterGoes) {
      // The cluster's own deletion is the destructive change; its volumes go with it.
      const d = destructive.find(x => x.key === any.key && x.type === 'app-deletion');
      for (const o of before!.objects.filter(x => x.kind === 'PersistentVolumeClaim')) {
        d?.destroys.push(`PersistentVolumeClaim ${o.namespace}/${o.name} inside it, with its data${volumeDetails(o)}`);
      }
      continue;
    }
    if (status === 'bundle-removed') {
      notes.push(`Tenant cluster ${id} has no workloads bundle any more, but its Kubernetes object stays: the ${before!.objects.length} object`
        + `${before!.objects.length === 1 ? '' : 's'} of its previous bundle (${before!.files.join(', ')}) are deleted from the bundle. `
        + 'If the workloads scope was emptied by mistake, restore it before applying.');
    }
    for (const c of changes) {
      if (c.kind === 'PersistentVolumeClaim' && c.action === 'delete') {
        const o = beforeObjects.get(c.key)!;
        destructive.push({
          type: 'volume-deletion',
          key: c.key,
          summary: `Deleting PersistentVolumeClaim ${c.namespace}/${c.name} in tenant cluster ${id} deletes its volume and the data on it.`,
          destroys: [`the data of PersistentVolumeClaim ${c.namespace}/${c.name}${volumeDetails(o)}`,
            'its PersistentVolume, when the storage class reclaims with Delete (the default)'],
        });
      }
      if (c.kind === 'PersistentVolumeClaim' && c.action === 'update') destructive.push(...pvcUpdate(id, c, beforeObjects.get(c.key)!, afterObjects.get(c.key)!));
    }
    const unowned = changes.filter(c => c.action === 'delete' && beforeObjects.get(c.key)!.manifest.metadata?.labels?.[MANAGED_BY_LABEL] === undefined);
    if (unowned.length > 0) {
      notes.push(`Tenant cluster ${id}: ${unowned.map(c => `${c.kind} ${c.namespace ? `${c.namespace}/` : ''}${c.name}`).join(', ')} `
        + `carr${unowned.length === 1 ? 'ies' : 'y'} no ${MANAGED_BY_LABEL} label, so apply keeps ${unowned.length === 1 ? 'it' : 'them'} in the cluster; `
        + 'delete by hand what you meant to remove.');
    }
  }
  return out;
}

function clusterChange(action: ChangeAction, o: LoadedClusterObject, fields: FieldChange[] = []): ClusterChange {
  return { action, key: o.key, apiVersion: o.apiVersion, kind: o.kind, namespace: o.namespace, name: o.name, fields };
}

function volumeDetails(o: LoadedClusterObject): string {
  const size = o.manifest.spec?.resources?.requests?.storage;
  const sc = o.manifest.spec?.storageClassName;
  const parts = [size ? `${size}` : undefined, sc ? `storage class ${sc}` : undefined].filter(Boolean);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

/** A claim's immutable fields, and its size, which can only grow. */
function pvcUpdate(id: string, c: ClusterChange, before: LoadedClusterObject, after: LoadedClusterObject): Omit<Destruction, 'allowed'>[] {
  const out: Omit<Destruction, 'allowed'>[] = [];
  const b = before.manifest.spec ?? {};
  const a = after.manifest.spec ?? {};
  const what = `PersistentVolumeClaim ${c.namespace}/${c.name} in tenant cluster ${id}`;
  const recreate = 'The server rejects the update; going through means deleting the claim and its data and creating it again.';
  for (const f of PVC_IMMUTABLE) {
    if (JSON.stringify(b[f]) === JSON.stringify(a[f])) continue;
    out.push({ type: 'immutable-field', key: c.key, summary: `${what}: spec.${f} is immutable and changes from ${show(b[f])} to ${show(a[f])}. ${recreate}`, destroys: [`the data of ${what}`] });
  }
  const from = tryParseQuantity(b.resources?.requests?.storage ?? '0');
  const to = tryParseQuantity(a.resources?.requests?.storage ?? '0');
  if (typeof from !== 'string' && typeof to !== 'string' && to.compare(from) < 0) {
    out.push({
      type: 'immutable-field',
      key: c.key,
      summary: `${what}: spec.resources.requests.storage shrinks from ${b.resources.requests.storage} to ${a.resources?.requests?.storage}; volumes only grow. ${recreate}`,
      destroys: [`the data of ${what}`],
    });
  }
  return out;
}

/** The clusters of a plan whose bundle changes, in order. */
export function changedClusters(plan: Plan): ClusterPlan[] {
  return plan.clusters.filter(c => c.changes.length > 0 || c.status === 'bundle-removed');
}
