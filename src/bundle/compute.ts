/**
 * The management-cluster bundle: every object of a platform in waves by depth
 * (SPEC.md §5), an index of the waves, the topology Cozystack will compute, the same
 * topology for people, and each tenant cluster's own bundle. A pure function of the
 * collected platform (model.ts): identical input gives identical bytes.
 */
import { createHash } from 'crypto';
import { FLUX_PRUNE_DISABLED, fluxFiles } from './flux';
import { ModelObject, PlatformModel } from './model';
import { compactTopology } from './topology-file';
import { stringifyYamlDocs } from './yaml';
import { COZYSTACK_API_VERSION } from '../domain/registry';
import { renderTopologyMarkdown } from '../report/markdown';
import { renderTopologyMermaid } from '../report/mermaid';
import { TopologyIndex } from '../report/model';
import { renderTopologySvg } from '../report/svg';

/** The bundle format written into `index.json`. */
export const BUNDLE_FORMAT = 'cdk8s-cozystack.bundle/v2';

/** The name of the bundle's index file. */
export const INDEX_FILE = 'index.json';
/** The name of the bundle's topology file. */
export const TOPOLOGY_FILE = 'topology.json';
/**
 * The extension of a tenant cluster's bundle file. Deliberately not `.yaml`, `.yml` or
 * `.json`: tools that read a management-cluster folder (`kubectl apply -R -f`, `cdk8s synth
 * --stdout`) must never pick up what belongs inside a tenant cluster.
 */
export const TENANT_CLUSTER_FILE_EXTENSION = '.tenant-yaml';

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
  /**
   * The tenants and apps of the platform, as the reports and the CLI read them.
   *
   * Every app is complete: what its kind implies (plural, chart, the services it uses,
   * whether it holds data, what its Secrets and endpoints are) is filled in. `topology.json`
   * records the same with each kind's facts stated once, and reading the bundle gives this form back.
   */
  readonly topology: any;
  /** Warnings (construct path and message), also printed at synthesis. */
  readonly warnings: string[];
  /** Every file of the bundle: relative path to content. */
  readonly files: { [file: string]: string };
  /** Each tenant cluster's manifests, by `<namespace>/<name>` of its Kubernetes object. */
  readonly clusterManifests: { [cluster: string]: any[] };
}

const KIND_ORDER = ['Tenant', 'Etcd', 'Ingress', 'Monitoring'];

function kindRank(kind: string): number {
  const i = KIND_ORDER.indexOf(kind);
  return i < 0 ? KIND_ORDER.length : i;
}

/** Code-point order, the same on every machine (unlike localeCompare). */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Characters hashed or written at a time: a string is converted to UTF-8 a slice at a time, not whole. */
const SLICE = 1_048_576;

/**
 * The string in slices of about `SLICE` characters, never splitting a surrogate pair, so that
 * the slices' UTF-8 is exactly the whole string's (a flat string's slices are not copies).
 * @internal
 */
export function* utf8Slices(s: string): Generator<string> {
  for (let i = 0; i < s.length;) {
    let end = Math.min(i + SLICE, s.length);
    const last = s.charCodeAt(end - 1);
    if (end < s.length && last >= 0xd800 && last <= 0xdbff) end--;
    yield s.slice(i, end);
    i = end;
  }
}

/**
 * Hashed in slices: `update()` of a whole string copies it into a UTF-8 buffer first, which at
 * 100,000 tenants is a third of a gigabyte for topology.json alone. Same digest.
 */
function sha256(s: string): string {
  const hash = createHash('sha256');
  for (const part of utf8Slices(s)) hash.update(part);
  return hash.digest('hex');
}

/** JSON as the bundle writes it. */
export function json(x: unknown): string {
  return JSON.stringify(x, null, 2) + '\n';
}

function refOf(o: ModelObject): BundleObjectRef {
  const m = o.manifest;
  return {
    apiVersion: String(m.apiVersion),
    kind: String(m.kind),
    namespace: String(m.metadata?.namespace ?? ''),
    name: String(m.metadata?.name ?? ''),
    path: o.path,
  };
}

/**
 * Computes the bundle of a platform. Identical input gives identical bytes, whatever
 * order siblings were declared in.
 * @param extension the extension of the wave files (the App's `outputFileExtension`)
 */
export function computeBundle(model: PlatformModel, extension = '.k8s.yaml'): PlatformBundle {
  const root = model.root;
  const isRootObject = (r: BundleObjectRef) => r.kind === 'Tenant' && r.namespace === root.namespace && r.name === root.name;
  const entries = model.objects.map(o => {
    let manifest = o.manifest;
    if (model.flux && String(manifest.apiVersion) === COZYSTACK_API_VERSION) {
      // Flux must never delete a tenant, an app or a module (and their data) on its own.
      manifest = { ...manifest, metadata: { ...manifest.metadata, annotations: { ...manifest.metadata?.annotations, ...FLUX_PRUNE_DISABLED } } };
    }
    const ref = refOf(o);
    // The sort keys that are not the ref's own strings, computed once per object rather than per comparison.
    return { wave: o.wave, manifest, ref, isRoot: Number(isRootObject(ref)), rank: kindRank(ref.kind) };
  });
  entries.sort((a, b) => a.wave - b.wave
    || b.isRoot - a.isRoot
    || a.rank - b.rank
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

  const tenantNamespaceOf = new Map<string, string>();
  for (const t of model.tenants) tenantNamespaceOf.set(`${t.parentNamespace ?? t.namespace}/${t.name}`, t.namespace);

  const files: Record<string, string> = {};
  const waves: BundleWave[] = [];
  for (const [wave, list] of [...byWave.entries()].sort((a, b) => a[0] - b[0])) {
    const file = `wave-${String(wave).padStart(2, '0')}${extension}`;
    const yaml = stringifyYamlDocs(list.map(e => e.manifest));
    const waitFor = list
      .filter(e => e.ref.kind === 'Tenant' && e.ref.apiVersion === COZYSTACK_API_VERSION)
      .map(e => ({ ...e.ref, tenantNamespace: tenantNamespaceOf.get(`${e.ref.namespace}/${e.ref.name}`) ?? e.ref.namespace }));
    files[file] = yaml;
    waves.push({ wave, file, yaml, objects: list.map(e => e.ref), waitFor });
  }

  // Each tenant cluster's workloads: a bundle of its own, applied through its API once it is Ready.
  const clusters = [...model.clusters].sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.name, b.name));
  const clusterManifests: Record<string, any[]> = {};
  const clusterIndex = clusters.map(c => {
    const file = `${c.dir}/workloads${TENANT_CLUSTER_FILE_EXTENSION}`;
    files[file] = stringifyYamlDocs(c.manifests);
    clusterManifests[`${c.namespace}/${c.name}`] = c.manifests;
    return {
      apiVersion: c.apiVersion,
      kind: c.kind,
      namespace: c.namespace,
      name: c.name,
      path: c.path,
      dir: c.dir,
      files: [file],
      kubeconfigSecret: c.kubeconfigSecret,
      objects: c.manifests.map(m => ({ apiVersion: m.apiVersion, kind: m.kind, namespace: m.metadata?.namespace ?? '', name: m.metadata?.name ?? '' })),
    };
  });

  if (model.flux) {
    const units = fluxFiles(
      model.flux,
      waves.map(w => ({ id: w.file.replace(/\..*$/, ''), files: [w.file] })),
      clusterIndex.map(c => ({ id: `cluster-${c.namespace}-${c.name}`, files: c.files, kubeconfig: c.kubeconfigSecret })),
    );
    for (const [file, content] of Object.entries(units)) {
      files[file] = stringifyYamlDocs(Array.isArray(content) ? content : [content]);
    }
  }

  const topology = { cozystackVersion: model.version, tenants: model.tenants, apps: model.apps };
  files[TOPOLOGY_FILE] = json(compactTopology(topology));
  // The same topology for people: a report for PR comments, a Mermaid graph and a picture.
  const topologyIndex = new TopologyIndex(topology);
  files['topology.md'] = renderTopologyMarkdown(topologyIndex, { maxTenants: 500 });
  files['topology.mmd'] = renderTopologyMermaid(topologyIndex);
  files['topology.svg'] = renderTopologySvg(topologyIndex);

  const index = {
    format: BUNDLE_FORMAT,
    cozystackVersion: model.version,
    root: { path: root.path, namespace: root.namespace, host: root.host },
    waves: waves.map(w => ({ wave: w.wave, file: w.file, sha256: sha256(w.yaml), objects: w.objects, waitFor: w.waitFor })),
    clusters: clusterIndex,
    files: Object.fromEntries(Object.keys(files).sort().map(f => [f, sha256(files[f])])),
    warnings: model.warnings,
  };
  return { waves, manifests: entries.map(e => e.manifest), index, topology, warnings: model.warnings, files, clusterManifests };
}
