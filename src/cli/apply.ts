/**
 * `apply`: the bundle onto the management cluster, wave by wave (SPEC.md §5). Each
 * wave's Tenants must be Ready before the next wave, whose objects live in the
 * namespaces those tenants create. Objects removed from the bundle are deleted last,
 * and only when they carry the library's ownership label on the cluster and the plan
 * allows it; the root tenant never. With destructive changes not allowed, nothing is
 * applied at all.
 */
import { ROOT_NAMESPACE } from '../inheritance';
import { readBundle } from './bundle-reader';
import { CliIo, EXIT_DESTRUCTIVE, EXIT_ERROR, EXIT_OK } from './io';
import { Kubectl, parseDuration, resourceName } from './kubectl';
import { computePlan, isRootTenantKey, Plan, PlanChange } from './plan';
import { renderDestructionsText } from './render';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../private/api-object';

export interface ApplyOptions {
  readonly bundle: string;
  readonly from?: string;
  readonly allowDestroy?: string[];
  readonly dryRun?: boolean;
  readonly serverSide?: boolean;
  /** How long to wait for each wave's Tenants, e.g. `15m`. */
  readonly timeout?: string;
  readonly kubectl?: string;
  readonly context?: string;
  readonly kubeconfig?: string;
}

/** The field manager for server-side apply. */
export const FIELD_MANAGER = 'cdk8s-cozystack';

const TENANT_RESOURCE = resourceName('apps.cozystack.io/v1alpha1', 'Tenant');

export async function runApply(o: ApplyOptions, io: CliIo): Promise<number> {
  const timeoutMs = parseDuration(o.timeout ?? '15m');
  const bundle = readBundle(o.bundle);
  let plan: Plan | undefined;
  if (o.from) {
    plan = computePlan(readBundle(o.from), bundle, { allowDestroy: o.allowDestroy });
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
  io.out(`Applying ${bundle.dir} (${bundle.waves.length} waves, ${bundle.objects.size} objects; ${mode})\n`);

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
      const args = ['apply', '-f', '-'];
      if (o.serverSide) args.push('--server-side', `--field-manager=${FIELD_MANAGER}`);
      if (o.dryRun) args.push('--dry-run=server');
      const r = await k.run(args, input, line => line && io.out(`  ${line}\n`));
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
        const state = await tenantState(k, t.namespace, t.name);
        if (!state.ready) pending.set(t.tenantNamespace, `Tenant ${t.namespace}/${t.name} is ${state.found ? 'not Ready' : 'not created'} on the cluster, so namespace ${t.tenantNamespace} does not exist yet`);
      }
      continue;
    }
    const waited = await waitForTenants(k, w.wave, waitFor, timeoutMs, io);
    if (!waited) return EXIT_ERROR;
  }

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

interface TenantState {
  readonly found: boolean;
  readonly ready: boolean;
  readonly conditions: any[];
}

async function tenantState(k: Kubectl, namespace: string, name: string): Promise<TenantState> {
  const r = await k.run(['get', TENANT_RESOURCE, name, '-n', namespace, '-o', 'json', '--ignore-not-found']);
  if (r.code !== 0 || r.stdout.trim() === '') return { found: false, ready: false, conditions: [] };
  const obj = JSON.parse(r.stdout);
  const conditions: any[] = obj.status?.conditions ?? [];
  return { found: true, ready: conditions.some(c => c.type === 'Ready' && c.status === 'True'), conditions };
}

async function waitForTenants(k: Kubectl, wave: number, tenants: { namespace: string; name: string; tenantNamespace: string }[],
  timeoutMs: number, io: CliIo): Promise<boolean> {
  io.out(`  waiting up to ${Math.ceil(timeoutMs / 1000)}s for ${tenants.length} Tenant${tenants.length === 1 ? '' : 's'} to be Ready: ${tenants.map(t => `${t.namespace}/${t.name}`).join(', ')}\n`);
  const deadline = Date.now() + timeoutMs;
  const byNamespace = new Map<string, string[]>();
  for (const t of tenants) byNamespace.set(t.namespace, [...(byNamespace.get(t.namespace) ?? []), t.name]);
  let failed = false;
  for (const [ns, names] of byNamespace) {
    const left = Math.max(1, Math.ceil((deadline - Date.now()) / 1000));
    const r = await k.run(['wait', '--for=condition=Ready', `--timeout=${left}s`, '-n', ns, ...names.map(n => `${TENANT_RESOURCE}/${n}`)],
      undefined, line => line && io.out(`  ${line}\n`));
    if (r.code !== 0) {
      failed = true;
      break;
    }
  }
  if (!failed) return true;

  const lines: string[] = [];
  for (const t of tenants) {
    const s = await tenantState(k, t.namespace, t.name);
    if (s.ready) continue;
    const what = `Tenant ${t.namespace}/${t.name} (namespace ${t.tenantNamespace})`;
    if (!s.found) {lines.push(`  ${what}: not found on the cluster`);} else if (s.conditions.length === 0) {lines.push(`  ${what}: no status conditions reported yet`);} else {
      lines.push(`  ${what}: not Ready; conditions:`);
      for (const c of s.conditions) lines.push(`    ${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}${c.message ? `: ${c.message}` : ''}`);
    }
  }
  io.err([
    `Wave ${wave}: timed out after ${Math.ceil(timeoutMs / 1000)}s waiting for Tenants to be Ready:`,
    ...(lines.length > 0 ? lines : ['  (every Tenant reports Ready now; kubectl wait failed before: see its message above)']),
    `Waves after ${wave} were not applied. Check the tenant's HelmRelease (kubectl get helmreleases -n <namespace>) and run apply again; it is safe to repeat.`,
    '',
  ].join('\n'));
  return false;
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

