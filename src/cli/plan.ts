/**
 * `plan`: what applying a bundle over the previously applied one changes, per wave,
 * and which of those changes destroy data (SPEC.md §3 to §5): deleting a Tenant
 * (its whole subtree goes with it) or an app of a kind that holds data, turning a
 * module flag off, deleting a module's tuning object, changing an immutable field,
 * changing a tenant's host. Destructive changes must be allowed one by one.
 *
 * `computePlan` diffs the objects once, indexes both bundles once (`plan-index.ts`)
 * and composes one rule per kind of destruction (`destructions.ts`).
 *
 * Each tenant Kubernetes cluster's workloads bundle is compared apart ("cluster
 * tenant-foo/cluster1: created / updated / deleted"): deleting a PersistentVolumeClaim
 * there deletes its data, and is allowed as `PersistentVolumeClaim/<ns>/<name>@<tenant ns>/<cluster>`.
 */
import { ClusterContext, Finding, MANAGEMENT_RULES, PlanContext, volumeChanges } from './destructions';
import { BundleIndex } from './plan-index';
import { LoadedBundle, LoadedClusterObject, LoadedObject } from '../bundle/read';
import { MANAGED_BY_LABEL } from '../domain/labels';

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
  | 'immutable-field' | 'host-change' | 'volume-deletion' | 'data-drop' | 'never-applies';

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

export interface PlanOptions {
  readonly allowDestroy?: string[];
}

const ORDER: Record<ChangeAction, number> = { create: 0, update: 1, delete: 2 };

function byActionThenKey(a: { action: ChangeAction; key: string }, b: { action: ChangeAction; key: string }): number {
  return ORDER[a.action] - ORDER[b.action] || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/** The management cluster's changes: creations and updates in bundle order, then deletions; and what stays. */
function diffObjects(previous: BundleIndex, current: BundleIndex, notes: string[]): { changes: PlanChange[]; unchanged: number } {
  const changes: PlanChange[] = [];
  let unchanged = 0;
  for (const o of current.bundle.objects.values()) {
    const before = previous.bundle.objects.get(o.key);
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
  for (const o of previous.bundle.objects.values()) {
    if (current.bundle.objects.has(o.key)) continue;
    if (o.key === previous.rootKey) {
      notes.push(`${o.key} (the platform's root tenant) is no longer in the bundle. It is never deleted; its module flags stay as they are on the cluster.`);
      continue;
    }
    changes.push(changeOf('delete', o));
  }
  return { changes, unchanged };
}

/** Each finding allowed by its own key, or by the key it is covered by (recursively). */
function allowFindings(findings: Finding[], allow: Set<string>): Destruction[] {
  const allowedKey = (k: string | undefined) => k !== undefined && allow.has(normalizeKey(k));
  const byKey = new Map<string, Finding>();
  for (const d of findings) if (!byKey.has(d.key)) byKey.set(d.key, d);
  const isAllowed = (d: Finding, depth = 0): boolean => {
    if (allowedKey(d.key)) return true;
    if (!d.coveredBy || depth > 64) return false;
    const cover = byKey.get(d.coveredBy);
    return allowedKey(d.coveredBy) || (cover !== undefined && isAllowed(cover, depth + 1));
  };
  return findings.map(d => ({ ...d, allowed: isAllowed(d) }));
}

/** Compares `current` with `previous` (the last applied bundle). */
export function computePlan(previous: LoadedBundle, current: LoadedBundle, options: PlanOptions = {}): Plan {
  const allow = parseAllow(options.allowDestroy ?? []);
  const notes: string[] = [];
  const before = new BundleIndex(previous);
  const after = new BundleIndex(current);
  const { changes, unchanged } = diffObjects(before, after, notes);
  const ctx: PlanContext = { previous: before, current: after, changes };

  const findings: Finding[] = MANAGEMENT_RULES.flatMap(rule => rule(ctx));
  const clusters = planClusters(ctx, findings, notes);
  const final = allowFindings(findings, allow);

  const used = new Set(final.flatMap(d => [d.key, d.coveredBy].filter((k): k is string => !!k)).map(normalizeKey));
  for (const a of options.allowDestroy ?? []) {
    if (!used.has(normalizeKey(a))) notes.push(`--allow-destroy ${a} matches no destructive change.`);
  }

  for (const o of current.objects.values()) {
    if (o.key !== ctx.current.rootKey && o.manifest.metadata?.labels?.[MANAGED_BY_LABEL] === undefined) {
      notes.push(`${o.key} carries no ${MANAGED_BY_LABEL} label: apply will never prune it.`);
    }
  }

  const byWave = new Map<number, PlanChange[]>();
  for (const c of changes) {
    const list = byWave.get(c.wave);
    if (list) list.push(c);
    else byWave.set(c.wave, [c]);
  }
  const files = new Map(current.waves.map(w => [w.wave, w.file]));
  const waves: WavePlan[] = [...byWave.keys()].sort((a, b) => a - b)
    .map(n => ({ wave: n, file: files.get(n), changes: byWave.get(n)!.sort(byActionThenKey) }));

  const count = (list: readonly { action: ChangeAction }[], action: ChangeAction) => list.filter(c => c.action === action).length;
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
      create: count(changes, 'create'),
      update: count(changes, 'update'),
      delete: count(changes, 'delete'),
      unchanged,
      destructive: final.length,
      notAllowed,
      clusters: {
        create: count(clusterChanges, 'create'),
        update: count(clusterChanges, 'update'),
        delete: count(clusterChanges, 'delete'),
        unchanged: clusters.reduce((n, c) => n + c.unchanged, 0),
      },
    },
    exitCode: notAllowed > 0 ? 2 : 0,
  };
}

/** What a tenant cluster's manifest is compared on: all but the identity of the object. */
function comparable(m: any): any {
  const { kind: _kind, metadata, ...rest } = m ?? {};
  const { name: _name, namespace: _namespace, ...meta } = metadata ?? {};
  return { ...rest, metadata: meta };
}

/** Compares each tenant cluster's workloads bundle; adds its volume findings and notes. */
function planClusters(ctx: PlanContext, findings: Finding[], notes: string[]): ClusterPlan[] {
  const previous = ctx.previous.bundle;
  const current = ctx.current.bundle;
  const prev = new Map(previous.clusters.map(c => [c.id, c]));
  const cur = new Map(current.clusters.map(c => [c.id, c]));
  const ids = [...new Set([...prev.keys(), ...cur.keys()])].sort();
  const out: ClusterPlan[] = [];
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
    changes.sort(byActionThenKey);

    // The cluster's own deletion is the destructive change (app-deletion lists its volumes).
    const clusterGoes = !after && !current.objects.has(any.key);
    const status: ClusterStatus = !after ? (clusterGoes ? 'cluster-deleted' : 'bundle-removed') : !before ? 'new' : changes.length > 0 ? 'changed' : 'unchanged';
    out.push({ id, namespace: any.namespace, name: any.name, key: any.key, status, files: any.files, changes, unchanged });
    if (clusterGoes) continue;
    if (status === 'bundle-removed') {
      notes.push(`Tenant cluster ${id} has no workloads bundle any more, but its Kubernetes object stays: the ${before!.objects.length} object`
        + `${before!.objects.length === 1 ? '' : 's'} of its previous bundle (${before!.files.join(', ')}) are deleted from the bundle. `
        + 'If the workloads scope was emptied by mistake, restore it before applying.');
    }
    const cc: ClusterContext = { id, changes, before: beforeObjects, after: afterObjects };
    findings.push(...volumeChanges(cc));
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

/** The clusters of a plan whose bundle changes, in order. */
export function changedClusters(plan: Plan): ClusterPlan[] {
  return plan.clusters.filter(c => c.changes.length > 0 || c.status === 'bundle-removed');
}
