/**
 * Stand-ins for Kubernetes APIs, for end-to-end tests of `cdk8s-cozystack apply` with
 * the real kubectl. THIS IS NOT COZYSTACK and not a kube-apiserver: it is an in-memory
 * HTTP server on 127.0.0.1 that serves just enough of the Kubernetes API for kubectl
 * 1.33's `apply` (client-side and server-side), `get`, `wait` and `delete`, over a
 * table of resource types. It plays one of two roles:
 *
 * - `management` (the default): the Cozystack management cluster. It serves core v1
 *   namespaces (read only: Tenants create them) and secrets, and the
 *   `apps.cozystack.io/v1alpha1` kinds Tenant, Kubernetes, Postgres, Etcd, Ingress,
 *   Monitoring; and it plays Cozystack's controllers as SPEC.md describes them:
 *   a created Tenant gets its namespace (`tenant-<name>` under tenant-root, else
 *   `<parent ns>-<name>`) and, after a configurable delay, Ready=True and
 *   `status.namespace` (or, for tenants in `neverReady`, no namespace and Ready=False);
 *   a created Kubernetes cluster gets its Secret `kubernetes-<name>-admin-kubeconfig` in
 *   its namespace with the key `super-admin.conf` (a kubeconfig for another stand-in that
 *   plays that cluster's API, `clusterApi`) after `secretDelayMs`, and becomes Ready after
 *   `clusterReadyDelayMs` (or never): as in Cozystack, where the control plane's admin
 *   kubeconfig exists well before the cluster's HelmRelease is Ready, so a client that
 *   does not wait for Ready would reach a cluster that is not ready. Deleting a Tenant deletes its namespace with everything in it.
 * - `tenant-cluster`: a tenant Kubernetes cluster's own API, with namespaces `default`
 *   and `kube-system`: core v1 namespaces, secrets, configmaps, services,
 *   persistentvolumeclaims, serviceaccounts, apps/v1 deployments and statefulsets,
 *   networking.k8s.io/v1 ingresses. Nothing runs: objects are only stored.
 *
 * Both serve legacy discovery and minimal OpenAPI v3 documents (kubectl reads from them
 * that the server validates fields, and which patch types each kind accepts); CRUD, list,
 * watch; JSON merge patch for every kind and, for built-in kinds only (as a real server),
 * strategic merge patch, approximated by merging lists of objects by their usual merge key
 * (`name`, `mountPath`, `containerPort`, `port`, ...) and honouring the `$patch`,
 * `$retainKeys`, `$setElementOrder` and `$deleteFromPrimitiveList` directives kubectl sends;
 * server-side apply approximated by a three-way merge against what the same field manager
 * applied before; `dryRun=All` on writes (nothing is stored). Objects in a namespace that
 * does not exist are refused with 404, like a real server.
 *
 * It does not validate specs, run charts or pods, enforce RBAC or admission policies, or
 * implement a real field-ownership model.
 */
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';
import * as YAML from 'yaml';

const COZYSTACK_GROUP = 'apps.cozystack.io';
const COZYSTACK_VERSION = 'v1alpha1';
const ROOT_NAMESPACE = 'tenant-root';

/** A kind the stand-in serves. */
export interface ResourceType {
  /** '' for the core group. */
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly singular: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly shortNames?: string[];
  /** Built into Kubernetes: accepts strategic merge patches (what kubectl's client-side apply sends for these). */
  readonly builtin: boolean;
  /** Only readable through the API (namespaces of the management cluster, which Tenants create). */
  readonly readOnly?: boolean;
}

function core(plural: string, kind: string, namespaced = true, shortNames?: string[]): ResourceType {
  return { group: '', version: 'v1', plural, singular: kind.toLowerCase(), kind, namespaced, shortNames, builtin: true };
}

function builtin(group: string, plural: string, kind: string, shortNames?: string[]): ResourceType {
  return { group, version: 'v1', plural, singular: kind.toLowerCase(), kind, namespaced: true, shortNames, builtin: true };
}

function cozystack(plural: string, kind: string): ResourceType {
  return { group: COZYSTACK_GROUP, version: COZYSTACK_VERSION, plural, singular: kind.toLowerCase(), kind, namespaced: true, builtin: false };
}

/** The `apps.cozystack.io/v1alpha1` kinds. */
export const COZYSTACK_RESOURCES: ResourceType[] = [
  cozystack('tenants', 'Tenant'),
  cozystack('kuberneteses', 'Kubernetes'),
  cozystack('postgreses', 'Postgres'),
  cozystack('etcds', 'Etcd'),
  cozystack('ingresses', 'Ingress'),
  cozystack('monitorings', 'Monitoring'),
];

/** What the management stand-in serves. */
export const MANAGEMENT_RESOURCES: ResourceType[] = [
  { ...core('namespaces', 'Namespace', false, ['ns']), readOnly: true },
  core('secrets', 'Secret'),
  ...COZYSTACK_RESOURCES,
];

/** What a tenant cluster's stand-in serves: the core objects workloads are made of. */
export const TENANT_CLUSTER_RESOURCES: ResourceType[] = [
  core('namespaces', 'Namespace', false, ['ns']),
  core('secrets', 'Secret'),
  core('configmaps', 'ConfigMap', true, ['cm']),
  core('services', 'Service', true, ['svc']),
  core('persistentvolumeclaims', 'PersistentVolumeClaim', true, ['pvc']),
  core('serviceaccounts', 'ServiceAccount', true, ['sa']),
  builtin('apps', 'deployments', 'Deployment', ['deploy']),
  builtin('apps', 'statefulsets', 'StatefulSet', ['sts']),
  builtin('networking.k8s.io', 'ingresses', 'Ingress', ['ing']),
];

export type FakeApiServerRole = 'management' | 'tenant-cluster';

/** Where the stand-in reports which generation a Ready condition describes. */
export type ObservedGenerationAt = 'condition' | 'status' | 'none';

export interface FakeApiServerOptions {
  /** What the server plays. @default "management" */
  readonly role?: FakeApiServerRole;
  /** Delay before a created Tenant is Ready (ms). @default 0 */
  readonly readyDelayMs?: number;
  /** Tenants (by `namespace/name`) that never become Ready. @default none */
  readonly neverReady?: string[];
  /** Start with `tenant-root` and its unlabelled `Tenant root`, as a Cozystack install has. @default true (management) */
  readonly withRoot?: boolean;
  /** Delay before a created Kubernetes cluster is Ready (ms). @default 0 */
  readonly clusterReadyDelayMs?: number;
  /** Delay before a created Kubernetes cluster's admin kubeconfig Secret appears (ms), Ready or not. @default 0 */
  readonly secretDelayMs?: number;
  /** Kubernetes clusters (by `namespace/name`) that never become Ready. @default none */
  readonly neverReadyClusters?: string[];
  /**
   * How long Cozystack's controllers take to act on a spec change of a Tenant or a
   * Kubernetes cluster that exists (ms). Until then its Ready condition is the one of the
   * previous generation: still `True`, with `observedGeneration` lagging behind
   * `metadata.generation`. @default 0
   */
  readonly updateReconcileDelayMs?: number;
  /**
   * Where the server reports the generation its Ready condition describes: on the
   * condition (`observedGeneration`, as Flux's HelmRelease does), in
   * `status.observedGeneration`, or nowhere. @default "condition"
   */
  readonly observedGeneration?: ObservedGenerationAt;
  /**
   * The stand-in that plays a Kubernetes cluster's API once it is Ready: its admin
   * kubeconfig Secret points there. @default - no Secret is created
   */
  readonly clusterApi?: (namespace: string, name: string) => FakeApiServer | undefined;
}

/** One write the server saw (dry runs included, flagged). */
export interface WriteRecord {
  /** Ordered across every stand-in of the process, so tests can compare two servers' writes. */
  readonly seq: number;
  readonly verb: 'create' | 'patch' | 'apply' | 'delete';
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly dryRun: boolean;
  readonly status: number;
}

/** A moment an object became Ready (what `kubectl wait` waits for). */
export interface ReadyRecord {
  /** On the same scale as `WriteRecord.seq`. */
  readonly seq: number;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

interface WatchEvent {
  readonly rv: number;
  readonly resource: string;
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly object: any;
}

interface Watcher {
  readonly resource: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly res: http.ServerResponse;
}

class HttpError extends Error {
  constructor(public readonly code: number, public readonly reason: string, message: string, public readonly details?: any) {
    super(message);
  }
}

/** One sequence for every server of the process. */
let globalSeq = 0;

function clone<T>(x: T): T {
  return x === undefined ? x : JSON.parse(JSON.stringify(x));
}

function isObject(x: unknown): x is Record<string, any> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: any, patch: any): any {
  if (!isObject(patch)) return clone(patch);
  const out: Record<string, any> = isObject(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** The merge keys of Kubernetes' lists of objects, by field name (from the API types' patchMergeKey tags). */
const MERGE_KEYS: Record<string, string[]> = {
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  volumes: ['name'],
  env: ['name'],
  imagePullSecrets: ['name'],
  volumeMounts: ['mountPath'],
  volumeDevices: ['devicePath'],
  ports: ['containerPort', 'port'],
  conditions: ['type'],
  hostAliases: ['ip'],
};

/**
 * Strategic merge patch, reduced to what kubectl sends for built-in kinds: maps merge,
 * lists of objects with a known merge key merge element by element, other lists are replaced.
 */
export function strategicMergePatch(target: any, patch: any): any {
  if (!isObject(patch)) return clone(patch);
  if (patch.$patch === 'replace') return stripDirectives(patch);
  const out: Record<string, any> = isObject(target) ? clone(target) : {};
  if (Array.isArray(patch.$retainKeys)) {
    for (const k of Object.keys(out)) if (!patch.$retainKeys.includes(k)) delete out[k];
  }
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) continue;
    if (v === null) delete out[k];
    else if (Array.isArray(v)) out[k] = mergeList(k, out[k], v);
    else out[k] = strategicMergePatch(out[k], v);
  }
  for (const [k, v] of Object.entries(patch)) {
    const deleteFrom = /^\$deleteFromPrimitiveList\/(.+)$/.exec(k);
    if (deleteFrom && Array.isArray(out[deleteFrom[1]]) && Array.isArray(v)) {
      out[deleteFrom[1]] = out[deleteFrom[1]].filter((x: unknown) => !v.includes(x));
    }
    const order = /^\$setElementOrder\/(.+)$/.exec(k);
    if (order && Array.isArray(out[order[1]]) && Array.isArray(v)) out[order[1]] = reorder(order[1], out[order[1]], v);
  }
  return out;
}

function mergeKeyOf(field: string, elements: any[]): string | undefined {
  if (elements.length === 0 || !elements.every(isObject)) return undefined;
  return (MERGE_KEYS[field] ?? []).find(key => elements.every(e => e[key] !== undefined));
}

function mergeList(field: string, target: any, patch: any[]): any[] {
  const key = mergeKeyOf(field, patch);
  if (!key) return patch.map(stripDirectives);
  const out: any[] = Array.isArray(target) ? clone(target) : [];
  for (const element of patch) {
    const i = out.findIndex(x => isObject(x) && x[key] === element[key]);
    if (element.$patch === 'delete') {
      if (i >= 0) out.splice(i, 1);
    } else if (i >= 0) {
      out[i] = strategicMergePatch(out[i], element);
    } else {
      out.push(strategicMergePatch(undefined, element));
    }
  }
  return out;
}

function reorder(field: string, list: any[], order: any[]): any[] {
  const key = mergeKeyOf(field, list);
  const id = (x: any) => JSON.stringify(key ? x?.[key] : x);
  const rank = new Map(order.map((x, i) => [key ? JSON.stringify(x?.[key]) : JSON.stringify(x), i]));
  return [...list].sort((a, b) => (rank.get(id(a)) ?? order.length) - (rank.get(id(b)) ?? order.length));
}

function stripDirectives(x: any): any {
  if (Array.isArray(x)) return x.map(stripDirectives);
  if (!isObject(x)) return clone(x);
  return Object.fromEntries(Object.entries(x).filter(([k]) => !k.startsWith('$')).map(([k, v]) => [k, stripDirectives(v)]));
}

/** The merge patch that turns `from` into `to` (removed keys become null). */
function diffPatch(from: any, to: any): any {
  if (!isObject(from) || !isObject(to)) return clone(to);
  const out: Record<string, any> = {};
  for (const k of Object.keys(from)) if (!(k in to)) out[k] = null;
  for (const [k, v] of Object.entries(to)) {
    if (JSON.stringify(from[k]) !== JSON.stringify(v)) out[k] = diffPatch(from[k], v);
  }
  return out;
}

/** The namespace a Tenant owns (SPEC.md §3). */
export function tenantNamespaceOf(namespace: string, name: string): string {
  if (namespace === ROOT_NAMESPACE && name === 'root') return ROOT_NAMESPACE;
  return namespace === ROOT_NAMESPACE ? `tenant-${name}` : `${namespace}-${name}`;
}

function apiVersionOf(r: ResourceType): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** Where a group-version lives: `api/v1` or `apis/<group>/<version>`. */
function gvPath(r: { group: string; version: string }): string {
  return r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`;
}

/** The store's and the watchers' name for a resource type. */
function resourceId(r: ResourceType): string {
  return `${r.group}/${r.version}/${r.plural}`;
}

export class FakeApiServer {
  /** Starts a server on 127.0.0.1 on a random port. */
  public static async start(options: FakeApiServerOptions = {}): Promise<FakeApiServer> {
    const s = new FakeApiServer(options);
    await new Promise<void>((resolve, reject) => {
      s.server.once('error', reject);
      s.server.listen(0, '127.0.0.1', () => resolve());
    });
    return s;
  }

  public readonly role: FakeApiServerRole;
  /** Every write, in the order the server saw them. */
  public readonly writes: WriteRecord[] = [];
  /** Every Ready transition, in order. */
  public readonly readiness: ReadyRecord[] = [];
  /** Every request as `METHOD path?query`. */
  public readonly requests: string[] = [];
  /** Delay before a created Tenant is Ready (ms); may be changed between tests. */
  public readyDelayMs: number;
  /** Tenants (`namespace/name`) that never become Ready; may be changed between tests. */
  public readonly neverReady: Set<string>;
  /** Delay before a created Kubernetes cluster is Ready (ms). */
  public clusterReadyDelayMs: number;
  /** Kubernetes clusters (`namespace/name`) that never become Ready. */
  public readonly neverReadyClusters: Set<string>;
  /** Delay before a created Kubernetes cluster's kubeconfig Secret appears (ms). */
  public secretDelayMs: number;
  /** How long a spec change of an existing Tenant or Kubernetes takes to be reconciled (ms). */
  public updateReconcileDelayMs: number;
  /** Where the generation a Ready condition describes is reported. */
  public observedGeneration: ObservedGenerationAt;
  /** Called with each request before it is served (e.g. to look at the client's files while it runs). */
  public onRequest?: (method: string, path: string) => void;

  private readonly resources: ResourceType[];
  private readonly server: http.Server;
  private readonly objects = new Map<string, Map<string, any>>(); // resource id -> "ns/name" -> object
  private readonly lastApplied = new Map<string, any>(); // SSA: "resource/ns/name/manager" -> applied config
  private readonly history: WatchEvent[] = [];
  private readonly watchers = new Set<Watcher>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly clusterApi?: (namespace: string, name: string) => FakeApiServer | undefined;
  private rv = 1;

  private constructor(options: FakeApiServerOptions) {
    this.role = options.role ?? 'management';
    this.resources = this.role === 'management' ? MANAGEMENT_RESOURCES : TENANT_CLUSTER_RESOURCES;
    this.readyDelayMs = options.readyDelayMs ?? 0;
    this.neverReady = new Set(options.neverReady ?? []);
    this.clusterReadyDelayMs = options.clusterReadyDelayMs ?? 0;
    this.neverReadyClusters = new Set(options.neverReadyClusters ?? []);
    this.secretDelayMs = options.secretDelayMs ?? 0;
    this.updateReconcileDelayMs = options.updateReconcileDelayMs ?? 0;
    this.observedGeneration = options.observedGeneration ?? 'condition';
    this.clusterApi = options.clusterApi;
    for (const r of this.resources) this.objects.set(resourceId(r), new Map());
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 1000;
    if (this.role === 'tenant-cluster') {
      for (const ns of ['default', 'kube-system']) this.createNamespace(ns);
    } else if (options.withRoot ?? true) {
      this.createNamespace(ROOT_NAMESPACE);
      this.seed({
        apiVersion: `${COZYSTACK_GROUP}/${COZYSTACK_VERSION}`,
        kind: 'Tenant',
        metadata: { name: 'root', namespace: ROOT_NAMESPACE },
        spec: { host: 'example.org' },
        status: {
          namespace: ROOT_NAMESPACE,
          ...(this.observedGeneration === 'status' ? { observedGeneration: 1 } : {}),
          conditions: [readyCondition(this.observedGeneration === 'condition' ? 1 : undefined)],
        },
      });
    }
  }

  /** `http://127.0.0.1:<port>`. */
  public get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** A kubeconfig for this server whose only context is `name`. */
  public kubeconfig(name = 'fake'): string {
    return YAML.stringify({
      'apiVersion': 'v1',
      'kind': 'Config',
      'clusters': [{ name, cluster: { server: this.url } }],
      'users': [{ name, user: { token: 'fake' } }],
      'contexts': [{ name, context: { cluster: name, user: name } }],
      'current-context': name,
    });
  }

  /** Writes a kubeconfig for this server (context `fake`) into `dir` and returns its path. */
  public writeKubeconfig(dir: string): string {
    const file = path.join(dir, 'kubeconfig');
    fs.writeFileSync(file, this.kubeconfig());
    return file;
  }

  public async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    for (const w of this.watchers) w.res.end();
    this.watchers.clear();
    await new Promise<void>(resolve => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** Puts an object in place without any side effect (no namespace, no Ready). */
  public seed(obj: any): void {
    const r = this.typeOfKind(obj.kind, obj.apiVersion);
    const o = clone(obj);
    o.metadata.uid ??= randomUUID();
    o.metadata.creationTimestamp ??= new Date().toISOString();
    o.metadata.generation ??= 1;
    o.metadata.resourceVersion = String(++this.rv);
    this.objects.get(resourceId(r))!.set(storeKey(r, o.metadata.namespace, o.metadata.name), o);
  }

  /** Creates a namespace directly. */
  public createNamespace(name: string): void {
    const namespaces = this.objects.get(resourceId(this.typeOfKind('Namespace')))!;
    if (namespaces.has(`/${name}`)) return;
    namespaces.set(`/${name}`, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, uid: randomUUID(), resourceVersion: String(++this.rv), creationTimestamp: new Date().toISOString() },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  }

  /** An object as stored, or undefined (`apiVersion` picks between kinds of the same name). */
  public get(kind: string, namespace: string, name: string, apiVersion?: string): any {
    const r = this.typeOfKind(kind, apiVersion);
    return clone(this.objects.get(resourceId(r))!.get(storeKey(r, namespace, name)));
  }

  /** Every stored object but namespaces as `Kind/namespace/name` (`Kind/name` when cluster-scoped), sorted. */
  public keys(): string[] {
    const out: string[] = [];
    for (const r of this.resources) {
      if (r.kind === 'Namespace') continue;
      for (const k of this.objects.get(resourceId(r))!.keys()) out.push(`${r.kind}/${r.namespaced ? k : k.slice(1)}`);
    }
    return out.sort();
  }

  /** The namespaces that exist, sorted. */
  public namespaceNames(): string[] {
    return [...this.objects.get(resourceId(this.typeOfKind('Namespace')))!.values()].map(n => n.metadata.name).sort();
  }

  /** Sets a tenant Ready now (for tests that made it wait). */
  public markReady(namespace: string, name: string): void {
    this.setReady(this.typeOfKind('Tenant'), namespace, name);
  }

  /** Sets a Kubernetes cluster Ready now (its kubeconfig Secret comes when it comes). */
  public markClusterReady(namespace: string, name: string): void {
    this.setReady(this.typeOfKind('Kubernetes'), namespace, name);
  }

  private typeOfKind(kind: string, apiVersion?: string): ResourceType {
    const found = this.resources.find(r => r.kind === kind && (apiVersion === undefined || apiVersionOf(r) === apiVersion));
    if (!found) throw new Error(`The ${this.role} stand-in does not serve kind ${kind}${apiVersion ? ` (${apiVersion})` : ''}`);
    return found;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      this.requests.push(`${req.method} ${url.pathname}${url.search}`);
      try {
        this.onRequest?.(req.method ?? 'GET', url.pathname);
        this.route(req, res, url, Buffer.concat(chunks).toString('utf8'));
      } catch (e) {
        if (e instanceof HttpError) {
          sendJson(res, e.code, status(e.code, e.reason, e.message, e.details));
        } else {
          sendJson(res, 500, status(500, 'InternalError', String((e as Error).stack ?? e)));
        }
      }
    });
  }

  private route(req: http.IncomingMessage, res: http.ServerResponse, url: URL, body: string): void {
    const p = url.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';
    const q = url.searchParams;

    if (method === 'GET') {
      const discovery = this.discovery(p);
      if (discovery !== undefined) return sendJson(res, 200, discovery);
    }

    const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?\/([a-z0-9]+)(?:\/([^/]+))?(?:\/(status))?$/.exec(p);
    const r = m ? this.resources.find(x => x.group === (m[2] ?? '') && x.version === (m[1] ?? m[3]) && x.plural === m[5]) : undefined;
    if (!m || !r || (m[4] !== undefined && !r.namespaced)) {
      throw new HttpError(404, 'NotFound', 'the server could not find the requested resource');
    }
    const [, , , , namespace, , name] = m;
    const dryRun = q.get('dryRun') === 'All';
    const writing = method !== 'GET';
    if (writing && r.readOnly) throw new HttpError(405, 'MethodNotAllowed', `${r.plural} are created by the platform on this server, not through the API`);
    if (!name) {
      if (method === 'GET') {
        if (q.get('watch') === 'true' || q.get('watch') === '1') return this.watch(res, r, namespace, q);
        return sendJson(res, 200, this.list(r, namespace, q));
      }
      if (method === 'POST' && (namespace || !r.namespaced)) return this.create(res, r, namespace ?? '', parseBody(body), dryRun);
    } else if (namespace || !r.namespaced) {
      const ns = namespace ?? '';
      if (method === 'GET') {
        const o = this.objects.get(resourceId(r))!.get(storeKey(r, ns, name));
        if (!o) throw notFound(r, name);
        return sendJson(res, 200, o);
      }
      if (method === 'PATCH') return this.patch(req, res, r, ns, name, body, q, dryRun);
      if (method === 'PUT') return this.put(res, r, ns, name, parseBody(body), dryRun);
      if (method === 'DELETE') {
        const opts = body ? parseBody(body) : {};
        const dry = dryRun || (Array.isArray(opts.dryRun) && opts.dryRun.includes('All'));
        return this.remove(res, r, ns, name, dry);
      }
    }
    throw new HttpError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  }

  /** Legacy discovery and minimal OpenAPI v3 documents; undefined for other paths. */
  private discovery(p: string): any {
    const resourceList = (gv: string, list: ResourceType[]) => ({
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: gv,
      resources: list.map(r => ({
        name: r.plural,
        singularName: r.singular,
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: r.readOnly ? ['get', 'list', 'watch'] : ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
        ...(r.shortNames ? { shortNames: r.shortNames } : {}),
        ...(r.builtin ? {} : { categories: ['cozystack'] }),
      })),
    });
    const groupVersions = this.groupVersions();
    const groups = [...new Set(groupVersions.filter(gv => gv.group !== '').map(gv => gv.group))];
    const groupInfo = (group: string) => {
      const versions = groupVersions.filter(gv => gv.group === group).map(gv => ({ groupVersion: `${group}/${gv.version}`, version: gv.version }));
      return { name: group, versions, preferredVersion: versions[0] };
    };
    if (p === '/version') return { major: '1', minor: '33', gitVersion: 'v1.33.0-fake', platform: 'linux/amd64' };
    if (p === '/api') {
      return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: this.url.slice(7) }] };
    }
    if (p === '/apis') return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map(groupInfo) };
    if (p === '/openapi/v3') {
      return { paths: Object.fromEntries(groupVersions.map(gv => [gvPath(gv), { serverRelativeURL: `/openapi/v3/${gvPath(gv)}?hash=fake` }])) };
    }
    for (const gv of groupVersions) {
      const list = this.resources.filter(r => r.group === gv.group && r.version === gv.version);
      if (p === `/${gvPath(gv)}`) return resourceList(gv.group ? `${gv.group}/${gv.version}` : gv.version, list);
      if (p === `/openapi/v3/${gvPath(gv)}`) return openApiDocument(gv, list);
      if (gv.group && p === `/apis/${gv.group}`) return { kind: 'APIGroup', apiVersion: 'v1', ...groupInfo(gv.group) };
    }
    return undefined;
  }

  private groupVersions(): { group: string; version: string }[] {
    const out: { group: string; version: string }[] = [];
    for (const r of this.resources) {
      if (!out.some(gv => gv.group === r.group && gv.version === r.version)) out.push({ group: r.group, version: r.version });
    }
    return out;
  }

  private list(r: ResourceType, namespace: string | undefined, q: URLSearchParams): any {
    const items = [...this.objects.get(resourceId(r))!.values()].filter(o => this.matches(o, namespace, q));
    return { apiVersion: apiVersionOf(r), kind: `${r.kind}List`, metadata: { resourceVersion: String(this.rv) }, items };
  }

  private matches(o: any, namespace: string | undefined, q: URLSearchParams): boolean {
    if (namespace && o.metadata.namespace !== namespace) return false;
    const name = fieldSelectorName(q.get('fieldSelector'));
    if (name && o.metadata.name !== name) return false;
    const labels = q.get('labelSelector');
    if (labels) {
      for (const term of labels.split(',')) {
        const [k, v] = term.split('=');
        if (v === undefined ? !(k in (o.metadata.labels ?? {})) : o.metadata.labels?.[k] !== v) return false;
      }
    }
    return true;
  }

  private watch(res: http.ServerResponse, r: ResourceType, namespace: string | undefined, q: URLSearchParams): void {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    const resource = resourceId(r);
    const watcher: Watcher = { resource, namespace, name: fieldSelectorName(q.get('fieldSelector')), res };
    const since = Number(q.get('resourceVersion') ?? '0');
    if (since > 0) {
      for (const e of this.history) if (e.rv > since && e.resource === resource) this.send(watcher, e);
    } else {
      for (const o of this.objects.get(resource)!.values()) this.send(watcher, { rv: this.rv, resource, type: 'ADDED', object: o });
    }
    this.watchers.add(watcher);
    const timeout = Number(q.get('timeoutSeconds') ?? '0');
    const end = () => {
      this.watchers.delete(watcher);
      res.end();
    };
    if (timeout > 0) {
      const t = setTimeout(end, timeout * 1000);
      this.timers.add(t);
    }
    res.on('close', () => this.watchers.delete(watcher));
  }

  private send(w: Watcher, e: WatchEvent): void {
    if (e.resource !== w.resource) return;
    if (w.namespace && e.object.metadata.namespace !== w.namespace) return;
    if (w.name && e.object.metadata.name !== w.name) return;
    w.res.write(JSON.stringify({ type: e.type, object: e.object }) + '\n');
  }

  private emit(r: ResourceType, type: WatchEvent['type'], object: any): void {
    const e: WatchEvent = { rv: Number(object.metadata.resourceVersion), resource: resourceId(r), type, object: clone(object) };
    this.history.push(e);
    for (const w of this.watchers) this.send(w, e);
  }

  private record(verb: WriteRecord['verb'], r: ResourceType, namespace: string, name: string, dryRun: boolean, code: number): void {
    this.writes.push({ seq: ++globalSeq, verb, kind: r.kind, namespace, name, dryRun, status: code });
  }

  private requireNamespace(r: ResourceType, namespace: string): void {
    if (r.namespaced && !this.objects.get(resourceId(this.typeOfKind('Namespace')))!.has(`/${namespace}`)) {
      throw notFound(this.typeOfKind('Namespace'), namespace);
    }
  }

  private create(res: http.ServerResponse, r: ResourceType, namespace: string, obj: any, dryRun: boolean): void {
    const name = obj?.metadata?.name;
    try {
      this.checkBody(r, namespace, obj);
      this.requireNamespace(r, namespace);
      if (this.objects.get(resourceId(r))!.has(storeKey(r, namespace, name))) {
        throw new HttpError(409, 'AlreadyExists', `${qualified(r)} "${name}" already exists`, { name, group: r.group, kind: r.plural });
      }
    } catch (e) {
      if (e instanceof HttpError) this.record('create', r, namespace, String(name), dryRun, e.code);
      throw e;
    }
    const stored = this.store(r, obj, undefined, dryRun);
    this.record('create', r, namespace, name, dryRun, 201);
    sendJson(res, 201, stored);
  }

  private put(res: http.ServerResponse, r: ResourceType, namespace: string, name: string, obj: any, dryRun: boolean): void {
    const existing = this.objects.get(resourceId(r))!.get(storeKey(r, namespace, name));
    if (!existing) throw notFound(r, name);
    this.checkBody(r, namespace, obj);
    const stored = this.store(r, { ...obj, status: existing.status }, existing, dryRun);
    this.record('patch', r, namespace, name, dryRun, 200);
    sendJson(res, 200, stored);
  }

  private patch(req: http.IncomingMessage, res: http.ServerResponse, r: ResourceType, namespace: string, name: string,
    body: string, q: URLSearchParams, dryRun: boolean): void {
    const type = String(req.headers['content-type'] ?? '').split(';')[0].trim();
    const key = storeKey(r, namespace, name);
    const existing = this.objects.get(resourceId(r))!.get(key);
    if (type === 'application/apply-patch+yaml') {
      const applied = YAML.parse(body);
      this.checkBody(r, namespace, applied);
      const manager = q.get('fieldManager') ?? 'unknown';
      const appliedKey = `${resourceId(r)}/${key}/${manager}`;
      if (!existing) {
        try {
          this.requireNamespace(r, namespace);
        } catch (e) {
          this.record('apply', r, namespace, name, dryRun, 404);
          throw e;
        }
        const stored = this.store(r, applied, undefined, dryRun);
        if (!dryRun) this.lastApplied.set(appliedKey, clone(applied));
        this.record('apply', r, namespace, name, dryRun, 201);
        return sendJson(res, 201, stored);
      }
      const before = this.lastApplied.get(appliedKey) ?? {};
      const next = mergePatch(existing, diffPatch(before, applied));
      const stored = this.store(r, next, existing, dryRun);
      if (!dryRun) this.lastApplied.set(appliedKey, clone(applied));
      this.record('apply', r, namespace, name, dryRun, 200);
      return sendJson(res, 200, stored);
    }
    if (!existing) throw notFound(r, name);
    let next: any;
    if (type === 'application/merge-patch+json') {
      next = mergePatch(existing, parseBody(body));
    } else if (type === 'application/strategic-merge-patch+json' && r.builtin) {
      next = strategicMergePatch(existing, parseBody(body));
    } else {
      // Like a real server: custom resources take no strategic merge patch.
      throw new HttpError(415, 'UnsupportedMediaType', 'the body of the request was in an unknown format - accepted media types include: '
        + `application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml${r.builtin ? ', application/strategic-merge-patch+json' : ''}`);
    }
    const stored = this.store(r, next, existing, dryRun);
    this.record('patch', r, namespace, name, dryRun, 200);
    sendJson(res, 200, stored);
  }

  private remove(res: http.ServerResponse, r: ResourceType, namespace: string, name: string, dryRun: boolean): void {
    const existing = this.objects.get(resourceId(r))!.get(storeKey(r, namespace, name));
    if (!existing) {
      this.record('delete', r, namespace, name, dryRun, 404);
      throw notFound(r, name);
    }
    this.record('delete', r, namespace, name, dryRun, 200);
    if (!dryRun) this.deleteObject(r, namespace, name);
    sendJson(res, 200, existing);
  }

  /** Deletes an object; a namespace takes everything in it along, a Tenant its namespace. */
  private deleteObject(r: ResourceType, namespace: string, name: string): void {
    const m = this.objects.get(resourceId(r))!;
    const key = storeKey(r, namespace, name);
    const o = m.get(key);
    if (!o) return;
    m.delete(key);
    o.metadata.resourceVersion = String(++this.rv);
    this.emit(r, 'DELETED', o);
    if (r.kind === 'Namespace') {
      for (const t of this.resources.filter(x => x.namespaced)) {
        for (const child of [...this.objects.get(resourceId(t))!.values()]) {
          if (child.metadata.namespace === name) this.deleteObject(t, name, child.metadata.name);
        }
      }
    }
    if (r.group === COZYSTACK_GROUP && r.kind === 'Tenant') {
      const own = tenantNamespaceOf(namespace, name);
      if (own !== namespace) this.deleteObject(this.typeOfKind('Namespace'), '', own); // the root's namespace is the platform's
    }
  }

  private checkBody(r: ResourceType, namespace: string, obj: any): void {
    if (!isObject(obj) || !isObject(obj.metadata) || !obj.metadata.name) {
      throw new HttpError(400, 'BadRequest', 'the object has no metadata.name');
    }
    if (obj.kind !== r.kind || obj.apiVersion !== apiVersionOf(r)) {
      throw new HttpError(400, 'BadRequest', `the object is a ${obj.apiVersion} ${obj.kind}, not a ${apiVersionOf(r)} ${r.kind}`);
    }
    if (r.namespaced && obj.metadata.namespace && obj.metadata.namespace !== namespace) {
      throw new HttpError(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
    }
  }

  /** Stores `obj` (unless dry run) with server-set metadata; returns what was (or would be) stored. */
  private store(r: ResourceType, obj: any, existing: any, dryRun: boolean): any {
    const o = clone(obj);
    const ns = r.namespaced ? o.metadata.namespace : undefined;
    if (r.namespaced) o.metadata.namespace = ns;
    else delete o.metadata.namespace;
    o.metadata.uid = existing?.metadata.uid ?? randomUUID();
    o.metadata.creationTimestamp = existing?.metadata.creationTimestamp ?? new Date().toISOString();
    const specChanged = !existing || JSON.stringify(existing.spec) !== JSON.stringify(o.spec);
    o.metadata.generation = (existing?.metadata.generation ?? 0) + (specChanged ? 1 : 0);
    delete o.metadata.managedFields;
    if (existing) o.status = existing.status;
    else if (r.kind === 'Namespace') o.status = { phase: 'Active' };
    else delete o.status;
    if (dryRun) {
      o.metadata.resourceVersion = existing?.metadata.resourceVersion ?? '';
      return o;
    }
    o.metadata.resourceVersion = String(++this.rv);
    this.objects.get(resourceId(r))!.set(storeKey(r, ns ?? '', o.metadata.name), o);
    this.emit(r, existing ? 'MODIFIED' : 'ADDED', o);
    if (!existing && r.group === COZYSTACK_GROUP && r.kind === 'Tenant') this.reconcileTenant(ns, o.metadata.name);
    if (!existing && r.group === COZYSTACK_GROUP && r.kind === 'Kubernetes') this.reconcileCluster(ns, o.metadata.name);
    if (existing && specChanged && r.group === COZYSTACK_GROUP && (r.kind === 'Tenant' || r.kind === 'Kubernetes')) {
      this.reconcileUpdate(r, ns, o.metadata.name, o.metadata.generation);
    }
    return o;
  }

  private later(delayMs: number, done: () => void): void {
    if (delayMs <= 0) {
      done();
      return;
    }
    const t = setTimeout(() => {
      this.timers.delete(t);
      done();
    }, delayMs);
    this.timers.add(t);
  }

  /** What Cozystack's tenant chart does, reduced to what apply waits for. */
  private reconcileTenant(namespace: string, name: string): void {
    const own = tenantNamespaceOf(namespace, name);
    const tenants = this.typeOfKind('Tenant');
    if (this.neverReady.has(`${namespace}/${name}`)) {
      // What a failing tenant chart looks like: Ready=False with the HelmRelease's reason.
      this.setCondition(tenants, namespace, name, {
        type: 'Ready',
        status: 'False',
        reason: 'InstallFailed',
        message: `Helm install failed for release ${own}: context deadline exceeded (fake)`,
        lastTransitionTime: new Date().toISOString(),
      }, { namespace: own });
      return;
    }
    this.later(this.readyDelayMs, () => {
      this.createNamespace(own);
      this.setReady(tenants, namespace, name);
    });
  }

  /** What Cozystack's kubernetes chart does, reduced to what apply waits for and reads. */
  private reconcileCluster(namespace: string, name: string): void {
    this.later(this.secretDelayMs, () => this.writeKubeconfigSecret(namespace, name));
    if (this.neverReadyClusters.has(`${namespace}/${name}`)) {
      this.setCondition(this.typeOfKind('Kubernetes'), namespace, name, {
        type: 'Ready',
        status: 'False',
        reason: 'Progressing',
        message: `Waiting for the control plane of kubernetes-${name}: 0/2 replicas available (fake)`,
        lastTransitionTime: new Date().toISOString(),
      });
      return;
    }
    this.later(this.clusterReadyDelayMs, () => this.setReady(this.typeOfKind('Kubernetes'), namespace, name));
  }

  /**
   * A spec change of an object that exists: the controllers see it after
   * `updateReconcileDelayMs`; until then the Ready condition stays the previous
   * generation's (True for a tenant that was Ready).
   */
  private reconcileUpdate(r: ResourceType, namespace: string, name: string, generation: number): void {
    const never = r.kind === 'Tenant' ? this.neverReady : this.neverReadyClusters;
    if (never.has(`${namespace}/${name}`)) return;
    this.later(this.updateReconcileDelayMs, () => {
      const o = this.objects.get(resourceId(r))!.get(`${namespace}/${name}`);
      // A later change is reconciled by its own timer.
      if (!o || o.metadata.generation !== generation) return;
      this.setReady(r, namespace, name);
    });
  }

  private writeKubeconfigSecret(namespace: string, name: string): void {
    if (!this.objects.get(resourceId(this.typeOfKind('Kubernetes')))!.has(`${namespace}/${name}`)) return;
    const api = this.clusterApi?.(namespace, name);
    if (api) {
      const secret = {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: `kubernetes-${name}-admin-kubeconfig`, namespace },
        type: 'Opaque',
        data: { 'super-admin.conf': Buffer.from(api.kubeconfig(`${namespace}-${name}`)).toString('base64') },
      };
      const secrets = this.typeOfKind('Secret');
      const existing = this.objects.get(resourceId(secrets))!.get(`${namespace}/${secret.metadata.name}`);
      this.store(secrets, secret, existing, false);
    }
  }

  private setReady(r: ResourceType, namespace: string, name: string): void {
    const o = this.objects.get(resourceId(r))!.get(`${namespace}/${name}`);
    const generation: number = o?.metadata.generation ?? 1;
    const extra: Record<string, unknown> = r.kind === 'Tenant' ? { namespace: tenantNamespaceOf(namespace, name) } : {};
    if (this.observedGeneration === 'status') extra.observedGeneration = generation;
    const condition = readyCondition(this.observedGeneration === 'condition' ? generation : undefined);
    if (this.setCondition(r, namespace, name, condition, extra)) {
      this.readiness.push({ seq: ++globalSeq, kind: r.kind, namespace, name });
    }
  }

  private setCondition(r: ResourceType, namespace: string, name: string, condition: any, extra: Record<string, unknown> = {}): boolean {
    const o = this.objects.get(resourceId(r))!.get(`${namespace}/${name}`);
    if (!o) return false;
    o.status = { ...(o.status ?? {}), ...extra, conditions: [condition] };
    o.metadata.resourceVersion = String(++this.rv);
    this.emit(r, 'MODIFIED', o);
    return true;
  }
}

function storeKey(r: ResourceType, namespace: string | undefined, name: string): string {
  return `${r.namespaced ? namespace ?? '' : ''}/${name}`;
}

function qualified(r: ResourceType): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

/** Ready=True; `observedGeneration` is the generation it describes, when the server reports it on the condition. */
function readyCondition(observedGeneration?: number): any {
  return {
    type: 'Ready',
    status: 'True',
    reason: 'ReconciliationSucceeded',
    message: 'Release reconciliation succeeded',
    lastTransitionTime: new Date().toISOString(),
    ...(observedGeneration === undefined ? {} : { observedGeneration }),
  };
}

/**
 * A group-version's OpenAPI v3 document, reduced to what kubectl reads: each kind's PATCH
 * operation (tagged with its group-version-kind) accepts the `fieldValidation` query
 * parameter, so kubectl leaves validation to the server instead of downloading schemas.
 * No operation lists strategic merge patch, so kubectl does not look for schemas here:
 * for built-in kinds it builds strategic merge patches from its own types, for custom
 * resources it sends JSON merge patches.
 */
function openApiDocument(gv: { group: string; version: string }, list: ResourceType[]): any {
  const paths: Record<string, any> = {};
  for (const r of list) {
    const item = r.namespaced ? `/${gvPath(gv)}/namespaces/{namespace}/${r.plural}/{name}` : `/${gvPath(gv)}/${r.plural}/{name}`;
    paths[item] = {
      patch: {
        'x-kubernetes-group-version-kind': { group: gv.group, version: gv.version, kind: r.kind },
        'parameters': [
          { name: 'dryRun', in: 'query', schema: { type: 'string' } },
          { name: 'fieldManager', in: 'query', schema: { type: 'string' } },
          { name: 'fieldValidation', in: 'query', schema: { type: 'string' } },
          { name: 'force', in: 'query', schema: { type: 'boolean' } },
        ],
        'requestBody': {
          content: {
            'application/merge-patch+json': { schema: { type: 'object' } },
            'application/apply-patch+yaml': { schema: { type: 'object' } },
          },
        },
        'responses': { 200: { description: 'OK' } },
      },
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes API stand-in (not Cozystack)', version: gv.version }, paths, components: { schemas: {} } };
}

function fieldSelectorName(selector: string | null): string | undefined {
  const m = /(?:^|,)metadata\.name==?([^,]+)/.exec(selector ?? '');
  return m ? m[1] : undefined;
}

function parseBody(body: string): any {
  try {
    return JSON.parse(body);
  } catch {
    throw new HttpError(400, 'BadRequest', 'the request body is not JSON');
  }
}

function notFound(r: ResourceType, name: string): HttpError {
  return new HttpError(404, 'NotFound', `${qualified(r)} "${name}" not found`, { name, group: r.group || undefined, kind: r.plural });
}

function status(code: number, reason: string, message: string, details?: any): any {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details, code };
}

function sendJson(res: http.ServerResponse, code: number, body: any): void {
  const data = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) });
  res.end(data);
}
