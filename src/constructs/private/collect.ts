/**
 * The platform as plain data (bundle/model.ts), read off the construct tree: its
 * objects with their waves, every tenant and app with what Cozystack will compute for
 * it, each tenant cluster's workloads and the warnings. The bundle is computed from
 * this; nothing after this step looks at constructs.
 */
import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { manifestOf } from './api-object';
import { AppRecord, TenantCore, tryCoreOf } from './core';
import { oncePerSynthesis } from './synthesis';
import { FluxDeliveryOptions } from '../../bundle/flux';
import { ModelApp, ModelCluster, ModelObject, ModelTenant, PlatformModel } from '../../bundle/model';
import { namespacedObjectWave, tenantObjectWave } from '../../domain/inheritance';
import { CLUSTER_SERVICES, COZYSTACK_API_VERSION, deriveNames } from '../../domain/registry';
import { MESSAGES } from '../../domain/rules';
import { effectiveSchedulingClass } from '../../domain/scheduling';
import { ClusterService } from '../../domain/services';
import { CozystackVersion } from '../../domain/versions';

const LEGACY_PRESETS = new Set(['nano', 'micro', 'small', 'medium', 'large', 'xlarge', '2xlarge']);

/** What an app contributes beyond its record (implemented by CozystackAppBase). */
export interface CollectableApp extends AppRecord {
  readonly host: string;
  /** Users whose per-user credential keys the app's Secrets hold. */
  _credentialUsers(): string[];
  /** The tenant cluster's own bundle, for apps that are clusters. */
  _clusterBundle?(): { dir: string; manifests: any[]; kubeconfigSecret: { namespace: string; name: string; key: string } } | undefined;
}

/** The objects a platform chart owns (not those of nested charts such as tenant-cluster workloads), in pre-order. */
export function platformObjects(root: Chart): ApiObject[] {
  return placedObjects(root).map(p => p.object);
}

/** An object of the platform, the tenant it belongs to and the construct path of the construct that declared it. */
export interface PlacedObject {
  readonly object: ApiObject;
  /** The nearest tenant at or above the object. */
  readonly core: TenantCore;
  /** The construct path of the object's scope. */
  readonly scopePath: string;
}

/**
 * The objects a platform chart owns, in pre-order, each with its tenant and its scope's path:
 * one walk of the tree that carries both down (rather than climbing from each object).
 */
export function placedObjects(root: Chart): PlacedObject[] {
  const out: PlacedObject[] = [];
  const rootCore = tryCoreOf(root);
  if (!rootCore) throw new Error(`${root.node.path} is not a platform of this library`);
  const visit = (c: IConstruct, core: TenantCore, path: string) => {
    for (const child of c.node.children) {
      if (Chart.isChart(child)) continue;
      const childPath = `${path}/${child.node.id}`;
      if (child instanceof ApiObject) out.push({ object: child, core, scopePath: path });
      visit(child, tryCoreOf(child) ?? core, childPath);
    }
  };
  visit(root, rootCore, root.node.path);
  return out;
}

/** Tells the platform's objects apart from other values computed once per synthesis. */
const PLATFORM_OBJECTS = {};

/** `placedObjects`, walked once per synthesis (validation and the bundle both read it). */
export function platformObjectsOnce(root: Chart): readonly PlacedObject[] {
  return oncePerSynthesis(root, PLATFORM_OBJECTS, () => placedObjects(root));
}

/**
 * Construct paths, each computed once from its parent's (`node.path` walks every ancestor
 * and joins their ids on each call; a collect reads some 100,000 paths). Same strings.
 */
class Paths {
  private readonly cache = new Map<IConstruct, string>();

  /** Records a path already known (from the walk of the platform's objects). */
  public seed(c: IConstruct, path: string): void {
    this.cache.set(c, path);
  }

  public of(c: IConstruct): string {
    let p = this.cache.get(c);
    if (p === undefined) {
      const scope = c.node.scope;
      const parent = scope ? this.of(scope) : '';
      const id = c.node.id;
      p = !id ? parent : parent ? `${parent}/${id}` : id;
      this.cache.set(c, p);
    }
    return p;
  }
}

/** The tenants below (and including) a core, parents before children, siblings by name. */
export function tenantsInOrder(root: TenantCore): TenantCore[] {
  const out: TenantCore[] = [];
  const visit = (c: TenantCore) => {
    out.push(c);
    c.sortedChildren().forEach(visit);
  };
  visit(root);
  return out;
}

function providers(core: TenantCore, services: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of services) out[s] = core.provider(s as ClusterService).tenant.namespace;
  return out;
}

function objectOf(placed: PlacedObject, rootNamespace: string, paths: Paths): ModelObject {
  const { object: o, core, scopePath } = placed;
  const manifest = manifestOf(o);
  let wave: number;
  if (o === core.ownObject) {
    wave = core.parent ? tenantObjectWave(core.tenant.depth) : 0;
  } else {
    wave = namespacedObjectWave(core.tenant.depth);
    // An object placed in a tenant without a namespace of its own belongs in the tenant's namespace
    // (cdk8s gave it the platform chart's default).
    if (core.parent && manifest.metadata?.namespace === rootNamespace && manifest.apiVersion !== COZYSTACK_API_VERSION) {
      manifest.metadata = { ...manifest.metadata, namespace: core.tenant.namespace };
    }
  }
  paths.seed(o.node.scope!, scopePath);
  return { wave, manifest, path: scopePath };
}

/** Legacy `resourcesPreset` values anywhere in a spec (accepted by v1 with a deprecation warning). */
function legacyPresets(node: unknown, at: string, out: string[]): void {
  if (Array.isArray(node)) {
    node.forEach((v, i) => legacyPresets(v, `${at}[${i}]`, out));
  } else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'resourcesPreset' && typeof v === 'string' && LEGACY_PRESETS.has(v)) out.push(MESSAGES.legacyPreset(`${at}.${k}`, v));
      else legacyPresets(v, `${at}.${k}`, out);
    }
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function warningsOf(root: TenantCore, tenants: TenantCore[], objects: ModelObject[], schedulingWarnings: string[], paths: Paths): string[] {
  const out: string[] = [];
  const platform = root.platform;
  if (platform.version.isAtLeast(CozystackVersion.V1_5)) {
    for (const t of tenants) {
      const override = t.declared.hostOverride;
      if (override) out.push(`[${paths.of(t.tenant)}] ${MESSAGES.hostOverrideWarning(override)}`);
    }
  }
  const quotaWarnings = platform.quotaAnalysis().warningsByPath;
  for (const t of tenants) {
    const warnings = quotaWarnings.get(paths.of(t.tenant));
    if (warnings) for (const w of warnings) out.push(`[${paths.of(t.tenant)}] ${w}`);
  }
  if (platform.version.isAtLeast(CozystackVersion.V1_2)) out.push(...schedulingWarnings);
  // Sorted by construct path: declaration order must not change the bundle's bytes.
  const fromSources = platform.warningSources
    .map(({ construct, source }) => ({ path: paths.of(construct), warnings: source() }))
    .filter(w => w.warnings.length > 0)
    .sort((a, b) => cmp(a.path, b.path));
  for (const { path: p, warnings } of fromSources) out.push(...warnings.map(w => `[${p}] ${w}`));
  if (platform.version.major >= 1) {
    // By construct path too: the objects come in declaration order. Only objects with a finding
    // are sorted (the sort is stable, so the order is that of sorting them all).
    const withFindings: Array<{ path: string; found: string[] }> = [];
    for (const o of objects) {
      const found: string[] = [];
      legacyPresets(o.manifest.spec, 'spec', found);
      if (found.length > 0) withFindings.push({ path: o.path, found });
    }
    for (const { path: p, found } of withFindings.sort((a, b) => cmp(a.path, b.path))) out.push(...found.map(w => `[${p}] ${w}`));
  }
  return out;
}

/**
 * A tenant's quota entry of topology.json. On v1.6 it describes the pools as the quota
 * controller computes them: the pool the namespace draws from and the keys that bound
 * it (`effective`), and on a tenant that roots a pool what is carved out of it, what
 * is left (`remaining`), who shares that, and any overcommit.
 */
function quotaOf(core: TenantCore): ModelTenant['quota'] {
  const quota = sharedQuotaOf(core);
  // A copy: the analysis is kept until the tree changes, and the bundle is the caller's to change.
  return quota === undefined ? undefined : structuredClone(quota);
}

function sharedQuotaOf(core: TenantCore): ModelTenant['quota'] {
  const analysis = core.platform.quotaAnalysis();
  const ns = core.tenant.namespace;
  const budget = analysis.report.budgets.get(ns);
  if (!budget) return undefined;
  const empty = Object.keys(budget.declared).length === 0 && Object.keys(budget.effective).length === 0;
  if (empty) return undefined;
  if (!analysis.hierarchical) return { declared: budget.declared };
  const pool = analysis.report.pools.get(ns);
  const own = pool ? {
    carvedOut: pool.carvedOut,
    members: pool.members,
    ...(Object.keys(pool.overcommitted).length > 0 ? { overcommitted: pool.overcommitted } : {}),
  } : {};
  return { declared: budget.declared, pool: budget.pool, effective: budget.effective, remaining: budget.remaining, ...own };
}

/** Each tenant's SchedulingClass, and the warnings for classes the chart ignores (v1.2+). */
function schedulingClasses(tenants: TenantCore[], paths: Paths): { byTenant: Map<TenantCore, string | null>; warnings: string[] } {
  const byTenant = new Map<TenantCore, string | null>();
  const warnings: string[] = [];
  const own = (t: TenantCore) => (t.parent ? t.declared.schedulingClass || undefined : undefined);
  for (const t of tenants) {
    const effective = effectiveSchedulingClass(t, own);
    byTenant.set(t, effective?.value ?? null);
    const mine = own(t);
    if (mine && effective && effective.from !== t && effective.value !== mine) {
      warnings.push(`[${paths.of(t.tenant)}] ${MESSAGES.schedulingClassIgnored(t.tenant.namespace, mine, effective.value, effective.from.tenant.namespace)}`);
    }
  }
  return { byTenant, warnings };
}

/** The providers of a tenant's services, one object per tenant and list of services (apps of a kind share it). */
class Providers {
  private readonly cache = new Map<TenantCore, Map<readonly string[], Record<string, string>>>();

  public of(core: TenantCore, services: readonly string[]): Record<string, string> {
    let byList = this.cache.get(core);
    if (!byList) this.cache.set(core, byList = new Map());
    let found = byList.get(services);
    // Frozen: the apps of a tenant and kind share it in the bundle's topology.
    if (!found) byList.set(services, found = Object.freeze(providers(core, services)));
    return found;
  }
}

function appOf(core: TenantCore, a: CollectableApp, paths: Paths, shared: Providers): ModelApp {
  const def = core.platform.registry.get(a.kind);
  const derived = deriveNames(def, a.name, a.namespace, a.host, a._credentialUsers());
  return {
    kind: a.kind,
    name: a.name,
    path: paths.of(a),
    namespace: a.namespace,
    host: a.host || undefined, // kinds without a public host (Kafka, VMDisk, ...) record none
    services: shared.of(core, def.uses),
    plural: def.plural,
    chart: def.chart,
    release: derived.release,
    module: def.role === 'module',
    uses: def.uses, // the registry's list, shared by every app of the kind (read-only)
    holdsData: def.holdsData,
    credentials: derived.credentials,
    endpoints: derived.endpoints,
  };
}

/**
 * Collects a platform.
 * @param root the RootTenant's core
 * @param chart the RootTenant (the chart whose objects are the platform's)
 */
export function collectPlatform(root: TenantCore, chart: Chart, flux: FluxDeliveryOptions | undefined): PlatformModel {
  const tenants = tenantsInOrder(root);
  const rootNamespace = root.tenant.namespace;
  const paths = new Paths();
  const objects = platformObjectsOnce(chart).map(o => objectOf(o, rootNamespace, paths));

  const scheduling = schedulingClasses(tenants, paths);
  const modelTenants: ModelTenant[] = tenants.map(t => ({
    name: t.tenant.name,
    path: paths.of(t.tenant),
    namespace: t.tenant.namespace,
    parentNamespace: t.parent ? t.parent.tenant.namespace : null,
    depth: t.tenant.depth,
    host: t.tenant.host,
    modules: CLUSTER_SERVICES.filter(s => t.runs(s)),
    services: providers(t, CLUSTER_SERVICES),
    quota: quotaOf(t),
    schedulingClass: scheduling.byTenant.get(t) ?? null,
  }));

  const apps: ModelApp[] = [];
  const clusters: ModelCluster[] = [];
  const sharedProviders = new Providers();
  for (const t of tenants) {
    for (const record of t.apps) {
      const a = record as CollectableApp;
      apps.push(appOf(t, a, paths, sharedProviders));
      const own = a._clusterBundle?.();
      if (own && own.manifests.length > 0) {
        clusters.push({
          apiVersion: COZYSTACK_API_VERSION,
          kind: a.kind,
          namespace: a.namespace,
          name: a.name,
          path: paths.of(a),
          dir: own.dir,
          kubeconfigSecret: own.kubeconfigSecret,
          manifests: own.manifests,
        });
      }
    }
  }
  apps.sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.kind, b.kind) || cmp(a.name, b.name));

  return {
    version: root.platform.version.name,
    root: { path: chart.node.path, namespace: rootNamespace, host: root.tenant.host, name: root.tenant.name },
    flux,
    objects,
    tenants: modelTenants,
    apps,
    clusters,
    warnings: warningsOf(root, tenants, objects, scheduling.warnings, paths),
  };
}
