/**
 * Reading a bundle back from disk for `plan` and `apply`. A bundle is only used
 * whole and untouched: `index.json` must be there (it is written last, so a folder
 * without it is a half-written bundle), and every file must match its sha256.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { BUNDLE_FORMAT, BundleObjectRef, BundleWaitRef, INDEX_FILE, TOPOLOGY_FILE } from './compute';
import { expandTopology, TopologyFile } from './topology-file';
import { Topology } from '../report/model';

/** A bundle that cannot be used; the message says why and what to do. */
export class BundleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BundleError';
  }
}

/** One object of a bundle, with its manifest. */
export interface LoadedObject {
  readonly ref: BundleObjectRef;
  /** `Kind/namespace/name`, the form `--allow-destroy` takes. */
  readonly key: string;
  readonly wave: number;
  readonly manifest: any;
}

/** One wave of a bundle. */
export interface LoadedWave {
  readonly wave: number;
  readonly file: string;
  /** The file's content, exactly as verified. */
  readonly yaml: string;
  readonly objects: LoadedObject[];
  readonly waitFor: BundleWaitRef[];
}

/** The tenants and apps of `topology.json`, expanded, as the report renderers read them too. */
export type { Topology, TopologyApp, TopologyCredential, TopologyEndpoint, TopologyTenant } from '../report/model';
/** An object of a wave, and a Tenant a wave waits for, as `index.json` lists them. */
export type { BundleObjectRef, BundleWaitRef } from './compute';

/** The platform's root tenant, as `index.json` records it. */
export interface BundleRoot {
  /** The construct path of the RootTenant. */
  readonly path: string;
  readonly namespace: string;
  readonly host: string;
}

/** The Secret that holds a tenant cluster's admin kubeconfig, in the cluster's tenant namespace. */
export interface KubeconfigSecretRef {
  readonly namespace: string;
  readonly name: string;
  readonly key: string;
}

/** One object of a tenant cluster's bundle. */
export interface LoadedClusterObject {
  readonly apiVersion: string;
  readonly kind: string;
  /** The namespace inside the tenant cluster (`default` when the manifest names none); '' when cluster-scoped. */
  readonly namespace: string;
  readonly name: string;
  /** `Kind/namespace/name@<tenant namespace>/<cluster>` (`Kind/name@...` when cluster-scoped), the form `--allow-destroy` takes. */
  readonly key: string;
  readonly manifest: any;
}

/** The workloads bundle of one tenant Kubernetes cluster, applied through that cluster's own API. */
export interface LoadedCluster {
  /** `<tenant namespace>/<name>`. */
  readonly id: string;
  /** The key of its `Kubernetes` object in the management bundle. */
  readonly key: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** The construct path of the KubernetesCluster. */
  readonly path: string;
  readonly dir: string;
  readonly files: string[];
  readonly kubeconfigSecret: KubeconfigSecretRef;
  /** The files' content, exactly as verified. */
  readonly yaml: string;
  readonly objects: LoadedClusterObject[];
}

/** A verified bundle. */
export interface LoadedBundle {
  readonly dir: string;
  readonly index: any;
  /** The root tenant (`index.json` `root`). */
  readonly root: BundleRoot;
  /** `topology.json` expanded: each app with what its kind states in the file's `kinds` table. */
  readonly topology: Topology;
  readonly waves: LoadedWave[];
  /** Every object by key. */
  readonly objects: Map<string, LoadedObject>;
  /** The tenant clusters' workload bundles, by cluster id (`<tenant namespace>/<name>`). */
  readonly clusters: LoadedCluster[];
  readonly warnings: string[];
}

/** Kinds without a namespace, among those a tenant cluster's workloads may hold. */
const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'ClusterRole',
  'ClusterRoleBinding', 'CustomResourceDefinition', 'APIService', 'IngressClass', 'PriorityClass', 'RuntimeClass',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding', 'ClusterIssuer', 'VolumeSnapshotClass',
]);

/** Where kubectl puts an object of a tenant cluster's bundle: its namespace, `default` without one, '' when cluster-scoped. */
export function namespaceInCluster(kind: string, namespace: string | undefined): string {
  if (CLUSTER_SCOPED_KINDS.has(kind)) return '';
  return namespace || 'default';
}

/** `Kind/namespace/name@<tenant namespace>/<cluster>`: an object inside a tenant cluster. */
export function clusterObjectKey(clusterId: string, r: { kind: string; namespace: string; name: string }): string {
  return `${r.kind}/${r.namespace ? `${r.namespace}/` : ''}${r.name}@${clusterId}`;
}

/** `Kind/namespace/name`. */
export function objectKey(r: { kind: string; namespace: string; name: string }): string {
  return `${r.kind}/${r.namespace}/${r.name}`;
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A file name from the index, refused if it could point outside the bundle. */
function bundlePath(dir: string, file: string): string {
  if (typeof file !== 'string' || file === '' || path.isAbsolute(file) || file.split(/[\\/]/).includes('..')) {
    throw new BundleError(`${path.join(dir, INDEX_FILE)} names a file outside the bundle ("${file}"). The index is not one this library wrote; synthesize the bundle again.`);
  }
  return path.join(dir, file);
}

/**
 * Reads and verifies the bundle in `dir`. Throws a BundleError for a missing or
 * half-written bundle, an unknown format, or a file that does not match its hash.
 */
export function readBundle(dir: string): LoadedBundle {
  const indexPath = path.join(dir, INDEX_FILE);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new BundleError(`${dir} is not a directory. Pass the output directory of \`cdk8s-cozystack synth\`.`);
  }
  if (!fs.existsSync(indexPath)) {
    throw new BundleError(`${dir} has no ${INDEX_FILE}: it is not a bundle, or an incomplete one (the index is written last). Run \`cdk8s-cozystack synth\` again.`);
  }
  let index: any;
  try {
    index = JSON.parse(fs.readFileSync(indexPath, 'utf8'));
  } catch (e) {
    throw new BundleError(`${indexPath} is not valid JSON (${(e as Error).message}). Synthesize the bundle again.`);
  }
  checkFormat(index?.format, indexPath);
  const files: Record<string, string> = index.files ?? {};
  const contents = new Map<string, Buffer>();
  for (const [file, expected] of Object.entries(files)) {
    const p = bundlePath(dir, file);
    if (!fs.existsSync(p)) throw new BundleError(`${p} is missing: the bundle is incomplete. Synthesize it again.`);
    const data = fs.readFileSync(p);
    const actual = sha256(data);
    if (actual !== expected) {
      throw new BundleError(`${p} does not match its sha256 in ${INDEX_FILE} (expected ${expected}, found ${actual}): the file was changed after synthesis. Synthesize the bundle again rather than editing it.`);
    }
    contents.set(file, data);
  }

  const objects = new Map<string, LoadedObject>();
  const waves: LoadedWave[] = [];
  for (const w of index.waves ?? []) {
    const data = contents.get(w.file);
    if (!data) throw new BundleError(`${indexPath}: wave ${w.wave}'s file ${w.file} is not listed in "files". Synthesize the bundle again.`);
    if (w.sha256 && w.sha256 !== sha256(data)) {
      throw new BundleError(`${path.join(dir, w.file)} does not match wave ${w.wave}'s sha256 in ${INDEX_FILE}. Synthesize the bundle again.`);
    }
    const yaml = data.toString('utf8');
    const docs = YAML.parseAllDocuments(yaml).map(d => d.toJS()).filter(d => d !== null && d !== undefined);
    const refs: BundleObjectRef[] = w.objects ?? [];
    if (docs.length !== refs.length) {
      throw new BundleError(`${path.join(dir, w.file)} holds ${docs.length} objects but ${INDEX_FILE} lists ${refs.length}. Synthesize the bundle again.`);
    }
    const loaded = refs.map((ref, i) => {
      const m = docs[i];
      if (m.kind !== ref.kind || m.metadata?.name !== ref.name || (m.metadata?.namespace ?? '') !== ref.namespace) {
        throw new BundleError(`${path.join(dir, w.file)}: object ${i + 1} is ${m.kind} ${m.metadata?.namespace}/${m.metadata?.name}, ${INDEX_FILE} says ${objectKey(ref)}. Synthesize the bundle again.`);
      }
      const o: LoadedObject = { ref, key: objectKey(ref), wave: w.wave, manifest: m };
      objects.set(o.key, o);
      return o;
    });
    waves.push({ wave: w.wave, file: w.file, yaml, objects: loaded, waitFor: w.waitFor ?? [] });
  }

  const clusters = (index.clusters ?? []).map((c: any) => readCluster(dir, indexPath, c, contents));

  const topologyData = contents.get(TOPOLOGY_FILE);
  const topology: Topology = topologyData ? parseTopology(topologyData.toString('utf8'), path.join(dir, TOPOLOGY_FILE)) : { tenants: [], apps: [] };
  const root: BundleRoot = index.root ?? { path: '', namespace: '', host: '' };
  return { dir, index, root, topology, waves, objects, clusters, warnings: index.warnings ?? [] };
}

/** Bundle formats of earlier versions of this library, refused with a message that says to synthesize again. */
const EARLIER_FORMATS: readonly string[] = ['cdk8s-cozystack.bundle/v1'];

function earlierFormat(file: string, format: string): BundleError {
  return new BundleError(`${file}: the bundle has format "${format}", written by an earlier version of cdk8s-cozystack; `
    + `this version reads only "${BUNDLE_FORMAT}" (its topology.json states what apps of a kind share once, in a "kinds" table). `
    + 'Synthesize the bundle again with this version (for a --from bundle: check out the commit it was made from and synthesize it with this version).');
}

/** Refuses an `index.json` format other than {@link BUNDLE_FORMAT}. */
export function checkFormat(format: unknown, indexPath: string): void {
  if (format === BUNDLE_FORMAT) return;
  if (typeof format === 'string' && EARLIER_FORMATS.includes(format)) throw earlierFormat(indexPath, format);
  throw new BundleError(`${indexPath} has format "${format}", this CLI reads "${BUNDLE_FORMAT}". Synthesize the bundle with the same version of cdk8s-cozystack.`);
}

/**
 * The topology a `topology.json` records, expanded (see topology-file.ts) and checked.
 * A file without a `kinds` table is one of format v1 and is refused as such, whatever
 * `index.json` says.
 */
export function parseTopology(text: string, file: string): Topology {
  let data: any;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new BundleError(`${file} is not valid JSON (${(e as Error).message}). Synthesize the bundle again.`);
  }
  if (!data || typeof data !== 'object' || !Array.isArray(data.tenants) || !Array.isArray(data.apps)) {
    throw new BundleError(`${file} is not a topology (no "tenants" and "apps" arrays). Synthesize the bundle again.`);
  }
  if (!data.kinds || typeof data.kinds !== 'object' || Array.isArray(data.kinds)) {
    throw earlierFormat(file, EARLIER_FORMATS[EARLIER_FORMATS.length - 1]);
  }
  let topology: Topology;
  try {
    topology = expandTopology(data as TopologyFile);
  } catch (e) {
    throw new BundleError(`${file}: ${(e as Error).message} The file is not one this library wrote; synthesize the bundle again.`);
  }
  checkTopology(topology, file);
  return topology;
}

/**
 * Refuses a topology whose apps do not record what the registry of kinds computes at
 * synth (release, uses, holdsData, credentials, endpoints): the CLI reads these instead of
 * deriving them, so a bundle of an older version cannot be planned or explained.
 */
export function checkTopology(topology: Topology, file: string): void {
  if (!topology || !Array.isArray(topology.tenants) || !Array.isArray(topology.apps)) {
    throw new BundleError(`${file} is not a topology (no "tenants" and "apps" arrays). Synthesize the bundle again.`);
  }
  for (const a of topology.apps) {
    if (typeof a.release !== 'string' || !Array.isArray(a.uses) || typeof a.holdsData !== 'boolean'
      || !Array.isArray(a.credentials) || !Array.isArray(a.endpoints)) {
      throw new BundleError(`${file}: app ${a.path} does not record its release, the services it uses, whether it holds data, `
        + 'its credentials and endpoints: the bundle was written by an older version of cdk8s-cozystack. Synthesize it again with this version '
        + '(for a --from bundle: check out the commit it was made from and synthesize it with this version).');
    }
  }
}

function readCluster(dir: string, indexPath: string, c: any, contents: Map<string, Buffer>): LoadedCluster {
  const id = `${c.namespace}/${c.name}`;
  const files: string[] = c.files ?? [];
  const texts = files.map(f => {
    const data = contents.get(f);
    if (!data) throw new BundleError(`${indexPath}: tenant cluster ${id}'s file ${f} is not listed in "files". Synthesize the bundle again.`);
    return data.toString('utf8');
  });
  const docs = texts.flatMap(t => YAML.parseAllDocuments(t).map(d => d.toJS()).filter(d => d !== null && d !== undefined));
  const refs: any[] = c.objects ?? [];
  if (docs.length !== refs.length) {
    throw new BundleError(`${path.join(dir, c.dir ?? '')}: tenant cluster ${id}'s files hold ${docs.length} objects but ${INDEX_FILE} lists ${refs.length}. Synthesize the bundle again.`);
  }
  const objects = refs.map((ref, i): LoadedClusterObject => {
    const m = docs[i];
    if (m.kind !== ref.kind || m.metadata?.name !== ref.name || (m.metadata?.namespace ?? '') !== (ref.namespace ?? '')) {
      throw new BundleError(`${path.join(dir, c.dir ?? '')}: object ${i + 1} of tenant cluster ${id} is ${m.kind} ${m.metadata?.name}, ${INDEX_FILE} says ${ref.kind} ${ref.name}. Synthesize the bundle again.`);
    }
    const namespace = namespaceInCluster(ref.kind, ref.namespace);
    const key = clusterObjectKey(id, { kind: ref.kind, namespace, name: ref.name });
    return { apiVersion: ref.apiVersion, kind: ref.kind, namespace, name: ref.name, key, manifest: m };
  });
  const secret = c.kubeconfigSecret;
  if (!secret?.name || !secret?.key) {
    throw new BundleError(`${indexPath}: tenant cluster ${id} records no kubeconfigSecret (name and key of the Secret that holds its admin kubeconfig). `
      + 'Synthesize the bundle again with this version of cdk8s-cozystack.');
  }
  return {
    id,
    key: objectKey({ kind: c.kind ?? 'Kubernetes', namespace: c.namespace, name: c.name }),
    apiVersion: c.apiVersion,
    kind: c.kind ?? 'Kubernetes',
    namespace: c.namespace,
    name: c.name,
    path: c.path ?? '',
    dir: c.dir ?? '',
    files,
    kubeconfigSecret: { namespace: secret.namespace ?? c.namespace, name: secret.name, key: secret.key },
    yaml: texts.join(texts.every(t => t.endsWith('\n')) ? '---\n' : '\n---\n'),
    objects,
  };
}
