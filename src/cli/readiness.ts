/**
 * When `apply` may count a Tenant or a Kubernetes cluster as Ready: its `Ready`
 * condition is `True` AND it describes the object's current spec, that is the
 * condition's `observedGeneration` (else `status.observedGeneration`) equals
 * `metadata.generation`. A Tenant that was Ready before a spec change still shows
 * `Ready=True` until its controllers act on the change; only the generation tells the
 * two apart.
 *
 * A server that reports no generation at all (no `metadata.generation`, or no
 * `observedGeneration` anywhere) cannot be checked that way: such an object counts as
 * Ready on its condition alone, and the result says so (`unverified`), so `apply` can
 * tell the user instead of waiting forever.
 */
import { CliIo } from './io';
import { Kubectl } from './kubectl';

/** What `apply` knows of one object's readiness. */
export interface Readiness {
  readonly found: boolean;
  readonly ready: boolean;
  /** Ready, but the server reports no generation to check the condition against. */
  readonly unverified: boolean;
  readonly generation?: number;
  /** The generation the Ready condition describes, when the server reports one. */
  readonly observedGeneration?: number;
  readonly conditions: readonly any[];
}

function integer(x: unknown): number | undefined {
  return typeof x === 'number' && Number.isInteger(x) ? x : undefined;
}

/** The readiness of an object as the API returned it (undefined: not found). */
export function readinessOf(obj: any): Readiness {
  if (!obj) return { found: false, ready: false, unverified: false, conditions: [] };
  const conditions: any[] = Array.isArray(obj.status?.conditions) ? obj.status.conditions : [];
  const condition = conditions.find(c => c?.type === 'Ready');
  const generation = integer(obj.metadata?.generation);
  const observedGeneration = integer(condition?.observedGeneration) ?? integer(obj.status?.observedGeneration);
  const isTrue = condition?.status === 'True';
  const checkable = generation !== undefined && observedGeneration !== undefined;
  return {
    found: true,
    ready: isTrue && (!checkable || observedGeneration === generation),
    unverified: isTrue && !checkable,
    generation,
    observedGeneration,
    conditions,
  };
}

/** Why an object is not Ready, as lines under its name (empty when it is). */
export function notReadyLines(what: string, s: Readiness): string[] {
  if (s.ready) return [];
  if (!s.found) return [`  ${what}: not found on the cluster`];
  if (s.conditions.length === 0) return [`  ${what}: no status conditions reported yet`];
  const stale = s.generation !== undefined && s.observedGeneration !== undefined && s.observedGeneration !== s.generation;
  const lines = [stale
    ? `  ${what}: not Ready for its current spec (generation ${s.generation}; the conditions describe generation ${s.observedGeneration}, `
      + 'so its controllers have not acted on the last change yet); conditions:'
    : `  ${what}: not Ready; conditions:`];
  for (const c of s.conditions) lines.push(`    ${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}${c.message ? `: ${c.message}` : ''}`);
  return lines;
}

/** One object `apply` waits for, and how messages name it. */
export interface Awaited {
  readonly namespace: string;
  readonly name: string;
  readonly what: string;
}

/** What {@link waitReady} found. */
export interface WaitResult {
  /** Every object Ready by the deadline. */
  readonly ready: boolean;
  /** For each object not Ready at the deadline, why (empty when `ready`). */
  readonly lines: string[];
  /** Objects counted Ready on their condition alone: the server reports no generation for them. */
  readonly unverified: Awaited[];
}

/** kubectl's way of naming an object in `condition met` lines: `tenant.apps.cozystack.io/foo`. */
function shortName(apiVersion: string, kind: string, name: string): string {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return `${kind.toLowerCase()}${group ? `.${group}` : ''}/${name}`;
}

/**
 * Polls until every object is Ready for its current generation, at most until
 * `deadline`: one `kubectl get` of the kind a round (cluster-wide when the objects are in
 * several namespaces and the identity may list there, else one per namespace), so a wave
 * of thousands of tenants costs one request a round, not a process each. Prints
 * `<kind>.<group>/<name> condition met` as each one gets Ready.
 */
export async function waitReady(k: Kubectl, type: { apiVersion: string; kind: string; resource: string }, objects: readonly Awaited[],
  deadline: number, io: CliIo, pollMs = { first: 100, max: 2000 }): Promise<WaitResult> {
  const pending = new Map<string, Map<string, Awaited>>(); // namespace -> name -> object
  for (const o of objects) {
    let names = pending.get(o.namespace);
    if (!names) pending.set(o.namespace, names = new Map());
    names.set(o.name, o);
  }
  const last = new Map<Awaited, Readiness>();
  const unverified: Awaited[] = [];
  // Objects in several namespaces: one cluster-wide list a round, unless the identity may not list cluster-wide.
  let allNamespaces = pending.size > 1;
  let delay = pollMs.first;
  const list = async (ns?: string): Promise<any[] | undefined> => {
    const r = await k.run(['get', type.resource, ...(ns ? ['-n', ns] : ['--all-namespaces']), '-o', 'json']);
    return r.code === 0 ? JSON.parse(r.stdout || '{}').items ?? [] : undefined;
  };
  /** Items by namespace, then name. */
  const group = (items: any[]) => {
    const out = new Map<string, Map<string, any>>();
    for (const i of items) {
      const ns = i?.metadata?.namespace ?? '';
      let byName = out.get(ns);
      if (!byName) out.set(ns, byName = new Map());
      byName.set(i?.metadata?.name, i);
    }
    return out;
  };
  const visit = (ns: string, names: Map<string, Awaited>, byName: Map<string, any>) => {
    for (const [name, o] of names) {
      const s = readinessOf(byName.get(name));
      last.set(o, s);
      if (!s.ready) continue;
      names.delete(name);
      if (s.unverified) unverified.push(o);
      io.out(`  ${shortName(type.apiVersion, type.kind, name)} condition met\n`);
    }
    if (names.size === 0) pending.delete(ns);
  };
  for (;;) {
    const all = allNamespaces ? await list() : undefined;
    if (allNamespaces && !all) allNamespaces = false;
    const everywhere = all ? group(all) : undefined;
    for (const [ns, names] of [...pending]) {
      const here = everywhere ? everywhere.get(ns) : group(await list(ns) ?? []).get(ns);
      visit(ns, names, here ?? new Map());
    }
    if (pending.size === 0) return { ready: true, lines: [], unverified };
    if (Date.now() >= deadline) break;
    await new Promise(resolve => setTimeout(resolve, Math.min(delay, Math.max(10, deadline - Date.now()))));
    delay = Math.min(pollMs.max, Math.ceil(delay * 1.5));
  }
  const lines: string[] = [];
  for (const o of objects) {
    if (!pending.get(o.namespace)?.has(o.name)) continue;
    lines.push(...notReadyLines(o.what, last.get(o) ?? readinessOf(undefined)));
  }
  return { ready: false, lines, unverified };
}
