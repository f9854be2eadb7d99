/**
 * `cdk8s-cozystack explain <target>`: what Cozystack will make of one app or tenant
 * of a synthesized bundle: where its data lives, how it is reached, where its metrics
 * go, who may manage it and which Secret holds its credentials. Read from the bundle's
 * `topology.json` alone, before anything is applied.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Command } from 'commander';
import {
  credentialsOf, plural, postgresServices, releaseOf, ROLE_RIGHTS, ROLES, Topology, TopologyApp,
  TopologyIndex, TopologyTenant,
} from './model';

/** A target that names nothing in the bundle, or a bundle that cannot be read. */
export class ExplainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExplainError';
  }
}

/** Reads `topology.json` of a bundle, refusing half-written or edited bundles. */
export function readTopology(bundleDir: string): Topology {
  const file = path.join(bundleDir, 'topology.json');
  const indexFile = path.join(bundleDir, 'index.json');
  if (!fs.existsSync(file)) {
    throw new ExplainError(`${file} does not exist: ${bundleDir} is not a synthesized bundle. Synthesize first (e.g. cdk8s synth), `
      + 'or pass the bundle folder with --bundle.');
  }
  if (!fs.existsSync(indexFile)) {
    throw new ExplainError(`${bundleDir} has no index.json: the bundle is incomplete (index.json is written last). Synthesize again.`);
  }
  const text = fs.readFileSync(file, 'utf8');
  try {
    return JSON.parse(text) as Topology;
  } catch (e) {
    throw new ExplainError(`${file} is not valid JSON (${(e as Error).message}). Synthesize again.`);
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
    add(`${a.namespace}/${releaseOf(a)}`, { app: a });
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

function explainApp(index: TopologyIndex, a: TopologyApp): string {
  const t = index.tenant(a.namespace)!;
  const etcd = a.services.etcd;
  const ingress = a.services.ingress;
  const monitoring = a.services.monitoring;
  const lines = [
    `${a.kind} ${a.name}  (${a.path})`,
    `  Object:  apps.cozystack.io/v1alpha1 ${a.kind} "${a.name}" in namespace ${a.namespace}; Cozystack creates HelmRelease ${releaseOf(a)}`,
    `  Tenant:  ${t.name} (${t.path}), host ${t.host}`,
    '',
  ];
  if (a.kind === 'Kubernetes') {
    lines.push('Data:');
    lines.push(`  Control plane state in the etcd of ${provider(index, etcd, 'etcd')} (Kamaji dataStoreName: ${etcd ?? '?'}).`);
    if (etcd && !index.runs(etcd, 'etcd')) {
      lines.push(`  ⚠ With no running etcd the chart renders only ConfigMap ${releaseOf(a)}-awaiting-etcd and waits forever.`);
    }
    lines.push(`  Node disks: volumes of its node VMs in ${a.namespace}.`);
    lines.push('', 'Reached:');
    if (a.host) lines.push(`  API server: https://${a.host}`);
    lines.push(`  through the ingress of ${provider(index, ingress, 'ingress')} (ingress class: ${ingress ?? '?'}).`);
  } else if (a.kind === 'Postgres') {
    lines.push('Data:');
    lines.push(`  Its own volumes (PersistentVolumeClaims of ${releaseOf(a)}) in namespace ${a.namespace}; no etcd is involved.`);
    lines.push('', 'Reached:');
    for (const s of postgresServices(a)) lines.push(`  ${s.host}  ${s.what}, inside the cluster`);
    if (a.host) lines.push(`  ${a.host}  external TLS name (when exposed outside the cluster)`);
    lines.push(`  Ingress provider of its tenant: ${provider(index, ingress, 'ingress')}.`);
  } else {
    lines.push('Data:', `  etcd provider of its tenant: ${provider(index, etcd, 'etcd')}.`, '', 'Reached:');
    if (a.host) lines.push(`  ${a.host}`);
    lines.push(`  Ingress provider of its tenant: ${provider(index, ingress, 'ingress')}.`);
  }
  lines.push('', 'Metrics:');
  lines.push(`  Sent to the monitoring of ${provider(index, monitoring, 'monitoring')}.`);
  if (monitoring && !index.runs(monitoring, 'monitoring')) lines.push('  ⚠ Nobody collects them.');
  const cred = credentialsOf(a);
  lines.push('', 'Credentials:');
  if (cred) {
    lines.push(`  Secret ${cred.secret} in namespace ${a.namespace}${cred.key ? `, key ${cred.key}` : ''} (${cred.what})`);
    if (cred.key) {
      lines.push(`  kubectl -n ${a.namespace} get secret ${cred.secret} -o jsonpath='{.data.${cred.key.replace(/\./g, '\\.')}}' | base64 -d`);
    }
  } else {
    lines.push('  none known for this kind');
  }
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
  for (const s of ['etcd', 'ingress', 'monitoring', 'seaweedfs']) {
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
  lines.push('', 'Data:', `  Apps of ${t.namespace} keep their data in its namespace (volumes) and, for Kubernetes clusters,`
    + ` in the etcd of ${provider(index, t.services.etcd, 'etcd')}.`);
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

/**
 * Explains one app or tenant of the bundle in `bundleDir`. `target` is a construct
 * path (`platform/u1/u2/db1`), `namespace/name` (`tenant-u1-u2/db1`), or a tenant
 * namespace (`tenant-u1`). Throws {@link ExplainError} with close matches for an
 * unknown target.
 */
export function explain(bundleDir: string, target: string): string {
  return explainTopology(readTopology(bundleDir), target);
}

/** Adds `explain <target> [--bundle dist]` to a commander program; the answer goes to `out`. */
export function registerExplainCommand(program: Command, out: (text: string) => void = t => process.stdout.write(t)): Command {
  return program
    .command('explain')
    .description('Explain an app or tenant of a synthesized bundle: where its data lives, how it is reached, where its metrics go, '
      + 'who may manage it and which Secret holds its credentials')
    .argument('<target>', 'construct path (platform/u1/u2/db1), namespace/name (tenant-u1-u2/db1) or tenant namespace (tenant-u1)')
    .option('--bundle <dir>', 'the synthesized bundle folder', 'dist')
    .action(function (this: Command, target: string, opts: { bundle: string }) {
      try {
        out(explain(opts.bundle, target));
      } catch (e) {
        if (e instanceof ExplainError) this.error(`error: ${e.message}`, { exitCode: 1, code: 'cozystack.explain' });
        throw e;
      }
    });
}
