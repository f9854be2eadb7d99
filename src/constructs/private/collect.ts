/**
 * The platform as plain data (bundle/model.ts), read off the construct tree: its
 * objects with their waves, every tenant and app with what Cozystack will compute for
 * it, each tenant cluster's workloads and the warnings. The bundle is computed from
 * this; nothing after this step looks at constructs.
 */
import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ModelApp, ModelCluster, ModelObject, ModelTenant, PlatformModel } from '../../bundle/model';
import { FluxDeliveryOptions } from '../../bundle/flux';
import { namespacedObjectWave, tenantObjectWave } from '../../domain/inheritance';
import { CLUSTER_SERVICES, COZYSTACK_API_VERSION, deriveNames } from '../../domain/registry';
import { MESSAGES } from '../../domain/rules';
import { ClusterService } from '../../domain/services';
import { CozystackVersion } from '../../domain/versions';
import { AppRecord, enclosingCore, TenantCore } from './core';

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
  const out: ApiObject[] = [];
  const visit = (c: IConstruct) => {
    if (c instanceof ApiObject) out.push(c);
    for (const child of c.node.children) {
      if (!Chart.isChart(child)) visit(child);
    }
  };
  visit(root);
  return out;
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

function objectOf(o: ApiObject, rootNamespace: string): ModelObject {
  const core = enclosingCore(o)!;
  const manifest = o.toJson();
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
  return { wave, manifest, path: o.node.scope!.node.path };
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

function warningsOf(root: TenantCore, tenants: TenantCore[], objects: ModelObject[]): string[] {
  const out: string[] = [];
  const platform = root.platform;
  if (platform.version.isAtLeast(CozystackVersion.V1_5)) {
    for (const t of tenants) {
      const override = t.declared.hostOverride;
      if (override) out.push(`[${t.tenant.node.path}] ${MESSAGES.hostOverrideWarning(override)}`);
    }
  }
  // Sorted by construct path: declaration order must not change the bundle's bytes.
  const fromSources = platform.warningSources
    .map(({ construct, source }) => ({ path: construct.node.path, warnings: source() }))
    .filter(w => w.warnings.length > 0)
    .sort((a, b) => cmp(a.path, b.path));
  for (const { path: p, warnings } of fromSources) out.push(...warnings.map(w => `[${p}] ${w}`));
  if (platform.version.major >= 1) {
    for (const o of objects) {
      const found: string[] = [];
      legacyPresets(o.manifest.spec, 'spec', found);
      out.push(...found.map(w => `[${o.path}] ${w}`));
    }
  }
  return out;
}

function quotaOf(core: TenantCore): ModelTenant['quota'] {
  const analysis = core.platform.quotaAnalysis();
  const budget = analysis.report.budgets.get(core.tenant.namespace);
  if (!budget) return undefined;
  const empty = Object.keys(budget.declared).length === 0 && Object.keys(budget.effective).length === 0;
  if (empty) return undefined;
  return analysis.hierarchical ? { declared: budget.declared, effective: budget.effective, remaining: budget.remaining } : { declared: budget.declared };
}

function appOf(core: TenantCore, a: CollectableApp): ModelApp {
  const def = core.platform.registry.get(a.kind);
  const derived = deriveNames(def, a.name, a.namespace, a.host, a._credentialUsers());
  return {
    kind: a.kind,
    name: a.name,
    path: a.node.path,
    namespace: a.namespace,
    host: a.host,
    services: providers(core, def.uses),
    plural: def.plural,
    chart: def.chart,
    release: derived.release,
    module: def.role === 'module',
    uses: [...def.uses],
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
  const objects = platformObjects(chart).map(o => objectOf(o, rootNamespace));

  const modelTenants: ModelTenant[] = tenants.map(t => ({
    name: t.tenant.name,
    path: t.tenant.node.path,
    namespace: t.tenant.namespace,
    parentNamespace: t.parent ? t.parent.tenant.namespace : null,
    depth: t.tenant.depth,
    host: t.tenant.host,
    modules: CLUSTER_SERVICES.filter(s => t.runs(s)),
    services: providers(t, CLUSTER_SERVICES),
    quota: quotaOf(t),
  }));

  const apps: ModelApp[] = [];
  const clusters: ModelCluster[] = [];
  for (const t of tenants) {
    for (const record of t.apps) {
      const a = record as CollectableApp;
      apps.push(appOf(t, a));
      const own = a._clusterBundle?.();
      if (own && own.manifests.length > 0) {
        clusters.push({
          apiVersion: COZYSTACK_API_VERSION,
          kind: a.kind,
          namespace: a.namespace,
          name: a.name,
          path: a.node.path,
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
    warnings: warningsOf(root, tenants, objects),
  };
}
