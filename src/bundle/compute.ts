/**
 * The management-cluster bundle: every object of a platform in waves by depth
 * (SPEC.md §5), an index of the waves, and the topology Cozystack will compute.
 * Computation is pure; writing is atomic (staged, then moved in, index last).
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { ClusterServiceBase } from '../constructs/cluster-service';
import { ICozystackApp } from '../constructs/cozystack-app';
import { FLUX_PRUNE_DISABLED, FluxDeliveryOptions, fluxFiles } from './flux';
import { namespacedObjectWave, ROOT_NAMESPACE, ROOT_TENANT_NAME } from '../domain/inheritance';
import { KubernetesCluster } from '../constructs/kubernetes-cluster';
import { COZYSTACK_API_VERSION } from '../constructs/private/api-object';
import { quotaOf } from '../constructs/private/quota-analysis';
import { platformState, tenantState } from '../constructs/private/state';
import { stringifyYamlDocs } from './yaml';
import { renderTopologyMarkdown, renderTopologyMermaid, renderTopologySvg, TopologyIndex } from '../report';
import { MESSAGES } from '../domain/rules';
import { CLUSTER_SERVICES, ClusterService, ITenant, Tenant } from '../constructs/tenant';
import { CozystackVersion } from '../domain/versions';

/** The bundle format written into `index.json`. */
export const BUNDLE_FORMAT = 'cdk8s-cozystack.bundle/v1';

/** The name of the bundle's index file. */
export const INDEX_FILE = 'index.json';
/** The name of the bundle's topology file. */
export const TOPOLOGY_FILE = 'topology.json';

/** One object of the bundle, as the index names it. */
export interface BundleObjectRef {
  /** The object's apiVersion. */
  readonly apiVersion: string;
  /** The object's kind. */
  readonly kind: string;
  /** The object's namespace. */
  readonly namespace: string;
  /** The object's name. */
  readonly name: string;
  /** The construct path that declared it. */
  readonly path: string;
}

/** A Tenant a wave must see Ready before the next wave starts. */
export interface BundleWaitRef extends BundleObjectRef {
  /** The namespace the tenant owns (appears once it is Ready). */
  readonly tenantNamespace: string;
}

/** One wave of the bundle. */
export interface BundleWave {
  /** The wave number: 0 is applied first. */
  readonly wave: number;
  /** The file the wave is written to, relative to the output directory. */
  readonly file: string;
  /** The wave's manifests as YAML (YAML 1.1-safe, as Helm and kubectl read it). */
  readonly yaml: string;
  /** The objects of the wave, in file order. */
  readonly objects: BundleObjectRef[];
  /** Tenants of this wave that must be Ready before the next wave is applied. */
  readonly waitFor: BundleWaitRef[];
}

/** A computed management-cluster bundle. */
export interface PlatformBundle {
  /** The waves, in apply order (empty waves are left out). */
  readonly waves: BundleWave[];
  /** Every management-cluster manifest, in apply order (the waves' objects, one after the other). */
  readonly manifests: any[];
  /** The content of `index.json`. */
  readonly index: any;
  /** The content of `topology.json`. */
  readonly topology: any;
  /** Warnings (construct path and message), also printed at synthesis. */
  readonly warnings: string[];
  /** Every file of the bundle: relative path to content. */
  readonly files: { [file: string]: string };
}

const KIND_ORDER = ['Tenant', 'Etcd', 'Ingress', 'Monitoring'];

function kindRank(kind: string): number {
  const i = KIND_ORDER.indexOf(kind);
  return i < 0 ? KIND_ORDER.length : i;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The API objects a RootTenant owns (not those of nested charts such as tenant-cluster workloads). */
function platformObjects(root: Construct): ApiObject[] {
  // Same objects, same (pre-)order as findAll() filtered on Chart.of(c) === root, without
  // walking nested charts or climbing the tree again for every object.
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

function waveOf(root: Construct, obj: ApiObject): number {
  const w = platformState(root).waves.get(obj);
  return w ?? namespacedObjectWave(Tenant.of(obj).depth);
}

/**
 * Two objects of the same kind and name in one namespace: one would overwrite the other.
 * @internal
 */
export function findDuplicates(root: Construct): string[] {
  const seen = new Map<string, ApiObject[]>();
  for (const o of platformObjects(root)) {
    // A Tenant "root" under the root is refused by the tenant-name rule; don't report it twice.
    if (o.kind === 'Tenant' && o.name === ROOT_TENANT_NAME && o.metadata.namespace === ROOT_NAMESPACE && o.node.scope !== root) continue;
    // Two tuned modules of a kind on one tenant are reported by the one-module-per-kind rule.
    if (o.node.scope instanceof ClusterServiceBase) continue;
    const key = `${o.apiVersion}|${o.kind}|${o.metadata.namespace ?? ''}|${o.name}`;
    const list = seen.get(key);
    if (list) list.push(o);
    else seen.set(key, [o]);
  }
  const errors: string[] = [];
  for (const list of seen.values()) {
    if (list.length < 2) continue;
    const paths = list.map(o => o.node.scope!.node.path);
    errors.push(MESSAGES.duplicateObject(list[0].kind, list[0].name, list[0].metadata.namespace ?? '(none)', paths));
  }
  return errors;
}

/** The tenants of a platform, parents before children, siblings by name. */
function tenantsInOrder(root: ITenant): ITenant[] {
  const out: ITenant[] = [];
  const visit = (t: ITenant) => {
    out.push(t);
    const children = [...tenantState(t).children] as unknown as ITenant[];
    children.sort((a, b) => cmp(a.name, b.name));
    children.forEach(visit);
  };
  visit(root);
  return out;
}

function servicesOf(t: ITenant, services: readonly ClusterService[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of services) out[s] = t.providerOf(s).namespace;
  return out;
}

/** Builds `topology.json`: what Cozystack will compute for every tenant and app. @internal */
export function computeTopology(root: ITenant, tenants: ITenant[] = tenantsInOrder(root)): any {
  const apps: ICozystackApp[] = [];
  for (const t of tenants) apps.push(...(tenantState(t).apps as ICozystackApp[]));
  apps.sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.kind, b.kind) || cmp(a.name, b.name));
  return {
    cozystackVersion: platformState(root).version.name,
    tenants: tenants.map(t => ({
      name: t.name,
      path: t.node.path,
      namespace: t.namespace,
      parentNamespace: t.parentTenant ? t.parentTenant.namespace : null,
      depth: t.depth,
      host: t.host,
      modules: CLUSTER_SERVICES.filter(s => t.runsService(s)),
      services: servicesOf(t, CLUSTER_SERVICES),
      quota: quotaOf(root, t),
    })),
    apps: apps.map(a => ({
      kind: a.kind,
      name: a.name,
      path: a.node.path,
      namespace: a.namespace,
      host: a.host,
      services: servicesOf(a.tenant, [ClusterService.ETCD, ClusterService.INGRESS, ClusterService.MONITORING]),
    })),
  };
}

const LEGACY_PRESETS = new Set(['nano', 'micro', 'small', 'medium', 'large', 'xlarge', '2xlarge']);

/** Legacy `resourcesPreset` values anywhere in a spec (accepted by v1 with a deprecation warning). */
function legacyPresets(node: unknown, at: string, out: string[]): void {
  if (Array.isArray(node)) {node.forEach((v, i) => legacyPresets(v, `${at}[${i}]`, out));} else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'resourcesPreset' && typeof v === 'string' && LEGACY_PRESETS.has(v)) out.push(MESSAGES.legacyPreset(`${at}.${k}`, v));
      else legacyPresets(v, `${at}.${k}`, out);
    }
  }
}

function collectWarnings(root: ITenant & Construct, tenants: ITenant[], manifests: Array<{ path: string; manifest: any }>): string[] {
  const out: string[] = [];
  const version = platformState(root).version;
  if (version.isAtLeast(CozystackVersion.V1_5)) {
    for (const t of tenants) {
      const override = (t as any).hostOverride as string | undefined;
      if (override) out.push(`[${t.node.path}] ${MESSAGES.hostOverrideWarning(override)}`);
    }
  }
  // Sorted by construct path: declaration order must not change the bundle's bytes.
  const fromSources = platformState(root).warningSources
    .map(({ construct, source }) => ({ path: construct.node.path, warnings: source() }))
    .filter(w => w.warnings.length > 0)
    .sort((a, b) => cmp(a.path, b.path));
  for (const { path: p, warnings } of fromSources) out.push(...warnings.map(w => `[${p}] ${w}`));
  if (version.major >= 1) {
    for (const { path: p, manifest } of manifests) {
      const found: string[] = [];
      legacyPresets(manifest.spec, 'spec', found);
      out.push(...found.map(w => `[${p}] ${w}`));
    }
  }
  return out;
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

function json(x: unknown): string {
  return JSON.stringify(x, null, 2) + '\n';
}

/**
 * Computes the bundle of a RootTenant. Identical input gives identical bytes,
 * whatever order siblings were declared in.
 * @internal
 */
export function computeBundle(root: ITenant & Construct, extension = '.k8s.yaml'): PlatformBundle {
  const flux = (root as any).flux as FluxDeliveryOptions | undefined;
  const entries = platformObjects(root).map(o => {
    const manifest = o.toJson();
    if (flux && String(manifest.apiVersion).startsWith('apps.cozystack.io/')) {
      // Flux must never delete a tenant, an app or a module (and their data) on its own.
      manifest.metadata = { ...manifest.metadata, annotations: { ...manifest.metadata?.annotations, ...FLUX_PRUNE_DISABLED } };
    }
    return {
      wave: waveOf(root, o),
      manifest,
      ref: {
        apiVersion: String(manifest.apiVersion),
        kind: String(manifest.kind),
        namespace: String(manifest.metadata?.namespace ?? ''),
        name: String(manifest.metadata?.name ?? ''),
        path: o.node.scope!.node.path,
      } as BundleObjectRef,
    };
  });
  const isRootObject = (r: BundleObjectRef) => r.kind === 'Tenant' && r.namespace === root.namespace && r.name === root.name;
  entries.sort((a, b) => a.wave - b.wave
    || Number(isRootObject(b.ref)) - Number(isRootObject(a.ref))
    || kindRank(a.ref.kind) - kindRank(b.ref.kind)
    || cmp(a.ref.kind, b.ref.kind)
    || cmp(a.ref.namespace, b.ref.namespace)
    || cmp(a.ref.name, b.ref.name)
    || cmp(a.ref.path, b.ref.path));

  const byWave = new Map<number, typeof entries>();
  for (const e of entries) {
    const list = byWave.get(e.wave);
    if (list) list.push(e);
    else byWave.set(e.wave, [e]);
  }

  const tenants = tenantsInOrder(root);
  const tenantNamespaceOf = new Map<string, string>();
  for (const t of tenants) {
    tenantNamespaceOf.set(`${t.parentTenant ? t.parentTenant.namespace : t.namespace}/${t.name}`, t.namespace);
  }

  const files: Record<string, string> = {};
  const waves: BundleWave[] = [];
  for (const [wave, list] of [...byWave.entries()].sort((a, b) => a[0] - b[0])) {
    const file = `wave-${String(wave).padStart(2, '0')}${extension}`;
    const yaml = stringifyYamlDocs(list.map(e => e.manifest));
    const waitFor = list
      .filter(e => e.ref.kind === 'Tenant' && e.ref.apiVersion.startsWith('apps.cozystack.io/'))
      .map(e => ({ ...e.ref, tenantNamespace: tenantNamespaceOf.get(`${e.ref.namespace}/${e.ref.name}`) ?? e.ref.namespace }));
    files[file] = yaml;
    waves.push({ wave, file, yaml, objects: list.map(e => e.ref), waitFor });
  }

  // Each tenant cluster's workloads: a bundle of its own, applied through its API once it is Ready.
  const clusters: any[] = [];
  for (const t of tenants) {
    for (const app of tenantState(t).apps) {
      if (!(app instanceof KubernetesCluster)) continue;
      const own = app._clusterBundle();
      if (!own || own.manifests.length === 0) continue;
      const file = `${own.dir}/workloads${extension}`;
      files[file] = stringifyYamlDocs(own.manifests);
      clusters.push({
        apiVersion: COZYSTACK_API_VERSION,
        kind: app.kind,
        namespace: app.namespace,
        name: app.name,
        path: app.node.path,
        dir: own.dir,
        files: [file],
        kubeconfigSecret: { namespace: app.namespace, name: app.adminKubeconfigSecretName, key: app.adminKubeconfigKey },
        objects: own.manifests.map(m => ({ apiVersion: m.apiVersion, kind: m.kind, namespace: m.metadata?.namespace ?? '', name: m.metadata?.name ?? '' })),
      });
    }
  }
  clusters.sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.name, b.name));

  if (flux) {
    const units = fluxFiles(
      flux,
      waves.map(w => ({ id: w.file.replace(/\..*$/, ''), files: [w.file] })),
      clusters.map(c => ({ id: `cluster-${c.namespace}-${c.name}`, files: c.files, kubeconfig: c.kubeconfigSecret })),
    );
    for (const [file, content] of Object.entries(units)) {
      files[file] = stringifyYamlDocs(Array.isArray(content) ? content : [content]);
    }
  }

  const topology = computeTopology(root, tenants);
  files[TOPOLOGY_FILE] = json(topology);
  // The same topology for people: a report for PR comments, a Mermaid graph and a picture.
  const topologyIndex = new TopologyIndex(topology);
  files['topology.md'] = renderTopologyMarkdown(topologyIndex, { maxTenants: 500 });
  files['topology.mmd'] = renderTopologyMermaid(topologyIndex);
  files['topology.svg'] = renderTopologySvg(topologyIndex);
  const warnings = collectWarnings(root, tenants, entries.map(e => ({ path: e.ref.path, manifest: e.manifest })));

  const index = {
    format: BUNDLE_FORMAT,
    cozystackVersion: platformState(root).version.name,
    root: { path: root.node.path, namespace: root.namespace, host: root.host },
    waves: waves.map(w => ({ wave: w.wave, file: w.file, sha256: sha256(w.yaml), objects: w.objects, waitFor: w.waitFor })),
    clusters,
    files: Object.fromEntries(Object.keys(files).sort().map(f => [f, sha256(files[f])])),
    warnings,
  };
  return { waves, manifests: entries.map(e => e.manifest), index, topology, warnings, files };
}

const STAGING_PREFIX = '.cozystack-staging-';
const WAVE_FILE = /^wave-\d+\./;

/**
 * Writes a bundle into `outdir` so that no reader ever takes a half bundle for a whole
 * one: everything is written to a staging folder first; then the old index is removed
 * (a folder without `index.json` is an incomplete bundle), files are moved in, and the
 * new index goes in last. Files of an earlier bundle that this one no longer has are removed.
 * @internal
 */
export function writeBundle(outdir: string, bundle: PlatformBundle, _extension = '.k8s.yaml'): void {
  fs.mkdirSync(outdir, { recursive: true });
  for (const stale of fs.readdirSync(outdir).filter(f => f.startsWith(STAGING_PREFIX))) {
    fs.rmSync(path.join(outdir, stale), { recursive: true, force: true });
  }
  const stage = fs.mkdtempSync(path.join(outdir, STAGING_PREFIX));
  try {
    for (const [file, content] of Object.entries(bundle.files)) {
      fs.mkdirSync(path.dirname(path.join(stage, file)), { recursive: true });
      fs.writeFileSync(path.join(stage, file), content);
    }
    fs.writeFileSync(path.join(stage, INDEX_FILE), json(bundle.index));

    const indexPath = path.join(outdir, INDEX_FILE);
    let previous: string[] = [];
    if (fs.existsSync(indexPath)) {
      try {
        previous = Object.keys(JSON.parse(fs.readFileSync(indexPath, 'utf8')).files ?? {});
      } catch {
        previous = [];
      }
      fs.unlinkSync(indexPath);
    }
    const stale = new Set([...previous, ...fs.readdirSync(outdir).filter(f => WAVE_FILE.test(f))]);
    for (const f of stale) {
      if (!(f in bundle.files)) fs.rmSync(path.join(outdir, f), { force: true });
    }
    removeEmptyDirs(path.join(outdir, 'clusters'));
    for (const file of Object.keys(bundle.files)) {
      fs.mkdirSync(path.dirname(path.join(outdir, file)), { recursive: true });
      fs.renameSync(path.join(stage, file), path.join(outdir, file));
    }
    fs.renameSync(path.join(stage, INDEX_FILE), indexPath);
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
  for (const w of bundle.warnings) process.stderr.write(`[WARNING] ${w}\n`);
}

function removeEmptyDirs(dir: string): void {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return;
  for (const e of fs.readdirSync(dir)) removeEmptyDirs(path.join(dir, e));
  if (fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
}
