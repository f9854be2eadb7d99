/**
 * `plan`: what applying a bundle over the previously applied one changes, per wave,
 * and which of those changes destroy data (SPEC.md §3 to §5): deleting a Tenant
 * (its whole subtree goes with it), a Kubernetes cluster or a Postgres, turning a
 * module flag off, deleting a module's tuning object, changing an immutable field,
 * changing a tenant's host. Destructive changes must be allowed one by one.
 */
import { ROOT_NAMESPACE, ROOT_TENANT_NAME } from '../inheritance';
import { MANAGED_BY_LABEL } from '../private/api-object';
import { CLUSTER_SERVICES } from '../tenant';
import { LoadedBundle, LoadedObject, objectKey, Topology, TopologyTenant } from './bundle-reader';
import { chartReleaseOf, immutableFields, valuesAt } from './immutable';

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
  | 'immutable-field' | 'host-change';

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
  readonly destructive: Destruction[];
  readonly notes: string[];
  readonly summary: { create: number; update: number; delete: number; unchanged: number; destructive: number; notAllowed: number };
  /** 0 when safe or every destructive change is allowed, 2 otherwise. */
  readonly exitCode: number;
}

const ROOT_KEY = objectKey({ kind: 'Tenant', namespace: ROOT_NAMESPACE, name: ROOT_TENANT_NAME });
const MODULE_KINDS: Record<string, string> = { Etcd: 'etcd', Ingress: 'ingress', Monitoring: 'monitoring' };

/** Whether a key is the platform's root tenant, which is never deleted. */
export function isRootTenantKey(key: string): boolean {
  return key === ROOT_KEY;
}

/** Parses `--allow-destroy kind/namespace/name`; kinds match case-insensitively. */
export function parseAllow(entries: string[]): Set<string> {
  const out = new Set<string>();
  for (const e of entries) {
    const parts = e.split('/');
    if (parts.length !== 3 || parts.some(p => p === '')) {
      throw new Error(`--allow-destroy "${e}" is not kind/namespace/name, e.g. Tenant/tenant-root/foo or Postgres/tenant-foo/db1.`);
    }
    out.add(normalizeKey(e));
  }
  return out;
}

function normalizeKey(key: string): string {
  const [kind, ns, name] = key.split('/');
  return `${kind.toLowerCase()}/${ns}/${name}`;
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
  return {
    bundle: current.dir,
    from: previous.dir,
    waves,
    destructive: final,
    notes,
    summary: {
      create: changes.filter(c => c.action === 'create').length,
      update: changes.filter(c => c.action === 'update').length,
      delete: changes.filter(c => c.action === 'delete').length,
      unchanged,
      destructive: final.length,
      notAllowed,
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
