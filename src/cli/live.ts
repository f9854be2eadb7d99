/**
 * The live objects, read and compared on the client. `apply` writes only what differs
 * from the cluster (an unchanged bundle makes no write at all), and `apply --dry-run` and
 * `plan --live` show what would change without writing anything: Cozystack's API server
 * does not honour server-side dry run (every write with `dryRun=All` to apps.cozystack.io
 * is done for real, see test/cluster/README.md), so a dry run must never send one.
 *
 * Reading costs one `kubectl get -o json` per kind and wave: the kind's objects in the one
 * namespace the wave uses, or cluster-wide when it uses several (one list per namespace
 * when the identity may not list cluster-wide).
 *
 * An object counts as unchanged when every field the bundle sets has that value on the
 * cluster (the server may add defaults: Cozystack returns the chart's defaults in `spec`),
 * and no field the last client-side apply set (`kubectl.kubernetes.io/last-applied-configuration`)
 * has been dropped from the bundle since.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Kubectl, resourceName } from './kubectl';
import { FieldChange } from './plan';
import { KubeconfigSecretRef, LoadedBundle } from '../bundle/read';
import { tryParseQuantity } from '../domain/quantity';

/** An object to look up on the cluster; `namespace` '' when cluster-scoped. */
export interface LiveRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export function liveKey(r: LiveRef): string {
  return `${r.apiVersion}|${r.kind}|${r.namespace}|${r.name}`;
}

/** kubectl's way of naming an object in its output: `tenant.apps.cozystack.io/foo`, `deployment.apps/web`, `service/web`. */
export function shownName(apiVersion: string, kind: string, name: string): string {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return `${kind.toLowerCase()}${group ? `.${group}` : ''}/${name}`;
}

/** Thrown when the live objects cannot be read; the message names the kind and kubectl's answer. */
export class LiveReadError extends Error {}

/**
 * The live objects of `refs`, by {@link liveKey} (absent: not on the cluster). One list
 * per kind: of its one namespace, of the whole cluster when the refs use several (falling
 * back to one list per namespace when that is forbidden), or of the cluster-scoped kind.
 */
export async function readLive(k: Kubectl, refs: readonly LiveRef[]): Promise<Map<string, any>> {
  const byResource = new Map<string, { apiVersion: string; kind: string; namespaces: Set<string> }>();
  for (const r of refs) {
    const res = resourceName(r.apiVersion, r.kind);
    let e = byResource.get(res);
    if (!e) byResource.set(res, e = { apiVersion: r.apiVersion, kind: r.kind, namespaces: new Set() });
    e.namespaces.add(r.namespace);
  }
  const out = new Map<string, any>();
  const list = async (res: string, scope: string[]): Promise<{ items?: any[]; error?: string }> => {
    const r = await k.run(['get', res, ...scope, '-o', 'json']);
    if (r.code !== 0) return { error: r.stderr.trim() || `kubectl exit code ${r.code}` };
    return { items: JSON.parse(r.stdout || '{}').items ?? [] };
  };
  for (const [res, e] of byResource) {
    const namespaces = [...e.namespaces];
    const results: Array<{ items?: any[]; error?: string }> = [];
    if (namespaces.length === 1) {
      results.push(await list(res, namespaces[0] ? ['-n', namespaces[0]] : []));
    } else {
      const all = await list(res, ['--all-namespaces']);
      if (all.items) results.push(all);
      else for (const ns of namespaces) results.push(await list(res, ns ? ['-n', ns] : []));
    }
    for (const r of results) {
      if (r.error) throw new LiveReadError(`could not read the ${e.kind} objects (${res}) from the cluster: ${r.error}`);
      for (const item of r.items!) {
        out.set(liveKey({ apiVersion: e.apiVersion, kind: e.kind, namespace: item?.metadata?.namespace ?? '', name: item?.metadata?.name }), item);
      }
    }
  }
  return out;
}

/** What applying one object would do to the cluster. */
export interface LiveChange {
  readonly action: 'create' | 'update' | 'unchanged';
  /** For updates: the fields that differ (`before` is the cluster's value, `after` the bundle's). */
  readonly fields: FieldChange[];
}

function isPlain(x: unknown): x is Record<string, any> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Where `desired` (the bundle) is not contained in `live` (the cluster): arrays compared element by element, each as a subset. */
function notContained(desired: unknown, live: unknown, at: string): FieldChange[] {
  // The server leaves out fields at their zero value (omitempty): false, 0, '' and [] match an absent field.
  if (live === undefined && (desired === null || desired === false || desired === 0 || desired === '' || (Array.isArray(desired) && desired.length === 0))) return [];
  if (desired === null && live === null) return [];
  if (isPlain(desired)) {
    if (live === undefined) return Object.keys(desired).sort().flatMap(key => notContained(desired[key], undefined, at ? `${at}.${key}` : key));
    if (!isPlain(live)) return [{ path: at, before: live, after: desired }];
    return Object.keys(desired).sort().flatMap(key => notContained(desired[key], live[key], at ? `${at}.${key}` : key));
  }
  if (Array.isArray(desired)) {
    const same = Array.isArray(live) && live.length === desired.length
      && desired.every((d, i) => notContained(d, live[i], '').length === 0);
    return same ? [] : [{ path: at, before: live, after: desired }];
  }
  return desired === live || sameQuantity(desired, live) ? [] : [{ path: at, before: live, after: desired }];
}

/** `2Gi` and `2048Mi`, `1` and `1000m`: the server returns a quantity in its canonical form. */
function sameQuantity(a: unknown, b: unknown): boolean {
  if ((typeof a !== 'string' && typeof a !== 'number') || (typeof b !== 'string' && typeof b !== 'number')) return false;
  if (typeof a === 'number' && typeof b === 'number') return false;
  const x = tryParseQuantity(a);
  const y = tryParseQuantity(b);
  return typeof x !== 'string' && typeof y !== 'string' && x.equals(y);
}

/** Fields set in `applied` (the last client-side apply) that `desired` no longer sets. */
function dropped(applied: unknown, desired: unknown, live: unknown, at: string): FieldChange[] {
  if (!isPlain(applied)) return [];
  if (!isPlain(desired)) return desired === undefined ? [{ path: at, before: live, after: undefined }] : [];
  return Object.keys(applied).sort().flatMap(key => {
    const p = at ? `${at}.${key}` : key;
    if (desired[key] === undefined) return (live as any)?.[key] === undefined ? [] : [{ path: p, before: (live as any)[key], after: undefined }];
    return isPlain(applied[key]) ? dropped(applied[key], desired[key], (live as any)?.[key], p) : [];
  });
}

/** The parts of a manifest compared: all but apiVersion, kind, name, namespace, and of the metadata only labels and annotations. */
function comparable(m: any): any {
  const { apiVersion: _a, kind: _k, metadata, status: _s, ...rest } = m ?? {};
  const meta: Record<string, unknown> = {};
  if (metadata?.labels !== undefined) meta.labels = metadata.labels;
  if (metadata?.annotations !== undefined) {
    const { [LAST_APPLIED]: _l, ...annotations } = metadata.annotations;
    if (Object.keys(annotations).length > 0) meta.annotations = annotations;
  }
  return { ...rest, metadata: meta };
}

/** What applying `desired` over `live` (undefined: not on the cluster) changes. */
export function compareLive(desired: any, live: any | undefined): LiveChange {
  if (!live) return { action: 'create', fields: [] };
  const want = comparable(desired);
  const have = comparable(live);
  const fields = notContained(want, have, '');
  const lastApplied = live.metadata?.annotations?.[LAST_APPLIED];
  if (typeof lastApplied === 'string') {
    try {
      const seen = new Set(fields.map(f => f.path));
      for (const f of dropped(comparable(JSON.parse(lastApplied)), want, have, '')) if (!seen.has(f.path)) fields.push(f);
    } catch {
      // An annotation that is not JSON: kubectl will say so when it applies.
    }
  }
  return { action: fields.length > 0 ? 'update' : 'unchanged', fields };
}

/** One line per changed field, as `apply --dry-run` and `plan --live` print them. */
export function fieldLines(fields: readonly FieldChange[], indent: string): string[] {
  const show = (v: unknown) => (v === undefined ? '(absent)' : JSON.stringify(v));
  return fields.map(f => `${indent}${f.path}: ${show(f.before)} -> ${show(f.after)}`);
}

/**
 * Reads a cluster's admin kubeconfig from its Secret; polls until `deadline`, since the
 * Secret may appear a little after the cluster reports Ready.
 */
export async function readKubeconfig(k: Kubectl, secret: KubeconfigSecretRef, deadline: number): Promise<string | { error: string }> {
  const jsonpath = `jsonpath={.data.${secret.key.replace(/\./g, '\\.')}}`;
  const what = `Secret ${secret.namespace}/${secret.name}`;
  for (;;) {
    const r = await k.run(['get', 'secret', secret.name, '-n', secret.namespace, '-o', jsonpath, '--ignore-not-found']);
    if (r.code !== 0) return { error: `could not read the admin kubeconfig from ${what}: ${r.stderr.trim()}` };
    const text = Buffer.from(r.stdout.trim(), 'base64').toString('utf8');
    if (text.trim() !== '') return text;
    if (Date.now() >= deadline) {
      return { error: `${what} does not exist or has no key ${secret.key}, so the cluster's admin kubeconfig cannot be read.` };
    }
    await new Promise(resolve => setTimeout(resolve, Math.min(1000, Math.max(50, deadline - Date.now()))));
  }
}

/**
 * Runs `fn` with the kubeconfig in a file only the current user can read (mode 0600, in a
 * fresh 0700 directory), and removes both afterwards, whatever happens.
 */
export async function withTemporaryKubeconfig<T>(content: string, fn: (file: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-cozystack-'));
  try {
    const file = path.join(dir, 'kubeconfig');
    fs.writeFileSync(file, content, { mode: 0o600, flag: 'wx' });
    return await fn(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function liveRefOf(x: { apiVersion: string; kind: string; namespace: string; name: string }): LiveRef {
  return { apiVersion: x.apiVersion, kind: x.kind, namespace: x.namespace, name: x.name };
}

/** One object of a live plan. */
export interface LiveEntry {
  /** `Kind/namespace/name` (management) or `Kind/namespace/name@<tenant ns>/<cluster>`. */
  readonly key: string;
  readonly shown: string;
  readonly action: LiveChange['action'];
  readonly fields: FieldChange[];
}

/** What `plan --live` found: per wave and per tenant cluster, each object against the cluster. */
export interface LivePlan {
  readonly waves: Array<{ wave: number; file: string; objects: LiveEntry[] }>;
  /** `notChecked` says why a tenant cluster could not be read (not created, not Ready, no kubeconfig). */
  readonly clusters: Array<{ id: string; objects: LiveEntry[]; notChecked?: string }>;
  readonly summary: { create: number; update: number; unchanged: number };
}

/**
 * Compares every object of the bundle with the cluster (reads only): the waves through
 * `k`, each tenant cluster through the admin kubeconfig of its Secret when the cluster
 * is Ready.
 */
export async function computeLivePlan(k: Kubectl, bundle: LoadedBundle, kubectl?: string): Promise<LivePlan> {
  const summary = { create: 0, update: 0, unchanged: 0 };
  const entries = async (kc: Kubectl, objects: Array<{ key: string; ref: LiveRef; manifest: any }>): Promise<LiveEntry[]> => {
    const live = await readLive(kc, objects.map(x => x.ref));
    return objects.map(x => {
      const c = compareLive(x.manifest, live.get(liveKey(x.ref)));
      summary[c.action]++;
      return { key: x.key, shown: shownName(x.ref.apiVersion, x.ref.kind, x.ref.name), action: c.action, fields: c.fields };
    });
  };
  const waves: LivePlan['waves'] = [];
  for (const w of bundle.waves) {
    const objects = w.objects.map(x => ({ key: x.key, ref: { ...x.ref, namespace: x.ref.namespace ?? '' }, manifest: x.manifest }));
    waves.push({ wave: w.wave, file: w.file, objects: await entries(k, objects) });
  }
  const clusters: LivePlan['clusters'] = [];
  for (const c of bundle.clusters) {
    const got = await k.run(['get', resourceName(c.apiVersion, c.kind), c.name, '-n', c.namespace, '-o', 'json', '--ignore-not-found']);
    const obj = got.code === 0 && got.stdout.trim() ? JSON.parse(got.stdout) : undefined;
    const ready = (obj?.status?.conditions ?? []).some((x: any) => x?.type === 'Ready' && x.status === 'True');
    const notYet = !obj ? `${c.kind} ${c.id} is not created on the cluster` : !ready ? `${c.kind} ${c.id} is not Ready` : undefined;
    const kubeconfig = notYet ? undefined : await readKubeconfig(k, c.kubeconfigSecret, Date.now());
    if (notYet || typeof kubeconfig !== 'string') {
      const why = notYet ?? (kubeconfig as { error: string }).error;
      summary.create += c.objects.length;
      const count = `${c.objects.length} object${c.objects.length === 1 ? '' : 's'}`;
      clusters.push({ id: c.id, objects: [], notChecked: `${why}; its ${count} would be created once it is` });
      continue;
    }
    const objects = await withTemporaryKubeconfig(kubeconfig, file => entries(new Kubectl({ kubectl, kubeconfig: file }),
      c.objects.map(x => ({ key: x.key, ref: liveRefOf(x), manifest: x.manifest }))));
    clusters.push({ id: c.id, objects });
  }
  return { waves, clusters, summary };
}

/** `plan --live` as text. */
export function renderLivePlanText(p: LivePlan, showUnchanged = false): string {
  const lines: string[] = [];
  const entry = (e: LiveEntry) => {
    if (e.action === 'unchanged' && !showUnchanged) return;
    lines.push(`  ${e.shown} ${e.action === 'create' ? 'would be created' : e.action === 'update' ? 'would be updated:' : 'unchanged'}`);
    if (e.action === 'update') lines.push(...fieldLines(e.fields, '    '));
  };
  lines.push('Against the live cluster (read only, nothing written):');
  for (const w of p.waves) {
    const unchanged = w.objects.filter(e => e.action === 'unchanged').length;
    lines.push(`Wave ${w.wave} (${w.file}): ${w.objects.length - unchanged} to change, ${unchanged} unchanged`);
    w.objects.forEach(entry);
  }
  for (const c of p.clusters) {
    if (c.notChecked) {
      lines.push(`Tenant cluster ${c.id}: not read: ${c.notChecked}`);
      continue;
    }
    const unchanged = c.objects.filter(e => e.action === 'unchanged').length;
    lines.push(`Tenant cluster ${c.id}: ${c.objects.length - unchanged} to change, ${unchanged} unchanged`);
    c.objects.forEach(entry);
  }
  lines.push(`Live: ${p.summary.create} to create, ${p.summary.update} to update, ${p.summary.unchanged} unchanged.`);
  return `${lines.join('\n')}\n`;
}
