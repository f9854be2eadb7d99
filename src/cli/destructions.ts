/**
 * The kinds of destruction `plan` finds (SPEC.md §3 to §5), one small function each.
 * Every function reads the change list and the two bundles' indexes and returns its
 * findings with their reason; none derives a Cozystack name: releases, Secrets, what an
 * app uses and whether it holds data are what the bundles record.
 */
import type { ClusterChange, Destruction, PlanChange } from './plan';
import { BundleIndex, tenantKey } from './plan-index';
import { LoadedClusterObject } from '../bundle/read';
import { destructiveUpdates } from '../domain/destructive-updates';
import { chartReleaseOf, immutableFields, valuesAt } from '../domain/immutable';
import { tryParseQuantity } from '../domain/quantity';

/** A destructive change before `--allow-destroy` is applied to it. */
export type Finding = Omit<Destruction, 'allowed'>;

/** What every rule reads. */
export interface PlanContext {
  readonly previous: BundleIndex;
  readonly current: BundleIndex;
  /** The management cluster's changes, creations and updates in bundle order, then deletions. */
  readonly changes: readonly PlanChange[];
}

/** One rule: the findings of one kind of destruction. */
export type DestructionRule = (ctx: PlanContext) => Finding[];

function show(v: unknown): string {
  return v === undefined ? '(absent)' : JSON.stringify(v);
}

function deletions(ctx: PlanContext): PlanChange[] {
  return ctx.changes.filter(c => c.action === 'delete');
}

function updates(ctx: PlanContext): PlanChange[] {
  return ctx.changes.filter(c => c.action === 'update');
}

/** The keys of the Tenant objects the plan deletes, by the namespace of their tenant. */
const deletedTenantsCache = new WeakMap<PlanContext, Map<string, string>>();
function deletedTenants(ctx: PlanContext): Map<string, string> {
  let out = deletedTenantsCache.get(ctx);
  if (!out) {
    out = new Map();
    for (const c of deletions(ctx)) {
      const t = c.kind === 'Tenant' ? ctx.previous.tenantByKey(c.key) : undefined;
      if (t) out.set(t.namespace, c.key);
    }
    deletedTenantsCache.set(ctx, out);
  }
  return out;
}

/** The outermost deleted tenant whose subtree holds namespace `ns` (other than `self`), if any. */
function deletedAncestor(ctx: PlanContext, ns: string, self?: string): string | undefined {
  const deleted = deletedTenants(ctx);
  let found: string | undefined;
  for (const t of ctx.previous.upwards(ns)) {
    const k = deleted.get(t.namespace);
    if (k && k !== self) found = k;
  }
  return found;
}

/** Deleting a Tenant deletes its namespace and its whole subtree with all data. */
export const tenantDeletions: DestructionRule = ctx => {
  const out: Finding[] = [];
  for (const c of deletions(ctx)) {
    if (c.kind !== 'Tenant') continue;
    const t = ctx.previous.tenantByKey(c.key);
    const items: string[] = [];
    if (t) {
      items.push(`namespace ${t.namespace} and every volume in it`);
      const subtree = ctx.previous.subtree(t);
      for (const d of subtree.slice(1)) items.push(`Tenant ${d.name} (namespace ${d.namespace}, ${d.host})`);
      for (const d of subtree) {
        for (const a of ctx.previous.appsIn(d.namespace)) items.push(`${a.kind} ${a.name} in ${a.namespace}${a.module ? ' (module tuning)' : ''}`);
      }
      for (const m of t.modules) items.push(`the ${m} module of ${t.namespace} and its data`);
    }
    out.push({
      type: 'tenant-deletion',
      key: c.key,
      summary: `Deleting Tenant ${c.name} in ${c.namespace} deletes ${t ? `namespace ${t.namespace} and ` : ''}its whole subtree with all data.`,
      destroys: items,
      coveredBy: t ? deletedAncestor(ctx, c.namespace) : undefined,
    });
  }
  return out;
};

/** Deleting an app of a kind that holds data deletes the data (and, for a tenant cluster, the volumes inside it). */
export const appDeletions: DestructionRule = ctx => {
  const out: Finding[] = [];
  for (const c of deletions(ctx)) {
    const a = ctx.previous.app(c.key);
    if (!a || a.module || !a.holdsData) continue;
    const destroys = [
      `${a.kind} ${a.name}'s HelmRelease ${a.release} (chart ${a.chart}): everything it runs and its volumes`,
      ...a.credentials.map(s => `Secret ${s.secret} (${s.description})`),
    ];
    // A tenant cluster deleted with its workloads bundle: the volumes inside it go too.
    const cluster = ctx.current.cluster(c.key) ? undefined : ctx.previous.cluster(c.key);
    for (const o of cluster?.objects ?? []) {
      if (o.kind === 'PersistentVolumeClaim') destroys.push(`PersistentVolumeClaim ${o.namespace}/${o.name} inside it, with its data${volumeDetails(o)}`);
    }
    out.push({
      type: 'app-deletion',
      key: c.key,
      summary: `Deleting ${c.kind} ${c.name} in ${c.namespace} deletes it with its data.`,
      destroys,
      coveredBy: deletedAncestor(ctx, c.namespace),
    });
  }
  return out;
};

/** Deleting a module's tuning object deletes the module's HelmRelease: the service, and its data. */
export const moduleTuningDeletions: DestructionRule = ctx => {
  const out: Finding[] = [];
  for (const c of deletions(ctx)) {
    const a = ctx.previous.app(c.key);
    if (!a?.module) continue;
    out.push({
      type: 'module-tuning-deletion',
      key: c.key,
      summary: `Deleting ${c.kind} ${c.name} in ${c.namespace} deletes the ${a.release} HelmRelease of ${c.namespace}.`,
      destroys: [`the ${a.name} service of ${c.namespace}${a.holdsData ? ' and its data' : ''}`, ...ctx.previous.usersOf(a.name, c.namespace)],
      coveredBy: deletedAncestor(ctx, c.namespace),
    });
  }
  return out;
};

/** A module a tenant ran and runs no more: turning its flag off deletes the service and its data. */
export const modulesDisabled: DestructionRule = ctx => {
  const out: Finding[] = [];
  for (const c of updates(ctx)) {
    if (c.kind !== 'Tenant') continue;
    const before = ctx.previous.tenantByKey(c.key);
    const now = ctx.current.tenantByKey(c.key);
    if (!before) continue;
    const after = ctx.current.bundle.objects.get(c.key)?.manifest.spec ?? {};
    const ns = before.namespace;
    for (const s of before.modules) {
      if (now?.modules.includes(s)) continue;
      out.push({
        type: 'module-disabled',
        key: c.key,
        summary: `Tenant ${c.name} in ${c.namespace}: module flag spec.${s} turns ${after[s] === false ? 'false' : 'absent (false)'}; that deletes the ${s} service of ${ns} and its data.`,
        destroys: [`the ${s} HelmRelease in ${ns} and its data`, ...ctx.previous.usersOf(s, ns)],
      });
    }
  }
  return out;
};

/** A field the chart's schema makes immutable changes: the server refuses; only re-creating gets it through. */
export const immutableFieldChanges: DestructionRule = ctx => {
  const out: Finding[] = [];
  const release = chartReleaseOf(ctx.current.bundle.index.cozystackVersion);
  for (const c of updates(ctx)) {
    const a = ctx.current.app(c.key) ?? ctx.previous.app(c.key);
    const fields = immutableFields(release, c.kind, a?.chart);
    if (fields.length === 0) continue;
    const before = ctx.previous.bundle.objects.get(c.key)!.manifest.spec ?? {};
    const after = ctx.current.bundle.objects.get(c.key)!.manifest.spec ?? {};
    for (const f of fields) {
      const nested = f.path.includes('*');
      for (const v of valuesAt(before, after, f.path)) {
        if (nested && (v.before === undefined || v.after === undefined)) continue;
        const b = v.before ?? f.default;
        const x = v.after ?? f.default;
        if (JSON.stringify(x) === JSON.stringify(b)) continue;
        out.push({
          type: 'immutable-field',
          key: c.key,
          summary: `${c.kind} ${c.name} in ${c.namespace}: spec.${v.path.join('.')} is immutable (${f.message}) and changes from ${show(b)} to ${show(x)}. `
            + 'The server rejects the update; going through means deleting and re-creating the object with its data.',
          destroys: a?.holdsData ? [`${c.kind} ${c.name} and its volumes, if re-created to get the change through`] : [],
        });
      }
    }
  }
  return out;
};

/**
 * An update the chart or the operator under it turns into a data loss (a Postgres database or
 * user left out: the init job drops it) or that can never apply (a Kubernetes downgrade, an etcd
 * volume shrink): the rules live in the domain layer, per chart.
 */
export const destructiveSpecUpdates: DestructionRule = ctx => {
  const out: Finding[] = [];
  const release = chartReleaseOf(ctx.current.bundle.index.cozystackVersion);
  for (const c of updates(ctx)) {
    const a = ctx.current.app(c.key) ?? ctx.previous.app(c.key);
    const chart = a?.chart ?? c.kind.toLowerCase();
    const before = ctx.previous.bundle.objects.get(c.key)!.manifest.spec ?? {};
    const after = ctx.current.bundle.objects.get(c.key)!.manifest.spec ?? {};
    for (const f of destructiveUpdates(release, chart, before, after)) {
      out.push({
        type: f.effect === 'drops-data' ? 'data-drop' : 'never-applies',
        key: c.key,
        summary: `${c.kind} ${c.name} in ${c.namespace}: ${f.reason}`,
        destroys: f.destroys,
      });
    }
  }
  return out;
};

/**
 * A tenant's host changes: every endpoint and certificate under it moves. A tenant that
 * sets no host of its own in either bundle inherits the change from its parent, and is
 * covered by the parent's.
 */
export const hostChanges: DestructionRule = ctx => {
  const out: Finding[] = [];
  for (const t of ctx.current.bundle.topology.tenants) {
    const key = tenantKey(t);
    const p = ctx.previous.tenantByKey(key);
    if (!p || p.host === t.host) continue;
    const parentBefore = ctx.previous.parent(p);
    const parentNow = ctx.current.parent(t);
    const ownHost = (i: BundleIndex) => i.bundle.objects.get(key)?.manifest.spec?.host;
    const inherited = parentBefore !== undefined && parentNow !== undefined && parentBefore.host !== parentNow.host
      && !ownHost(ctx.previous) && !ownHost(ctx.current);
    const apps = ctx.current.appsIn(t.namespace).filter(a => a.host).map(a => `${a.kind} ${a.name}: endpoint moves to ${a.host}`);
    out.push({
      type: 'host-change',
      key,
      summary: `Tenant ${t.name} (${t.namespace}): host changes from ${p.host} to ${t.host}${inherited ? ' (inherited from its parent)' : ''}. `
        + 'Every endpoint and certificate under it moves; since v1.5 only cluster-admins may change a tenant host.',
      destroys: [`the ${p.host} endpoints of namespace ${t.namespace}`, ...apps],
      coveredBy: inherited ? tenantKey(parentBefore!) : undefined,
    });
  }
  return out;
};

/** Every rule of the management cluster, in the order the plan lists their findings. */
export const MANAGEMENT_RULES: readonly DestructionRule[] = [
  tenantDeletions, appDeletions, moduleTuningDeletions, modulesDisabled, immutableFieldChanges, destructiveSpecUpdates, hostChanges,
];

/** PersistentVolumeClaim fields the API server refuses to change once the claim exists. */
const PVC_IMMUTABLE = ['storageClassName', 'accessModes', 'volumeMode', 'volumeName', 'selector', 'dataSource'];

/** What a tenant cluster's volume rule reads: its id and its objects before and after. */
export interface ClusterContext {
  readonly id: string;
  readonly changes: readonly ClusterChange[];
  readonly before: ReadonlyMap<string, LoadedClusterObject>;
  readonly after: ReadonlyMap<string, LoadedClusterObject>;
}

/** Volumes of a tenant cluster: deleting a claim deletes its data; its immutable fields and its size, which only grows. */
export function volumeChanges(ctx: ClusterContext): Finding[] {
  const out: Finding[] = [];
  for (const c of ctx.changes) {
    if (c.kind !== 'PersistentVolumeClaim') continue;
    if (c.action === 'delete') {
      const o = ctx.before.get(c.key)!;
      out.push({
        type: 'volume-deletion',
        key: c.key,
        summary: `Deleting PersistentVolumeClaim ${c.namespace}/${c.name} in tenant cluster ${ctx.id} deletes its volume and the data on it.`,
        destroys: [`the data of PersistentVolumeClaim ${c.namespace}/${c.name}${volumeDetails(o)}`,
          'its PersistentVolume, when the storage class reclaims with Delete (the default)'],
      });
    } else if (c.action === 'update') {
      out.push(...claimUpdate(ctx.id, c, ctx.before.get(c.key)!, ctx.after.get(c.key)!));
    }
  }
  return out;
}

function claimUpdate(id: string, c: ClusterChange, before: LoadedClusterObject, after: LoadedClusterObject): Finding[] {
  const out: Finding[] = [];
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

function volumeDetails(o: LoadedClusterObject): string {
  const size = o.manifest.spec?.resources?.requests?.storage;
  const sc = o.manifest.spec?.storageClassName;
  const parts = [size ? `${size}` : undefined, sc ? `storage class ${sc}` : undefined].filter(Boolean);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}
