/**
 * `apply`: the bundle onto the management cluster, wave by wave (SPEC.md §5). Each
 * wave's Tenants must be Ready before the next wave, whose objects live in the
 * namespaces those tenants create. Objects removed from the bundle are deleted last,
 * and only when they carry the library's ownership label on the cluster and the plan
 * allows it; the root tenant never. With destructive changes not allowed, nothing is
 * applied at all.
 *
 * Tenant clusters' workloads come after the management waves (which create their
 * Kubernetes objects) and before the management prune: each cluster must be Ready, its
 * admin kubeconfig is read from its Secret into a private temporary file (removed
 * afterwards, also on failure), and its bundle is applied through that kubeconfig. Doing
 * this before the management prune keeps every irreversible deletion last: a cluster that
 * does not get Ready stops the run before anything is deleted, and workloads moved to a new
 * cluster run there before the old cluster may be deleted.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT_NAMESPACE } from '../domain/inheritance';
import { KubeconfigSecretRef, LoadedBundle, LoadedCluster, readBundle } from '../bundle/read';
import { CliIo, EXIT_DESTRUCTIVE, EXIT_ERROR, EXIT_OK } from './io';
import { Kubectl, parseDuration, resourceName } from './kubectl';
import { ClusterChange, computePlan, isRootTenantKey, Plan, PlanChange } from './plan';
import { renderDestructionsText } from './render';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../constructs/private/api-object';

export interface ApplyOptions {
  readonly bundle: string;
  readonly from?: string;
  readonly allowDestroy?: string[];
  readonly dryRun?: boolean;
  readonly serverSide?: boolean;
  /** How long to wait for each wave's Tenants, and for each tenant cluster, e.g. `15m`. */
  readonly timeout?: string;
  readonly kubectl?: string;
  readonly context?: string;
  readonly kubeconfig?: string;
}

/** The field manager for server-side apply. */
export const FIELD_MANAGER = 'cdk8s-cozystack';

const TENANT_RESOURCE = resourceName('apps.cozystack.io/v1alpha1', 'Tenant');
const KUBERNETES_RESOURCE = resourceName('apps.cozystack.io/v1alpha1', 'Kubernetes');

export async function runApply(o: ApplyOptions, io: CliIo): Promise<number> {
  const timeoutMs = parseDuration(o.timeout ?? '15m');
  const bundle = readBundle(o.bundle);
  let plan: Plan | undefined;
  let previous: LoadedBundle | undefined;
  if (o.from) {
    previous = readBundle(o.from);
    plan = computePlan(previous, bundle, { allowDestroy: o.allowDestroy });
    if (plan.exitCode !== EXIT_OK) {
      io.err(['Refusing to apply: the plan has destructive changes that --allow-destroy does not allow. Nothing was applied.',
        ...renderDestructionsText(plan.destructive), ''].join('\n'));
      return EXIT_DESTRUCTIVE;
    }
  } else {
    io.err('No --from bundle: nothing will be pruned and updates are not checked for destructive changes.\n');
  }

  const k = new Kubectl(o);
  const mode = `${o.serverSide ? 'server-side' : 'client-side'} apply${o.dryRun ? ', server dry run' : ''}`;
  const clusters = bundle.clusters.length > 0 ? `, ${bundle.clusters.length} tenant-cluster bundle${bundle.clusters.length === 1 ? '' : 's'}` : '';
  io.out(`Applying ${bundle.dir} (${bundle.waves.length} waves, ${bundle.objects.size} objects${clusters}; ${mode})\n`);

  // Dry run: tenants are not created, so the namespaces they would create do not exist.
  const pending = new Map<string, string>(); // namespace -> why its objects cannot be dry-run
  for (const w of bundle.waves) {
    const skipped = w.objects.filter(x => pending.has(x.ref.namespace));
    const objects = w.objects.filter(x => !pending.has(x.ref.namespace));
    io.out(`\nWave ${w.wave} (${w.file}): ${w.objects.length} object${w.objects.length === 1 ? '' : 's'}\n`);
    for (const s of skipped) {
      io.out(`  ${s.key}: not dry-run, ${pending.get(s.ref.namespace)}\n`);
      for (const t of w.waitFor.filter(x => x.kind === s.ref.kind && x.namespace === s.ref.namespace && x.name === s.ref.name)) {
        pending.set(t.tenantNamespace, pending.get(s.ref.namespace)!);
      }
    }
    if (objects.length > 0) {
      const input = skipped.length === 0 ? w.yaml : objects.map(x => JSON.stringify(x.manifest)).join('\n');
      const r = await k.run(applyArgs(o), input, line => line && io.out(`  ${line}\n`));
      if (r.stderr) io.err(indent(r.stderr));
      if (r.code !== 0) {
        io.err(`Wave ${w.wave} failed (kubectl exit code ${r.code}). Later waves were not applied.\n`);
        return EXIT_ERROR;
      }
    }
    const waitFor = w.waitFor.filter(t => !pending.has(t.namespace));
    if (waitFor.length === 0) continue;
    if (o.dryRun) {
      for (const t of waitFor) {
        if (t.tenantNamespace === t.namespace) continue;
        const state = await objectState(k, TENANT_RESOURCE, t.namespace, t.name);
        if (!state.ready) pending.set(t.tenantNamespace, `Tenant ${t.namespace}/${t.name} is ${state.found ? 'not Ready' : 'not created'} on the cluster, so namespace ${t.tenantNamespace} does not exist yet`);
      }
      continue;
    }
    const waited = await waitForTenants(k, w.wave, waitFor, timeoutMs, io);
    if (!waited) return EXIT_ERROR;
  }

  const clustersCode = await applyClusters(k, bundle, previous, plan, pending, timeoutMs, o, io);
  if (clustersCode !== EXIT_OK) return clustersCode;

  if (plan) {
    const code = await prune(k, plan, o, io);
    if (code !== EXIT_OK) return code;
  }
  io.out(`\n${o.dryRun ? 'Dry run complete: nothing was changed.' : 'Apply complete.'}\n`);
  return EXIT_OK;
}

function indent(s: string): string {
  return s.split('\n').filter(l => l.length > 0).map(l => `  ${l}\n`).join('');
}

function applyArgs(o: ApplyOptions): string[] {
  const args = ['apply', '-f', '-'];
  if (o.serverSide) args.push('--server-side', `--field-manager=${FIELD_MANAGER}`);
  if (o.dryRun) args.push('--dry-run=server');
  return args;
}

interface ObjectState {
  readonly found: boolean;
  readonly ready: boolean;
  readonly conditions: any[];
}

async function objectState(k: Kubectl, resource: string, namespace: string, name: string): Promise<ObjectState> {
  const r = await k.run(['get', resource, name, '-n', namespace, '-o', 'json', '--ignore-not-found']);
  if (r.code !== 0 || r.stdout.trim() === '') return { found: false, ready: false, conditions: [] };
  const obj = JSON.parse(r.stdout);
  const conditions: any[] = obj.status?.conditions ?? [];
  return { found: true, ready: conditions.some(c => c.type === 'Ready' && c.status === 'True'), conditions };
}

/** One object `apply` waits for, and how the not-ready message names it. */
interface Awaited {
  readonly namespace: string;
  readonly name: string;
  readonly what: string;
}

/**
 * Waits until every object is Ready, at most until `deadline`. On a timeout returns the
 * lines that say, for each object still not Ready, why: not found, no conditions, or its
 * conditions; undefined when everything got Ready.
 */
async function waitReady(k: Kubectl, resource: string, objects: Awaited[], deadline: number, io: CliIo): Promise<string[] | undefined> {
  const byNamespace = new Map<string, string[]>();
  for (const t of objects) byNamespace.set(t.namespace, [...(byNamespace.get(t.namespace) ?? []), t.name]);
  let failed = false;
  for (const [ns, names] of byNamespace) {
    const left = Math.max(1, Math.ceil((deadline - Date.now()) / 1000));
    const r = await k.run(['wait', '--for=condition=Ready', `--timeout=${left}s`, '-n', ns, ...names.map(n => `${resource}/${n}`)],
      undefined, line => line && io.out(`  ${line}\n`));
    if (r.code !== 0) {
      failed = true;
      break;
    }
  }
  if (!failed) return undefined;

  const lines: string[] = [];
  for (const t of objects) {
    const s = await objectState(k, resource, t.namespace, t.name);
    if (s.ready) continue;
    if (!s.found) {lines.push(`  ${t.what}: not found on the cluster`);} else if (s.conditions.length === 0) {lines.push(`  ${t.what}: no status conditions reported yet`);} else {
      lines.push(`  ${t.what}: not Ready; conditions:`);
      for (const c of s.conditions) lines.push(`    ${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}${c.message ? `: ${c.message}` : ''}`);
    }
  }
  return lines;
}

async function waitForTenants(k: Kubectl, wave: number, tenants: { namespace: string; name: string; tenantNamespace: string }[],
  timeoutMs: number, io: CliIo): Promise<boolean> {
  io.out(`  waiting up to ${Math.ceil(timeoutMs / 1000)}s for ${tenants.length} Tenant${tenants.length === 1 ? '' : 's'} to be Ready: ${tenants.map(t => `${t.namespace}/${t.name}`).join(', ')}\n`);
  const awaited = tenants.map(t => ({ namespace: t.namespace, name: t.name, what: `Tenant ${t.namespace}/${t.name} (namespace ${t.tenantNamespace})` }));
  const lines = await waitReady(k, TENANT_RESOURCE, awaited, Date.now() + timeoutMs, io);
  if (!lines) return true;
  io.err([
    `Wave ${wave}: timed out after ${Math.ceil(timeoutMs / 1000)}s waiting for Tenants to be Ready:`,
    ...(lines.length > 0 ? lines : ['  (every Tenant reports Ready now; kubectl wait failed before: see its message above)']),
    `Waves after ${wave} were not applied. Check the tenant's HelmRelease (kubectl get helmreleases -n <namespace>) and run apply again; it is safe to repeat.`,
    '',
  ].join('\n'));
  return false;
}

/** A tenant cluster to visit: its current bundle, and what the plan removes from it. */
interface ClusterVisit {
  readonly cluster: LoadedCluster;
  /** Undefined when the bundle was removed (only pruning is left to do). */
  readonly current?: LoadedCluster;
  readonly deletions: ClusterChange[];
}

/**
 * Each tenant cluster's bundle through its own API, in cluster order: wait for the
 * Kubernetes object to be Ready, read its admin kubeconfig, apply, prune what the plan
 * removes (owned objects only). Stops at the first cluster that fails.
 */
async function applyClusters(k: Kubectl, bundle: LoadedBundle, previous: LoadedBundle | undefined, plan: Plan | undefined,
  pending: Map<string, string>, timeoutMs: number, o: ApplyOptions, io: CliIo): Promise<number> {
  const visits: ClusterVisit[] = bundle.clusters.map(c => ({
    cluster: c,
    current: c,
    deletions: plan?.clusters.find(p => p.id === c.id)?.changes.filter(x => x.action === 'delete') ?? [],
  }));
  for (const p of plan?.clusters.filter(c => c.status === 'bundle-removed') ?? []) {
    const before = previous!.clusters.find(c => c.id === p.id)!;
    visits.push({ cluster: before, deletions: p.changes.filter(x => x.action === 'delete') });
  }
  visits.sort((a, b) => (a.cluster.id < b.cluster.id ? -1 : a.cluster.id > b.cluster.id ? 1 : 0));

  for (const [i, v] of visits.entries()) {
    const c = v.cluster;
    const count = v.current ? `${v.current.objects.length} object${v.current.objects.length === 1 ? '' : 's'}` : 'bundle removed';
    const removed = v.deletions.length > 0 ? `, ${v.deletions.length} removed from its bundle` : '';
    io.out(`\nTenant cluster ${c.id} (${(v.current ?? c).files.join(', ')}): ${count}${removed}\n`);
    const later = visits.slice(i + 1).map(x => x.cluster.id);
    const stop = (why: string): number => {
      io.err([why, `Its workloads${later.length > 0 ? ` and those of ${later.join(', ')}` : ''} were not applied, and nothing was pruned. `
        + `Check the cluster's HelmRelease (kubectl get helmreleases -n ${c.namespace} kubernetes-${c.name}) and run apply again; it is safe to repeat.`, ''].join('\n'));
      return EXIT_ERROR;
    };

    const deadline = Date.now() + timeoutMs;
    if (o.dryRun) {
      const notYet = pending.get(c.namespace);
      const state = notYet ? undefined : await objectState(k, KUBERNETES_RESOURCE, c.namespace, c.name);
      if (notYet || !state?.ready) {
        const why = notYet ?? `Kubernetes ${c.id} is ${state?.found ? 'not Ready' : 'not created'} on the cluster, so its API cannot be reached yet`;
        io.out(`  not dry-run: ${why}\n`);
        continue;
      }
    } else {
      io.out(`  waiting up to ${Math.ceil(timeoutMs / 1000)}s for Kubernetes ${c.id} to be Ready\n`);
      const lines = await waitReady(k, KUBERNETES_RESOURCE, [{ namespace: c.namespace, name: c.name, what: `Kubernetes ${c.id}` }], deadline, io);
      if (lines) {
        return stop([`Tenant cluster ${c.id}: timed out after ${Math.ceil(timeoutMs / 1000)}s waiting for Kubernetes ${c.id} to be Ready:`,
          ...(lines.length > 0 ? lines : ['  (it reports Ready now; kubectl wait failed before: see its message above)'])].join('\n'));
      }
    }

    const secret = c.kubeconfigSecret;
    const kubeconfig = await readKubeconfig(k, secret, o.dryRun ? Date.now() : deadline);
    if (typeof kubeconfig !== 'string') {
      return stop(`Tenant cluster ${c.id}: ${kubeconfig.error}`);
    }
    io.out(`  kubeconfig from Secret ${secret.namespace}/${secret.name} (key ${secret.key})\n`);
    const code = await withTemporaryKubeconfig(kubeconfig, async file => {
      const tk = new Kubectl({ kubectl: o.kubectl, kubeconfig: file });
      if (v.current && v.current.objects.length > 0) {
        const r = await tk.run(applyArgs(o), v.current.yaml, line => line && io.out(`  ${line}\n`));
        if (r.stderr) io.err(indent(r.stderr));
        if (r.code !== 0) {
          io.err(`Tenant cluster ${c.id}: kubectl apply failed (exit code ${r.code}). Later tenant clusters were not applied, and nothing was pruned.\n`);
          return EXIT_ERROR;
        }
      }
      return v.deletions.length > 0 ? pruneCluster(tk, c, v.deletions, plan!, o, io) : EXIT_OK;
    });
    if (code !== EXIT_OK) return code;
  }
  return EXIT_OK;
}

/**
 * Reads a cluster's admin kubeconfig from its Secret; polls until `deadline`, since the
 * Secret may appear a little after the cluster reports Ready.
 */
async function readKubeconfig(k: Kubectl, secret: KubeconfigSecretRef, deadline: number): Promise<string | { error: string }> {
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

/**
 * Deletes, inside a tenant cluster, what its bundle no longer has: only objects that carry
 * the library's ownership label on that cluster, and destructive ones only when allowed.
 */
async function pruneCluster(tk: Kubectl, c: LoadedCluster, deletions: ClusterChange[], plan: Plan, o: ApplyOptions, io: CliIo): Promise<number> {
  // What mounts a volume goes before the volume, and a namespace after everything in it.
  const rank = (kind: string) => (kind === 'Namespace' ? 2 : kind === 'PersistentVolumeClaim' ? 1 : 0);
  deletions = [...deletions].sort((x, y) => rank(x.kind) - rank(y.kind) || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  io.out(`  prune: ${deletions.length} object${deletions.length === 1 ? '' : 's'} removed from the bundle`
    + ` (deleted only when they carry ${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE} in the cluster)\n`);
  for (const d of deletions) {
    const shown = `${d.kind} ${d.namespace ? `${d.namespace}/` : ''}${d.name}`;
    if (plan.destructive.some(x => x.key === d.key && !x.allowed)) {
      io.out(`  ${shown}: kept (destructive, not allowed by --allow-destroy ${d.key})\n`);
      continue;
    }
    const resource = resourceName(d.apiVersion, d.kind);
    const ns = d.namespace ? ['-n', d.namespace] : [];
    const got = await tk.run(['get', resource, d.name, ...ns, '-o', 'json', '--ignore-not-found']);
    if (got.code !== 0) {
      io.err(`  ${shown}: could not read it from tenant cluster ${c.id}: ${got.stderr.trim()}\n`);
      return EXIT_ERROR;
    }
    if (got.stdout.trim() === '') {
      io.out(`  ${shown}: already gone\n`);
      continue;
    }
    if (JSON.parse(got.stdout).metadata?.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY_VALUE) {
      io.out(`  ${shown}: kept (it does not carry ${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE} in the cluster, so this library does not own it; delete it by hand if that is meant)\n`);
      continue;
    }
    const args = ['delete', resource, d.name, ...ns, '--wait=false'];
    if (o.dryRun) args.push('--dry-run=server');
    const r = await tk.run(args, undefined, line => line && io.out(`  ${line}\n`));
    if (r.code !== 0) {
      io.err(`  ${shown}: delete failed: ${r.stderr.trim()}\n`);
      return EXIT_ERROR;
    }
  }
  return EXIT_OK;
}

/** Deletes what the previous bundle had and this one has not: deepest namespaces first. */
async function prune(k: Kubectl, plan: Plan, o: ApplyOptions, io: CliIo): Promise<number> {
  const deletions: PlanChange[] = plan.waves.flatMap(w => w.changes).filter(c => c.action === 'delete');
  if (deletions.length === 0) return EXIT_OK;
  io.out(`\nPrune: ${deletions.length} object${deletions.length === 1 ? '' : 's'} removed from the bundle\n`);
  deletions.sort((a, b) => depthOf(b.namespace) - depthOf(a.namespace) || b.wave - a.wave || (a.key < b.key ? -1 : 1));
  for (const c of deletions) {
    if (isRootTenantKey(c.key) || (c.kind === 'Tenant' && c.namespace === ROOT_NAMESPACE && c.name === 'root')) {
      io.out(`  ${c.key}: kept (the platform's root tenant is never deleted)\n`);
      continue;
    }
    const destructive = plan.destructive.filter(d => d.key === c.key);
    if (destructive.some(d => !d.allowed)) {
      io.out(`  ${c.key}: kept (destructive, not allowed by --allow-destroy)\n`);
      continue;
    }
    const resource = resourceName(c.apiVersion, c.kind);
    const got = await k.run(['get', resource, c.name, '-n', c.namespace, '-o', 'json', '--ignore-not-found']);
    if (got.code !== 0) {
      io.err(`  ${c.key}: could not read it from the cluster: ${got.stderr.trim()}\n`);
      return EXIT_ERROR;
    }
    if (got.stdout.trim() === '') {
      io.out(`  ${c.key}: already gone\n`);
      continue;
    }
    const live = JSON.parse(got.stdout);
    if (live.metadata?.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY_VALUE) {
      io.out(`  ${c.key}: kept (on the cluster it does not carry ${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}, so this library does not own it)\n`);
      continue;
    }
    const args = ['delete', resource, c.name, '-n', c.namespace, '--wait=false'];
    if (o.dryRun) args.push('--dry-run=server');
    const r = await k.run(args, undefined, line => line && io.out(`  ${line}\n`));
    if (r.code !== 0) {
      io.err(`  ${c.key}: delete failed: ${r.stderr.trim()}\n`);
      return EXIT_ERROR;
    }
  }
  return EXIT_OK;
}

/** Tenant names have no dashes (SPEC.md §3), so a tenant namespace's dashes count its depth. */
function depthOf(namespace: string): number {
  return namespace.split('-').length;
}

