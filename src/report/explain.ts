/**
 * `explain`: what Cozystack will make of one app or tenant of a synthesized bundle:
 * where its data lives, how it is reached, where its metrics go, who may manage it and
 * which Secrets hold its credentials. A pure renderer of the topology: every name it
 * shows (release, Secrets, endpoints, the services an app uses) is what the bundle
 * records, computed at synth from the registry of kinds. Reading the bundle and the
 * `explain` command live in the CLI (`src/cli/explain.ts`).
 */
import { plural, ROLE_RIGHTS, ROLES, Topology, TopologyApp, TopologyIndex, TopologyTenant } from './model';

/** A target that names nothing in the bundle, or a bundle that cannot be read. */
export class ExplainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExplainError';
  }
}

type Found = { tenant: TopologyTenant; app?: undefined } | { app: TopologyApp; tenant?: undefined };

/** Every name a target can be given by, for lookup and for "did you mean". */
function names(index: TopologyIndex): Map<string, Found[]> {
  const out = new Map<string, Found[]>();
  const add = (key: string, f: Found) => {
    const list = out.get(key) ?? [];
    if (!list.some(x => x.app === f.app && x.tenant === f.tenant)) list.push(f);
    out.set(key, list);
  };
  for (const t of index.tenants()) {
    add(t.path, { tenant: t });
    add(t.namespace, { tenant: t });
    // The Tenant object: `<parent namespace>/<name>`.
    if (t.parentNamespace) add(`${t.parentNamespace}/${t.name}`, { tenant: t });
  }
  for (const a of index.apps()) {
    add(a.path, { app: a });
    add(`${a.namespace}/${a.name}`, { app: a });
    add(`${a.namespace}/${a.release}`, { app: a });
    add(`${a.namespace}/${a.kind}/${a.name}`, { app: a });
    add(`${a.namespace}/${a.kind.toLowerCase()}/${a.name}`, { app: a });
  }
  return out;
}

/** Edit distance, for close matches of a mistyped target. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** The targets closest to `target`: the same last segment or few edits away, best first. */
function closeMatches(keys: string[], target: string): string[] {
  const last = target.split('/').pop() ?? target;
  return keys
    .map(k => ({ k, d: distance(k, target), same: k.split('/').pop() === last || k.includes(target) }))
    .filter(x => x.same || x.d <= Math.max(2, Math.floor(target.length / 3)))
    .sort((x, y) => Number(y.same) - Number(x.same) || x.d - y.d || (x.k < y.k ? -1 : x.k > y.k ? 1 : 0))
    .slice(0, 6)
    .map(x => x.k);
}

function resolve(index: TopologyIndex, target: string): Found {
  const key = target.trim().replace(/\/+$/, '');
  const all = names(index);
  const found = all.get(key);
  if (found && found.length === 1) return found[0];
  if (found && found.length > 1) {
    const paths = found.map(f => (f.app ? `${f.app.path} (${f.app.kind})` : f.tenant!.path)).sort();
    throw new ExplainError(`"${target}" names ${found.length} objects: ${paths.join(', ')}. Give the path instead.`);
  }
  // Canonical forms only in suggestions: paths and namespace/name.
  const canonical = [
    ...index.tenants().flatMap(t => [t.path, t.namespace]),
    ...index.apps().flatMap(a => [a.path, `${a.namespace}/${a.name}`]),
  ];
  const close = closeMatches([...new Set(canonical)], key);
  throw new ExplainError(`No tenant or app "${target}" in this bundle.`
    + (close.length ? ` Did you mean: ${close.join(', ')}?` : '')
    + ' A target is a construct path (platform/u1/u2/db1), namespace/name (tenant-u1-u2/db1) or a tenant namespace (tenant-u1).');
}

/** `u1 (tenant-u1)`, with a note when it does not run the service. */
function provider(index: TopologyIndex, ns: string | undefined, service: string): string {
  if (!ns) return 'no provider computed';
  const base = index.label(ns);
  return index.runs(ns, service) ? base : `${base}, which does NOT run ${service}`;
}

function managedBy(index: TopologyIndex, t: TopologyTenant, what: string): string[] {
  const chain = [...index.ancestors(t), t];
  const lines = [`Managed by (groups bound in ${t.namespace}; ancestors reach all their descendants):`];
  for (const m of chain) {
    lines.push(`  ${m.namespace}-{${ROLES.join(',')}}  (${m === t ? `${m.name} itself` : `ancestor ${m.name}`})`);
  }
  lines.push(`  view: ${ROLE_RIGHTS.view}`);
  lines.push(`  use: ${ROLE_RIGHTS.use}`);
  lines.push(`  admin: ${ROLE_RIGHTS.admin}${what === 'app' ? ' (so it may change or delete this app)' : ''}`);
  lines.push(`  super-admin: ${ROLE_RIGHTS['super-admin']}`);
  return lines;
}

/** A line per credential Secret, and how to read its first key. */
function credentialLines(a: TopologyApp): string[] {
  if (a.credentials.length === 0) return ['  none recorded for this kind'];
  const lines: string[] = [];
  for (const c of a.credentials) {
    const keys = c.keys.length === 0 ? '' : `, key${c.keys.length === 1 ? '' : 's'} ${c.keys.join(', ')}`;
    lines.push(`  Secret ${c.secret} in namespace ${a.namespace}${keys} (${c.description})`);
  }
  const first = a.credentials.find(c => c.keys.length > 0);
  if (first) {
    lines.push(`  kubectl -n ${a.namespace} get secret ${first.secret} -o jsonpath='{.data.${first.keys[0].replace(/\./g, '\\.')}}' | base64 -d`);
  }
  return lines;
}

/** A line per recorded endpoint, then the ingress it is reached through when it uses one. */
function endpointLines(index: TopologyIndex, a: TopologyApp): string[] {
  const lines: string[] = [];
  for (const e of a.endpoints) {
    if (e.kind === 'service') lines.push(`  ${e.name}.${a.namespace}.svc  ${e.description}, inside the cluster`);
    else if (e.kind === 'ingress') lines.push(`  Ingress ${e.name} in ${a.namespace}  ${e.description}`);
    else lines.push(`  ${e.name}  ${e.description}`);
  }
  if (lines.length === 0) lines.push('  no endpoint recorded for this kind');
  const ingress = a.services.ingress;
  if (a.uses.includes('ingress')) lines.push(`  through the ingress of ${provider(index, ingress, 'ingress')} (ingress class: ${ingress ?? '?'}).`);
  return lines;
}

function explainApp(index: TopologyIndex, a: TopologyApp): string {
  const t = index.tenant(a.namespace)!;
  const uses = (s: string) => a.uses.includes(s);
  const etcd = a.services.etcd;
  const monitoring = a.services.monitoring;
  const lines = [
    `${a.kind} ${a.name}  (${a.path})`,
    `  Object:  ${a.kind} "${a.name}" (${a.plural}) in namespace ${a.namespace}; Cozystack creates HelmRelease ${a.release} of chart ${a.chart}`
      + (a.module ? `, the tuning of the ${a.name} module of ${t.name}` : ''),
    `  Tenant:  ${t.name} (${t.path}), host ${t.host}`,
    `  Uses:    ${a.uses.length > 0 ? `${[...a.uses].join(', ')} of its tenant's providers` : 'no inherited service'}`,
    '',
    'Data:',
  ];
  if (a.holdsData && uses('seaweedfs')) {
    // Object storage (a Bucket, Harbor's images): the objects live in the provider's SeaweedFS, not in volumes of the app.
    const seaweedfs = a.services.seaweedfs;
    lines.push(`  Its objects are stored in a bucket in the SeaweedFS of ${provider(index, seaweedfs, 'seaweedfs')};`
      + ` any volumes of its own (PersistentVolumeClaims of ${a.release}) are in namespace ${a.namespace}.`);
    lines.push('  Deleting it deletes them.');
    if (seaweedfs && !index.runs(seaweedfs, 'seaweedfs')) lines.push('  ⚠ With no running SeaweedFS it waits forever.');
  } else if (a.holdsData) {
    lines.push(`  Its own volumes (PersistentVolumeClaims of ${a.release}) in namespace ${a.namespace}${uses('etcd') ? '' : '; no etcd is involved'}.`);
    lines.push('  Deleting it deletes them.');
  } else {
    lines.push(`  It keeps no data of its own; deleting it loses none${uses('etcd') ? '' : ', and no etcd is involved'}.`);
  }
  if (uses('etcd')) {
    lines.push(`  State kept in the etcd of ${provider(index, etcd, 'etcd')} (its etcd provider: ${etcd ?? '?'}).`);
    if (etcd && !index.runs(etcd, 'etcd')) lines.push('  ⚠ With no running etcd it waits forever.');
  }
  lines.push('', 'Reached:', ...endpointLines(index, a));
  lines.push('', 'Metrics:');
  if (uses('monitoring')) {
    lines.push(`  Sent to the monitoring of ${provider(index, monitoring, 'monitoring')}.`);
    if (monitoring && !index.runs(monitoring, 'monitoring')) lines.push('  ⚠ Nobody collects them.');
  } else {
    lines.push('  It sends none to a monitoring provider.');
  }
  lines.push('', 'Credentials:', ...credentialLines(a));
  lines.push('', ...managedBy(index, t, 'app'));
  return lines.join('\n') + '\n';
}

function explainTenant(index: TopologyIndex, t: TopologyTenant): string {
  const parent = index.parent(t);
  const size = index.size(t);
  const lines = [
    `Tenant ${t.name}  (${t.path})`,
    `  Namespace: ${t.namespace}` + (parent ? `  (Tenant object "${t.name}" in ${parent.namespace})` : '  (the root tenant)'),
    `  Host:      ${t.host}`,
    `  Depth:     ${t.depth}; subtree ${plural(size.tenants, 'tenant')}, ${plural(size.apps, 'app')}`,
    `  Modules:   ${t.modules.length ? [...t.modules].sort().join(', ') : 'none of its own'}`,
    '',
    'Services:',
  ];
  for (const s of Object.keys(t.services)) {
    const p = t.services[s];
    const how = p === t.namespace ? 'own' : 'inherited from';
    lines.push(`  ${s.padEnd(11)}${how === 'own' ? (index.runs(p, s) ? 'own' : 'none (named provider, not running)') : `${how} ${provider(index, p, s)}`}`);
  }
  if (t.quota !== undefined) {
    lines.push('', 'Quota:');
    const effective = t.quota?.effective ?? {};
    const keys = Object.keys({ ...(t.quota?.declared ?? {}), ...effective, ...(t.quota?.remaining ?? {}) }).sort();
    if (keys.length === 0) lines.push('  none; no limit applies to this subtree');
    for (const k of keys) {
      const e = effective[k];
      const parts = [
        `declared ${t.quota?.declared?.[k] ?? '-'}`,
        `effective ${e?.amount ?? '-'}${e?.shared ? ' (shared)' : ''}${e?.pool ? ` from pool ${e.pool}` : ''}`,
        `remaining ${t.quota?.remaining?.[k] ?? '-'}`,
      ];
      lines.push(`  ${k}: ${parts.join(', ')}`);
    }
  }
  const apps = index.appsOf(t);
  lines.push('', 'Apps:');
  if (apps.length === 0) lines.push('  none');
  for (const a of apps) {
    lines.push(`  ${a.kind} ${a.name}${a.host ? `  ${a.host}` : ''}  (explain ${a.path})`);
  }
  const children = index.children(t);
  if (children.length) {
    lines.push('', 'Child tenants:');
    for (const c of children) lines.push(`  ${c.name}  ${c.namespace}  ${c.host}`);
  }
  const etcdUsers = apps.filter(a => a.uses.includes('etcd')).map(a => `${a.kind} ${a.name}`);
  lines.push('', 'Data:', `  Apps of ${t.namespace} keep their data in its namespace (volumes)`
    + (etcdUsers.length > 0 ? `; ${etcdUsers.join(', ')} also in the etcd of ${provider(index, t.services.etcd, 'etcd')}.` : '.'));
  lines.push('', ...managedBy(index, t, 'tenant'));
  if (parent) {
    lines.push(`  The Tenant object itself lives in ${parent.namespace}: only `
      + index.ancestors(t).map(a => `${a.namespace}-super-admin`).join(', ')
      + ' may change or delete it; deleting it deletes the whole subtree with its data.');
  }
  return lines.join('\n') + '\n';
}

/** Explains one target of a topology (already read). */
export function explainTopology(topology: Topology, target: string): string {
  const index = new TopologyIndex(topology);
  const found = resolve(index, target);
  return found.app ? explainApp(index, found.app) : explainTenant(index, found.tenant!);
}
