/**
 * `apply`: the bundle onto the management cluster, wave by wave (SPEC.md §5). Each
 * wave's Tenants must be Ready before the next wave, whose objects live in the
 * namespaces those tenants create. Objects removed from the bundle are deleted last,
 * and only when they carry the library's ownership label on the cluster and the plan
 * allows it; the root tenant never. With destructive changes not allowed, nothing is
 * applied at all.
 *
 * Before wave 0 a preflight (preflight.ts) checks the kubeconfig, the server and that it
 * serves every apps.cozystack.io kind of the bundle. Each wave's live objects are read
 * and compared here (live.ts), and only those that differ are sent to kubectl: an
 * unchanged bundle makes no write, a one-tenant change writes that tenant's objects.
 * `--dry-run` writes nothing at all, not even a server-side dry run: Cozystack's API
 * server executes dry-run writes for real (SPEC.md §2); it prints the field-level diff.
 *
 * Tenant clusters' workloads come after the management waves (which create their
 * Kubernetes objects) and before the management prune: each cluster must be Ready, its
 * admin kubeconfig is read from its Secret into a private temporary file (removed
 * afterwards, also on failure), and its bundle is applied through that kubeconfig. Doing
 * this before the management prune keeps every irreversible deletion last: a cluster that
 * does not get Ready stops the run before anything is deleted, and workloads moved to a new
 * cluster run there before the old cluster may be deleted.
 */
import { CliIo, EXIT_DESTRUCTIVE, EXIT_ERROR, EXIT_OK } from './io';
import { Kubectl, parseDuration, resourceName } from './kubectl';
import {
  compareLive, computeLivePlan, fieldLines, liveKey, LivePlan, LiveReadError, LiveRef, readKubeconfig, readLive, renderLivePlanText, shownName,
  withTemporaryKubeconfig,
} from './live';
import { ClusterChange, computePlan, Plan, PlanChange } from './plan';
import { BundleIndex } from './plan-index';
import { APPS_GROUP_VERSION, preflight } from './preflight';
import { Awaited, readinessOf, waitReady, WaitResult } from './readiness';
import { renderDestructionsText, renderLivePlanMarkdown, renderPlan } from './render';
import { BundleWaitRef, LoadedBundle, LoadedCluster, LoadedObject, objectKey, readBundle } from '../bundle/read';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../domain/labels';

export { withTemporaryKubeconfig } from './live';

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

/** The kind of objects apply waits for, as the bundle names it. */
interface AwaitedType {
  readonly apiVersion: string;
  readonly kind: string;
  readonly resource: string;
}

function typeOf(r: { apiVersion: string; kind: string }): AwaitedType {
  return { apiVersion: r.apiVersion, kind: r.kind, resource: resourceName(r.apiVersion, r.kind) };
}

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
  }

  const k = new Kubectl(o);
  const appKinds = [...new Set([...bundle.objects.values()].filter(x => x.ref.apiVersion === APPS_GROUP_VERSION).map(x => x.ref.kind))];
  const problem = await preflight(k, o, appKinds);
  if (problem) {
    io.err(`${problem}\n`);
    return EXIT_ERROR;
  }
  if (!o.from) io.err('No --from bundle: nothing will be pruned and updates are not checked for destructive changes.\n');
  const mode = `${o.serverSide ? 'server-side' : 'client-side'} apply${o.dryRun ? ', dry run: live objects read and compared here, nothing written' : ''}`;
  const clusters = bundle.clusters.length > 0 ? `, ${bundle.clusters.length} tenant-cluster bundle${bundle.clusters.length === 1 ? '' : 's'}` : '';
  io.out(`Applying ${bundle.dir} (${bundle.waves.length} waves, ${bundle.objects.size} objects${clusters}; ${mode})\n`);

  // Dry run: the Tenants a wave would create do not exist, so neither do their namespaces nor clusters.
  const pending = new Map<string, string>(); // namespace -> why it does not exist yet
  for (const w of bundle.waves) {
    io.out(`\nWave ${w.wave} (${w.file}): ${w.objects.length} object${w.objects.length === 1 ? '' : 's'}\n`);
    const compared = await compareWave(k, w.objects.map(x => ({ ref: liveRef(x.ref), manifest: x.manifest })), o, io);
    if (!compared) return EXIT_ERROR;
    const changed = compared.changed;
    if (changed.length > 0 && !o.dryRun) {
      // Only what differs from the cluster is written: an unchanged wave costs its reads.
      const input = changed.map(x => JSON.stringify(x.manifest)).join('\n');
      const r = await k.run(applyArgs(o, true), input, line => line && io.out(`  ${line}\n`));
      if (r.stderr) io.err(indent(r.stderr));
      if (r.code !== 0) {
        const hosts = hostPolicyRefusals(r.stderr, w.objects);
        if (hosts.length > 0) io.err(hosts.join(''));
        io.err(`Wave ${w.wave} failed (kubectl exit code ${r.code}). Later waves were not applied.\n`);
        return EXIT_ERROR;
      }
    }
    if (w.waitFor.length === 0) continue;
    if (o.dryRun) {
      for (const t of w.waitFor) {
        if (t.tenantNamespace === t.namespace) continue;
        const why = pending.get(t.namespace);
        if (why) {
          pending.set(t.tenantNamespace, why);
          continue;
        }
        // The wave's live objects were just read: no request per Tenant.
        const state = readinessOf(compared.live.get(liveKey(liveRef(t))));
        if (!state.found || !state.ready) pending.set(t.tenantNamespace, `Tenant ${t.namespace}/${t.name} is ${state.found ? 'not Ready' : 'not created'} on the cluster, so namespace ${t.tenantNamespace} does not exist yet`);
      }
      continue;
    }
    const waited = await waitForTenants(k, w.wave, w.waitFor, timeoutMs, io);
    if (!waited) return EXIT_ERROR;
  }

  const clustersCode = await applyClusters(k, bundle, previous, plan, pending, timeoutMs, o, io);
  if (clustersCode !== EXIT_OK) return clustersCode;

  if (plan && previous) {
    const code = await pruneManagement(k, plan, new BundleIndex(previous), o, io);
    if (code !== EXIT_OK) return code;
  }
  io.out(`\n${o.dryRun ? 'Dry run complete: nothing was written.' : 'Apply complete.'}\n`);
  return EXIT_OK;
}

/** A bundle object as the live reader looks it up. */
function liveRef(r: { apiVersion: string; kind: string; namespace: string; name: string }): LiveRef {
  return { apiVersion: r.apiVersion, kind: r.kind, namespace: r.namespace ?? '', name: r.name };
}

/**
 * Reads the live objects of a wave (or a tenant cluster's bundle) and prints, for each
 * object, whether it is unchanged; in a dry run also what would be created or updated,
 * field by field. Returns the objects that differ from the cluster, in bundle order, and
 * the live objects by {@link liveKey} (undefined when the cluster could not be read).
 */
async function compareWave<T extends { ref: LiveRef; manifest: any }>(k: Kubectl, objects: T[], o: ApplyOptions,
  io: CliIo): Promise<{ changed: T[]; live: Map<string, any> } | undefined> {
  let live: Map<string, any>;
  try {
    live = await readLive(k, objects.map(x => x.ref));
  } catch (e) {
    if (!(e instanceof LiveReadError)) throw e;
    io.err(`  ${e.message}\nNothing of this wave or later ones was applied.\n`);
    return undefined;
  }
  const changed: T[] = [];
  for (const x of objects) {
    const c = compareLive(x.manifest, live.get(liveKey(x.ref)));
    const shown = shownName(x.ref.apiVersion, x.ref.kind, x.ref.name);
    if (c.action === 'unchanged') {
      io.out(`  ${shown} unchanged\n`);
      continue;
    }
    changed.push(x);
    if (!o.dryRun) continue;
    io.out(`  ${shown} ${c.action === 'create' ? 'would be created' : 'would be updated:'}\n`);
    if (c.action === 'update') io.out(fieldLines(c.fields, '    ').map(l => `${l}\n`).join(''));
  }
  return { changed, live };
}

/**
 * Cozystack's host policy (cozystack-tenant-host-policy) lets only cluster admins and its
 * own service accounts set or change a Tenant's host: for each Tenant kubectl reports
 * refused by it, which tenant, and what to do.
 */
function hostPolicyRefusals(stderr: string, objects: readonly LoadedObject[]): string[] {
  const out: string[] = [];
  for (const line of stderr.split('\n')) {
    if (!line.includes('cozystack-tenant-host-policy')) continue;
    const name = /tenants(?:\.apps\.cozystack\.io)? "([^"]+)"/.exec(line)?.[1];
    const user = /request user is ([^.\s]+(?:\.[^.\s]+)*)\./.exec(line)?.[1];
    const t = objects.find(x => x.ref.kind === 'Tenant' && x.ref.name === name);
    const where = t ? `${t.ref.namespace}/${t.ref.name}` : name ?? 'a Tenant';
    const host = t?.manifest?.spec?.host;
    out.push(`Tenant ${where}${host ? ` sets host "${host}"` : ' sets or changes its host'}: Cozystack's admission policy cozystack-tenant-host-policy `
      + `lets only cluster admins (system:masters) and Cozystack's own service accounts set or change a tenant's host${user ? `, and this kubeconfig's identity is ${user}` : ''}. `
      + `Either remove the host from this tenant in the program (a tenant without one inherits ${name ?? '<name>'}.<its parent's host>), `
      + 'or have a platform admin apply this change with a cluster-admin kubeconfig (--kubeconfig).\n');
  }
  return out;
}

function indent(s: string): string {
  return s.split('\n').filter(l => l.length > 0).map(l => `  ${l}\n`).join('');
}

/**
 * kubectl's arguments for applying. Never a dry run: dry runs do not reach kubectl apply.
 * Server-side apply forces conflicts on the management cluster's app objects: cozystack-api
 * keeps no managedFields (every field belongs to "before-first-apply"), so any change
 * would conflict otherwise; the bundle is the source of truth for them.
 */
function applyArgs(o: ApplyOptions, management: boolean): string[] {
  const args = ['apply', '-f', '-'];
  if (o.serverSide) args.push('--server-side', `--field-manager=${FIELD_MANAGER}`, ...(management ? ['--force-conflicts'] : []));
  return args;
}

async function objectState(k: Kubectl, type: AwaitedType, namespace: string, name: string) {
  const r = await k.run(['get', type.resource, name, '-n', namespace, '-o', 'json', '--ignore-not-found']);
  return readinessOf(r.code !== 0 || r.stdout.trim() === '' ? undefined : JSON.parse(r.stdout));
}

/** Says once which objects were counted Ready on their condition alone. */
function reportUnverified(result: WaitResult, io: CliIo): void {
  if (result.unverified.length === 0) return;
  io.out(`  note: the server reports no generation for ${result.unverified.map(u => u.what).join(', ')}: `
    + 'Ready was taken as it is, and cannot tell whether it describes the spec just applied.\n');
}

async function waitForTenants(k: Kubectl, wave: number, tenants: BundleWaitRef[], timeoutMs: number, io: CliIo): Promise<boolean> {
  io.out(`  waiting up to ${Math.ceil(timeoutMs / 1000)}s for ${tenants.length} Tenant${tenants.length === 1 ? '' : 's'} to be Ready: ${tenants.map(t => `${t.namespace}/${t.name}`).join(', ')}\n`);
  const types = new Map<string, { type: AwaitedType; awaited: Awaited[] }>();
  for (const t of tenants) {
    const type = typeOf(t);
    let entry = types.get(type.resource);
    if (!entry) types.set(type.resource, entry = { type, awaited: [] });
    entry.awaited.push({ namespace: t.namespace, name: t.name, what: `Tenant ${t.namespace}/${t.name} (namespace ${t.tenantNamespace})` });
  }
  const deadline = Date.now() + timeoutMs;
  const lines: string[] = [];
  for (const { type, awaited } of types.values()) {
    const result = await waitReady(k, type, awaited, deadline, io);
    reportUnverified(result, io);
    lines.push(...result.lines);
  }
  if (lines.length === 0) return true;
  io.err([
    `Wave ${wave}: timed out after ${Math.ceil(timeoutMs / 1000)}s waiting for Tenants to be Ready:`,
    ...lines,
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
  const planned = new Map((plan?.clusters ?? []).map(p => [p.id, p]));
  const visits: ClusterVisit[] = bundle.clusters.map(c => ({
    cluster: c,
    current: c,
    deletions: planned.get(c.id)?.changes.filter(x => x.action === 'delete') ?? [],
  }));
  const previousClusters = new Map((previous?.clusters ?? []).map(c => [c.id, c]));
  for (const p of plan?.clusters.filter(c => c.status === 'bundle-removed') ?? []) {
    const before = previousClusters.get(p.id)!;
    visits.push({ cluster: before, deletions: p.changes.filter(x => x.action === 'delete') });
  }
  visits.sort((a, b) => (a.cluster.id < b.cluster.id ? -1 : a.cluster.id > b.cluster.id ? 1 : 0));
  const releaseOf = (c: LoadedCluster) => (bundle.topology.apps.find(a => objectKey(a) === c.key)
    ?? previous?.topology.apps.find(a => objectKey(a) === c.key))?.release;

  for (const [i, v] of visits.entries()) {
    const c = v.cluster;
    const count = v.current ? `${v.current.objects.length} object${v.current.objects.length === 1 ? '' : 's'}` : 'bundle removed';
    const removed = v.deletions.length > 0 ? `, ${v.deletions.length} removed from its bundle` : '';
    io.out(`\nTenant cluster ${c.id} (${(v.current ?? c).files.join(', ')}): ${count}${removed}\n`);
    const later = visits.slice(i + 1).map(x => x.cluster.id);
    const stop = (why: string): number => {
      io.err([why, `Its workloads${later.length > 0 ? ` and those of ${later.join(', ')}` : ''} were not applied, and nothing was pruned. `
        + `Check the cluster's HelmRelease (kubectl get helmreleases -n ${c.namespace}${releaseOf(c) ? ` ${releaseOf(c)}` : ''}) and run apply again; it is safe to repeat.`, ''].join('\n'));
      return EXIT_ERROR;
    };

    const deadline = Date.now() + timeoutMs;
    if (o.dryRun) {
      const notYet = pending.get(c.namespace);
      const state = notYet ? undefined : await objectState(k, typeOf(c), c.namespace, c.name);
      if (notYet || !state?.ready) {
        const why = notYet ?? `${c.kind} ${c.id} is ${state?.found ? 'not Ready' : 'not created'} on the cluster, so its API cannot be reached yet`;
        io.out(`  not dry-run: ${why}\n`);
        continue;
      }
    } else {
      io.out(`  waiting up to ${Math.ceil(timeoutMs / 1000)}s for Kubernetes ${c.id} to be Ready\n`);
      const waited = await waitReady(k, typeOf(c), [{ namespace: c.namespace, name: c.name, what: `${c.kind} ${c.id}` }], deadline, io);
      reportUnverified(waited, io);
      if (!waited.ready) {
        return stop([`Tenant cluster ${c.id}: timed out after ${Math.ceil(timeoutMs / 1000)}s waiting for ${c.kind} ${c.id} to be Ready:`, ...waited.lines].join('\n'));
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
        const compared = await compareWave(tk, v.current.objects.map(x => ({ ref: liveRef(x), manifest: x.manifest })), o, io);
        if (!compared) return EXIT_ERROR;
        const changed = compared.changed;
        if (changed.length > 0 && !o.dryRun) {
          const input = changed.map(x => JSON.stringify(x.manifest)).join('\n');
          const r = await tk.run(applyArgs(o, false), input, line => line && io.out(`  ${line}\n`));
          if (r.stderr) io.err(indent(r.stderr));
          if (r.code !== 0) {
            io.err(`Tenant cluster ${c.id}: kubectl apply failed (exit code ${r.code}). Later tenant clusters were not applied, and nothing was pruned.\n`);
            return EXIT_ERROR;
          }
        }
      }
      return v.deletions.length > 0 ? pruneCluster(tk, c, v.deletions, plan!, o, io) : EXIT_OK;
    });
    if (code !== EXIT_OK) return code;
  }
  return EXIT_OK;
}

/** One object `prune` may delete, and how its lines name it. */
interface PruneItem {
  readonly key: string;
  readonly apiVersion: string;
  readonly kind: string;
  /** '' when cluster-scoped. */
  readonly namespace: string;
  readonly name: string;
  readonly shown: string;
}

/** Where `prune` deletes, and how it words what it keeps. */
interface PruneTarget {
  readonly kubectl: Kubectl;
  /** `the cluster`, `tenant cluster tenant-foo/cluster1`. */
  readonly where: string;
  /** Why an object without the ownership label is kept. */
  readonly notOwned: string;
  /** What a destructive change not allowed says. */
  readonly notAllowed: (item: PruneItem) => string;
}

/**
 * Deletes what the previous bundle had and this one has not, in the order given, on one
 * cluster (the management cluster or a tenant cluster): never the root tenant, never a
 * destructive change `--allow-destroy` does not allow, never an object that does not carry
 * the library's ownership label there. Stops at the first failure.
 */
async function prune(t: PruneTarget, items: PruneItem[], plan: Plan, o: ApplyOptions, io: CliIo, rootKey?: string): Promise<number> {
  const notAllowed = new Set(plan.destructive.filter(d => !d.allowed).map(d => d.key));
  for (const d of items) {
    if (d.key === rootKey) {
      io.out(`  ${d.shown}: kept (the platform's root tenant is never deleted)\n`);
      continue;
    }
    if (notAllowed.has(d.key)) {
      io.out(`  ${d.shown}: kept (${t.notAllowed(d)})\n`);
      continue;
    }
    const resource = resourceName(d.apiVersion, d.kind);
    const ns = d.namespace ? ['-n', d.namespace] : [];
    const got = await t.kubectl.run(['get', resource, d.name, ...ns, '-o', 'json', '--ignore-not-found']);
    if (got.code !== 0) {
      io.err(`  ${d.shown}: could not read it from ${t.where}: ${got.stderr.trim()}\n`);
      return EXIT_ERROR;
    }
    if (got.stdout.trim() === '') {
      io.out(`  ${d.shown}: already gone\n`);
      continue;
    }
    if (JSON.parse(got.stdout).metadata?.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY_VALUE) {
      io.out(`  ${d.shown}: kept (${t.notOwned})\n`);
      continue;
    }
    if (o.dryRun) {
      io.out(`  ${shownName(d.apiVersion, d.kind, d.name)} would be deleted\n`);
      continue;
    }
    const args = ['delete', resource, d.name, ...ns, '--wait=false'];
    const r = await t.kubectl.run(args, undefined, line => line && io.out(`  ${line}\n`));
    if (r.code !== 0) {
      io.err(`  ${d.shown}: delete failed: ${r.stderr.trim()}\n`);
      return EXIT_ERROR;
    }
  }
  return EXIT_OK;
}

const byKey = (x: { key: string }, y: { key: string }) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0);

/** The management cluster: deepest tenants first (their depth as the previous bundle records it), later waves first. */
async function pruneManagement(k: Kubectl, plan: Plan, previous: BundleIndex, o: ApplyOptions, io: CliIo): Promise<number> {
  const deletions: PlanChange[] = plan.waves.flatMap(w => w.changes).filter(c => c.action === 'delete');
  if (deletions.length === 0) return EXIT_OK;
  io.out(`\nPrune: ${deletions.length} object${deletions.length === 1 ? '' : 's'} removed from the bundle\n`);
  deletions.sort((a, b) => previous.depthOf(b.namespace) - previous.depthOf(a.namespace) || b.wave - a.wave || byKey(a, b));
  const target: PruneTarget = {
    kubectl: k,
    where: 'the cluster',
    notOwned: `on the cluster it does not carry ${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}, so this library does not own it`,
    notAllowed: () => 'destructive, not allowed by --allow-destroy',
  };
  return prune(target, deletions.map(c => ({ ...c, shown: c.key })), plan, o, io, previous.rootKey);
}

/** Inside a tenant cluster: what mounts a volume before the volume, a namespace after everything in it. */
async function pruneCluster(tk: Kubectl, c: LoadedCluster, deletions: ClusterChange[], plan: Plan, o: ApplyOptions, io: CliIo): Promise<number> {
  const rank = (kind: string) => (kind === 'Namespace' ? 2 : kind === 'PersistentVolumeClaim' ? 1 : 0);
  const items = [...deletions].sort((x, y) => rank(x.kind) - rank(y.kind) || byKey(x, y))
    .map(d => ({ ...d, shown: `${d.kind} ${d.namespace ? `${d.namespace}/` : ''}${d.name}` }));
  io.out(`  prune: ${items.length} object${items.length === 1 ? '' : 's'} removed from the bundle`
    + ` (deleted only when they carry ${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE} in the cluster)\n`);
  const target: PruneTarget = {
    kubectl: tk,
    where: `tenant cluster ${c.id}`,
    notOwned: `it does not carry ${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE} in the cluster, so this library does not own it; delete it by hand if that is meant`,
    notAllowed: d => `destructive, not allowed by --allow-destroy ${d.key}`,
  };
  return prune(target, items, plan, o, io);
}

export interface LivePlanOptions {
  readonly bundle: string;
  readonly from?: string;
  readonly allowDestroy?: string[];
  readonly format: 'text' | 'json' | 'markdown';
  readonly kubectl?: string;
  readonly context?: string;
  readonly kubeconfig?: string;
}

/**
 * `plan --live`: with `--from`, the plan between the two bundles first; then every object
 * against the live cluster (after the same preflight as apply). Reads only. Exit code: the
 * plan's (2 for destructive changes not allowed), 1 when the cluster cannot be read.
 */
export async function runLivePlan(o: LivePlanOptions, io: CliIo): Promise<number> {
  const bundle = readBundle(o.bundle);
  const plan = o.from ? computePlan(readBundle(o.from), bundle, { allowDestroy: o.allowDestroy }) : undefined;
  const k = new Kubectl(o);
  const appKinds = [...new Set([...bundle.objects.values()].filter(x => x.ref.apiVersion === APPS_GROUP_VERSION).map(x => x.ref.kind))];
  const problem = await preflight(k, o, appKinds);
  if (problem) {
    io.err(`${problem.replace(/ Nothing was applied\.$/, '')}\n`);
    return EXIT_ERROR;
  }
  let live: LivePlan;
  try {
    live = await computeLivePlan(k, bundle, o.kubectl);
  } catch (e) {
    if (!(e instanceof LiveReadError)) throw e;
    io.err(`${e.message}\n`);
    return EXIT_ERROR;
  }
  if (o.format === 'json') {
    io.out(`${JSON.stringify({ ...(plan ? { plan } : {}), live }, null, 2)}\n`);
  } else {
    if (plan) io.out(`${renderPlan(plan, o.format)}\n`);
    io.out(o.format === 'markdown' ? renderLivePlanMarkdown(live) : renderLivePlanText(live));
  }
  return plan?.exitCode ?? EXIT_OK;
}
