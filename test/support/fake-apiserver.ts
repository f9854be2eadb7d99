/**
 * A stand-in for the Cozystack management cluster's API, for end-to-end tests of
 * `cdk8s-cozystack apply` with the real kubectl. THIS IS NOT COZYSTACK and not a
 * kube-apiserver: it is an in-memory HTTP server on 127.0.0.1 that serves just
 * enough of the Kubernetes API for kubectl 1.33's `apply` (client-side and
 * server-side), `get`, `wait` and `delete`:
 *
 * - legacy discovery (`/api`, `/api/v1`, `/apis`, `/apis/apps.cozystack.io/v1alpha1`)
 *   and a minimal OpenAPI v3 index (kubectl asks it whether the server validates fields);
 * - core v1 namespaces (read only; created by Tenants);
 * - CRUD, list, watch and patch (JSON merge patch; server-side apply approximated by a
 *   three-way merge against what the same field manager applied before) for the
 *   `apps.cozystack.io/v1alpha1` kinds Tenant, Kubernetes, Postgres, Etcd, Ingress, Monitoring;
 * - `dryRun=All` on writes (nothing is stored);
 * - Cozystack's tenant behaviour as SPEC.md §3 describes it: a created Tenant gets its
 *   namespace (`tenant-<name>` under tenant-root, else `<parent ns>-<name>`) and, after a
 *   configurable delay, `status.conditions` Ready=True and `status.namespace` (or, for tenants
 *   listed in `neverReady`, no namespace and Ready=False with reason InstallFailed);
 *   deleting a Tenant deletes its namespace and everything in it (its whole subtree);
 * - objects in a namespace that does not exist are refused with 404, like a real server.
 *
 * It does not validate specs, run charts, enforce RBAC or admission policies, or
 * implement a real server-side-apply field-ownership model.
 */
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';
import * as YAML from 'yaml';

const GROUP = 'apps.cozystack.io';
const VERSION = 'v1alpha1';
const GROUP_VERSION = `${GROUP}/${VERSION}`;
const ROOT_NAMESPACE = 'tenant-root';

/** The kinds served, by plural. */
const RESOURCES: Record<string, { kind: string; singular: string }> = {
  tenants: { kind: 'Tenant', singular: 'tenant' },
  kuberneteses: { kind: 'Kubernetes', singular: 'kubernetes' },
  postgreses: { kind: 'Postgres', singular: 'postgres' },
  etcds: { kind: 'Etcd', singular: 'etcd' },
  ingresses: { kind: 'Ingress', singular: 'ingress' },
  monitorings: { kind: 'Monitoring', singular: 'monitoring' },
};

/** How a tenant becomes Ready: after `delayMs`, or never. */
export interface FakeApiServerOptions {
  /** Delay before a created Tenant is Ready (ms). @default 0 */
  readonly readyDelayMs?: number;
  /** Tenants (by `namespace/name`) that never become Ready. @default none */
  readonly neverReady?: string[];
  /** Start with `tenant-root` and its unlabelled `Tenant root`, as a Cozystack install has. @default true */
  readonly withRoot?: boolean;
}

/** One write the server saw (dry runs included, flagged). */
export interface WriteRecord {
  readonly seq: number;
  readonly verb: 'create' | 'patch' | 'apply' | 'delete';
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly dryRun: boolean;
  readonly status: number;
}

interface WatchEvent {
  readonly rv: number;
  readonly plural: string;
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly object: any;
}

interface Watcher {
  readonly plural: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly res: http.ServerResponse;
}

class HttpError extends Error {
  constructor(public readonly code: number, public readonly reason: string, message: string, public readonly details?: any) {
    super(message);
  }
}

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

  /** Every write, in the order the server saw them. */
  public readonly writes: WriteRecord[] = [];
  /** Every request as `METHOD path?query`. */
  public readonly requests: string[] = [];
  /** Delay before a created Tenant is Ready (ms); may be changed between tests. */
  public readyDelayMs: number;
  /** Tenants (`namespace/name`) that never become Ready; may be changed between tests. */
  public readonly neverReady: Set<string>;

  private readonly server: http.Server;
  private readonly objects = new Map<string, Map<string, any>>(); // plural -> "ns/name" -> object
  private readonly namespaces = new Map<string, any>();
  private readonly lastApplied = new Map<string, any>(); // SSA: "plural/ns/name/manager" -> applied config
  private readonly history: WatchEvent[] = [];
  private readonly watchers = new Set<Watcher>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private rv = 1;
  private seq = 0;

  private constructor(options: FakeApiServerOptions) {
    this.readyDelayMs = options.readyDelayMs ?? 0;
    this.neverReady = new Set(options.neverReady ?? []);
    for (const plural of Object.keys(RESOURCES)) this.objects.set(plural, new Map());
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 1000;
    if (options.withRoot ?? true) {
      this.createNamespace(ROOT_NAMESPACE);
      this.seed({
        apiVersion: GROUP_VERSION,
        kind: 'Tenant',
        metadata: { name: 'root', namespace: ROOT_NAMESPACE },
        spec: { host: 'example.org' },
        status: { namespace: ROOT_NAMESPACE, conditions: [readyCondition()] },
      });
    }
  }

  /** `http://127.0.0.1:<port>`. */
  public get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Writes a kubeconfig for this server (context `fake`) into `dir` and returns its path. */
  public writeKubeconfig(dir: string): string {
    const file = path.join(dir, 'kubeconfig');
    fs.writeFileSync(file, YAML.stringify({
      'apiVersion': 'v1',
      'kind': 'Config',
      'clusters': [{ name: 'fake', cluster: { server: this.url } }],
      'users': [{ name: 'fake', user: { token: 'fake' } }],
      'contexts': [{ name: 'fake', context: { cluster: 'fake', user: 'fake' } }],
      'current-context': 'fake',
    }));
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
    const plural = pluralOf(obj.kind);
    const o = clone(obj);
    o.metadata.uid ??= randomUUID();
    o.metadata.creationTimestamp ??= new Date().toISOString();
    o.metadata.generation ??= 1;
    o.metadata.resourceVersion = String(++this.rv);
    this.objects.get(plural)!.set(`${o.metadata.namespace}/${o.metadata.name}`, o);
  }

  /** Creates a namespace directly. */
  public createNamespace(name: string): void {
    if (this.namespaces.has(name)) return;
    this.namespaces.set(name, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, uid: randomUUID(), resourceVersion: String(++this.rv), creationTimestamp: new Date().toISOString() },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  }

  /** An object as stored, or undefined. */
  public get(kind: string, namespace: string, name: string): any {
    return clone(this.objects.get(pluralOf(kind))!.get(`${namespace}/${name}`));
  }

  /** Every stored object of the served kinds as `Kind/namespace/name`, sorted. */
  public keys(): string[] {
    const out: string[] = [];
    for (const [plural, m] of this.objects) for (const k of m.keys()) out.push(`${RESOURCES[plural].kind}/${k}`);
    return out.sort();
  }

  /** The namespaces that exist, sorted. */
  public namespaceNames(): string[] {
    return [...this.namespaces.keys()].sort();
  }

  /** Sets a tenant Ready now (for tests that made it wait). */
  public markReady(namespace: string, name: string): void {
    this.setReady('tenants', namespace, name);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      this.requests.push(`${req.method} ${url.pathname}${url.search}`);
      try {
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

    let m = /^\/api\/v1\/namespaces(?:\/([^/]+))?$/.exec(p);
    if (m && method === 'GET') {
      if (m[1]) {
        const ns = this.namespaces.get(m[1]);
        if (!ns) throw notFound('namespaces', m[1]);
        return sendJson(res, 200, ns);
      }
      return sendJson(res, 200, {
        apiVersion: 'v1',
        kind: 'NamespaceList',
        metadata: { resourceVersion: String(this.rv) },
        items: [...this.namespaces.values()],
      });
    }

    m = new RegExp(`^/apis/${GROUP.replace(/\./g, '\\.')}/${VERSION}(?:/namespaces/([^/]+))?/([a-z]+)(?:/([^/]+))?(?:/(status))?$`).exec(p);
    if (m && RESOURCES[m[2]]) {
      const [, namespace, plural, name] = m;
      const dryRun = q.get('dryRun') === 'All';
      if (!name) {
        if (method === 'GET') {
          if (q.get('watch') === 'true' || q.get('watch') === '1') return this.watch(res, plural, namespace, q);
          return sendJson(res, 200, this.list(plural, namespace, q));
        }
        if (method === 'POST' && namespace) return this.create(res, plural, namespace, parseBody(body), dryRun);
      } else if (namespace) {
        if (method === 'GET') {
          const o = this.objects.get(plural)!.get(`${namespace}/${name}`);
          if (!o) throw notFound(`${plural}.${GROUP}`, name);
          return sendJson(res, 200, o);
        }
        if (method === 'PATCH') return this.patch(req, res, plural, namespace, name, body, q, dryRun);
        if (method === 'PUT') return this.put(res, plural, namespace, name, parseBody(body), dryRun);
        if (method === 'DELETE') {
          const opts = body ? parseBody(body) : {};
          const dry = dryRun || (Array.isArray(opts.dryRun) && opts.dryRun.includes('All'));
          return this.remove(res, plural, namespace, name, dry);
        }
      }
      throw new HttpError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    }
    throw new HttpError(404, 'NotFound', 'the server could not find the requested resource');
  }

  /** Legacy discovery and a minimal OpenAPI v3 index; undefined for other paths. */
  private discovery(p: string): any {
    const resourceList = (gv: string, resources: any[]) => ({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources });
    switch (p) {
      case '/version':
        return { major: '1', minor: '33', gitVersion: 'v1.33.0-fake', platform: 'linux/amd64' };
      case '/api':
        return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: this.url.slice(7) }] };
      case '/api/v1':
        return resourceList('v1', [{ name: 'namespaces', singularName: 'namespace', namespaced: false, kind: 'Namespace', verbs: ['get', 'list', 'watch'], shortNames: ['ns'] }]);
      case '/apis':
        return { kind: 'APIGroupList', apiVersion: 'v1', groups: [groupInfo()] };
      case `/apis/${GROUP}`:
        return { kind: 'APIGroup', apiVersion: 'v1', ...groupInfo() };
      case `/apis/${GROUP_VERSION}`:
        return resourceList(GROUP_VERSION, Object.entries(RESOURCES).map(([plural, r]) => ({
          name: plural,
          singularName: r.singular,
          namespaced: true,
          kind: r.kind,
          verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
          categories: ['cozystack'],
        })));
      case '/openapi/v3':
        return { paths: { [`apis/${GROUP_VERSION}`]: { serverRelativeURL: `/openapi/v3/apis/${GROUP_VERSION}?hash=fake` } } };
      case `/openapi/v3/apis/${GROUP_VERSION}`:
        return openApiGroupDocument();
      default:
        return undefined;
    }
  }

  private list(plural: string, namespace: string | undefined, q: URLSearchParams): any {
    const items = [...this.objects.get(plural)!.values()].filter(o => this.matches(o, namespace, q));
    return {
      apiVersion: GROUP_VERSION,
      kind: `${RESOURCES[plural].kind}List`,
      metadata: { resourceVersion: String(this.rv) },
      items,
    };
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

  private watch(res: http.ServerResponse, plural: string, namespace: string | undefined, q: URLSearchParams): void {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    const watcher: Watcher = { plural, namespace, name: fieldSelectorName(q.get('fieldSelector')), res };
    const since = Number(q.get('resourceVersion') ?? '0');
    if (since > 0) {
      for (const e of this.history) if (e.rv > since && e.plural === plural) this.send(watcher, e);
    } else {
      for (const o of this.objects.get(plural)!.values()) {
        this.send(watcher, { rv: this.rv, plural, type: 'ADDED', object: o });
      }
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
    if (e.plural !== w.plural) return;
    if (w.namespace && e.object.metadata.namespace !== w.namespace) return;
    if (w.name && e.object.metadata.name !== w.name) return;
    w.res.write(JSON.stringify({ type: e.type, object: e.object }) + '\n');
  }

  private emit(plural: string, type: WatchEvent['type'], object: any): void {
    const e: WatchEvent = { rv: Number(object.metadata.resourceVersion), plural, type, object: clone(object) };
    this.history.push(e);
    for (const w of this.watchers) this.send(w, e);
  }

  private record(verb: WriteRecord['verb'], plural: string, namespace: string, name: string, dryRun: boolean, code: number): void {
    this.writes.push({ seq: ++this.seq, verb, kind: RESOURCES[plural].kind, namespace, name, dryRun, status: code });
  }

  private requireNamespace(namespace: string): void {
    if (!this.namespaces.has(namespace)) throw notFound('namespaces', namespace);
  }

  private create(res: http.ServerResponse, plural: string, namespace: string, obj: any, dryRun: boolean): void {
    const name = obj?.metadata?.name;
    try {
      this.checkBody(plural, namespace, obj);
      this.requireNamespace(namespace);
      if (this.objects.get(plural)!.has(`${namespace}/${name}`)) {
        throw new HttpError(409, 'AlreadyExists', `${plural}.${GROUP} "${name}" already exists`, { name, group: GROUP, kind: plural });
      }
    } catch (e) {
      if (e instanceof HttpError) this.record('create', plural, namespace, String(name), dryRun, e.code);
      throw e;
    }
    const stored = this.store(plural, obj, undefined, dryRun);
    this.record('create', plural, namespace, name, dryRun, 201);
    sendJson(res, 201, stored);
  }

  private put(res: http.ServerResponse, plural: string, namespace: string, name: string, obj: any, dryRun: boolean): void {
    const existing = this.objects.get(plural)!.get(`${namespace}/${name}`);
    if (!existing) throw notFound(`${plural}.${GROUP}`, name);
    this.checkBody(plural, namespace, obj);
    const stored = this.store(plural, { ...obj, status: existing.status }, existing, dryRun);
    this.record('patch', plural, namespace, name, dryRun, 200);
    sendJson(res, 200, stored);
  }

  private patch(req: http.IncomingMessage, res: http.ServerResponse, plural: string, namespace: string, name: string,
    body: string, q: URLSearchParams, dryRun: boolean): void {
    const type = String(req.headers['content-type'] ?? '').split(';')[0].trim();
    const key = `${namespace}/${name}`;
    const existing = this.objects.get(plural)!.get(key);
    if (type === 'application/apply-patch+yaml') {
      const applied = YAML.parse(body);
      this.checkBody(plural, namespace, applied);
      const manager = q.get('fieldManager') ?? 'unknown';
      const appliedKey = `${plural}/${key}/${manager}`;
      if (!existing) {
        try {
          this.requireNamespace(namespace);
        } catch (e) {
          this.record('apply', plural, namespace, name, dryRun, 404);
          throw e;
        }
        const stored = this.store(plural, applied, undefined, dryRun);
        if (!dryRun) this.lastApplied.set(appliedKey, clone(applied));
        this.record('apply', plural, namespace, name, dryRun, 201);
        return sendJson(res, 201, stored);
      }
      const before = this.lastApplied.get(appliedKey) ?? {};
      const next = mergePatch(existing, diffPatch(before, applied));
      const stored = this.store(plural, next, existing, dryRun);
      if (!dryRun) this.lastApplied.set(appliedKey, clone(applied));
      this.record('apply', plural, namespace, name, dryRun, 200);
      return sendJson(res, 200, stored);
    }
    if (!existing) throw notFound(`${plural}.${GROUP}`, name);
    if (type !== 'application/merge-patch+json') {
      // Like a real server for custom resources: no strategic merge patch.
      throw new HttpError(415, 'UnsupportedMediaType', 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml');
    }
    const next = mergePatch(existing, parseBody(body));
    const stored = this.store(plural, next, existing, dryRun);
    this.record('patch', plural, namespace, name, dryRun, 200);
    sendJson(res, 200, stored);
  }

  private remove(res: http.ServerResponse, plural: string, namespace: string, name: string, dryRun: boolean): void {
    const existing = this.objects.get(plural)!.get(`${namespace}/${name}`);
    if (!existing) {
      this.record('delete', plural, namespace, name, dryRun, 404);
      throw notFound(`${plural}.${GROUP}`, name);
    }
    this.record('delete', plural, namespace, name, dryRun, 200);
    if (!dryRun) this.deleteObject(plural, namespace, name);
    sendJson(res, 200, existing);
  }

  /** Deletes an object; a Tenant takes its namespace and everything in it along. */
  private deleteObject(plural: string, namespace: string, name: string): void {
    const m = this.objects.get(plural)!;
    const o = m.get(`${namespace}/${name}`);
    if (!o) return;
    m.delete(`${namespace}/${name}`);
    o.metadata.resourceVersion = String(++this.rv);
    this.emit(plural, 'DELETED', o);
    if (plural === 'tenants') {
      const own = tenantNamespaceOf(namespace, name);
      if (own === namespace) return; // the root's namespace is the platform's
      for (const [p, objs] of this.objects) {
        for (const child of [...objs.values()]) {
          if (child.metadata.namespace === own) this.deleteObject(p, own, child.metadata.name);
        }
      }
      this.namespaces.delete(own);
    }
  }

  private checkBody(plural: string, namespace: string, obj: any): void {
    if (!isObject(obj) || !isObject(obj.metadata) || !obj.metadata.name) {
      throw new HttpError(400, 'BadRequest', 'the object has no metadata.name');
    }
    if (obj.kind !== RESOURCES[plural].kind || obj.apiVersion !== GROUP_VERSION) {
      throw new HttpError(400, 'BadRequest', `the object is a ${obj.apiVersion} ${obj.kind}, not a ${GROUP_VERSION} ${RESOURCES[plural].kind}`);
    }
    if (obj.metadata.namespace && obj.metadata.namespace !== namespace) {
      throw new HttpError(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
    }
  }

  /** Stores `obj` (unless dry run) with server-set metadata; returns what was (or would be) stored. */
  private store(plural: string, obj: any, existing: any, dryRun: boolean): any {
    const o = clone(obj);
    const ns = o.metadata.namespace;
    o.metadata.namespace = ns;
    o.metadata.uid = existing?.metadata.uid ?? randomUUID();
    o.metadata.creationTimestamp = existing?.metadata.creationTimestamp ?? new Date().toISOString();
    const specChanged = !existing || JSON.stringify(existing.spec) !== JSON.stringify(o.spec);
    o.metadata.generation = (existing?.metadata.generation ?? 0) + (specChanged ? 1 : 0);
    delete o.metadata.managedFields;
    if (existing) o.status = existing.status;
    else delete o.status;
    if (dryRun) {
      o.metadata.resourceVersion = existing?.metadata.resourceVersion ?? '';
      return o;
    }
    o.metadata.resourceVersion = String(++this.rv);
    this.objects.get(plural)!.set(`${ns}/${o.metadata.name}`, o);
    this.emit(plural, existing ? 'MODIFIED' : 'ADDED', o);
    if (plural === 'tenants' && !existing) this.reconcileTenant(ns, o.metadata.name);
    return o;
  }

  /** What Cozystack's tenant chart does, reduced to what apply waits for. */
  private reconcileTenant(namespace: string, name: string): void {
    const own = tenantNamespaceOf(namespace, name);
    if (this.neverReady.has(`${namespace}/${name}`)) {
      // What a failing tenant chart looks like: Ready=False with the HelmRelease's reason.
      this.setCondition('tenants', namespace, name, {
        type: 'Ready',
        status: 'False',
        reason: 'InstallFailed',
        message: `Helm install failed for release ${own}: context deadline exceeded (fake)`,
        lastTransitionTime: new Date().toISOString(),
      });
      return;
    }
    const done = () => {
      this.createNamespace(own);
      this.setReady('tenants', namespace, name);
    };
    if (this.readyDelayMs <= 0) {
      done();
      return;
    }
    const t = setTimeout(() => {
      this.timers.delete(t);
      done();
    }, this.readyDelayMs);
    this.timers.add(t);
  }

  private setReady(plural: string, namespace: string, name: string): void {
    this.setCondition(plural, namespace, name, readyCondition());
  }

  private setCondition(plural: string, namespace: string, name: string, condition: any): void {
    const o = this.objects.get(plural)!.get(`${namespace}/${name}`);
    if (!o) return;
    o.status = { ...(o.status ?? {}), namespace: tenantNamespaceOf(namespace, name), conditions: [condition] };
    o.metadata.resourceVersion = String(++this.rv);
    this.emit(plural, 'MODIFIED', o);
  }
}

function readyCondition(): any {
  return { type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: 'Release reconciliation succeeded', lastTransitionTime: new Date().toISOString() };
}

/**
 * The group's OpenAPI v3 document, reduced to what kubectl reads: each kind's PATCH
 * operation (tagged with its group-version-kind) accepts the `fieldValidation` query
 * parameter, so kubectl leaves validation to the server instead of downloading schemas;
 * and it accepts no strategic merge patch, so client-side apply sends JSON merge patches,
 * as it does for any custom resource.
 */
function openApiGroupDocument(): any {
  const paths: Record<string, any> = {};
  for (const [plural, r] of Object.entries(RESOURCES)) {
    paths[`/apis/${GROUP_VERSION}/namespaces/{namespace}/${plural}/{name}`] = {
      patch: {
        'x-kubernetes-group-version-kind': { group: GROUP, version: VERSION, kind: r.kind },
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
  return { openapi: '3.0.0', info: { title: 'fake Cozystack API (not Cozystack)', version: VERSION }, paths, components: { schemas: {} } };
}

function groupInfo(): any {
  const v = { groupVersion: GROUP_VERSION, version: VERSION };
  return { name: GROUP, versions: [v], preferredVersion: v };
}

function pluralOf(kind: string): string {
  const found = Object.entries(RESOURCES).find(([, r]) => r.kind === kind);
  if (!found) throw new Error(`The fake API server does not serve kind ${kind}`);
  return found[0];
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

function notFound(resource: string, name: string): HttpError {
  const [plural, ...group] = resource.split('.');
  return new HttpError(404, 'NotFound', `${resource} "${name}" not found`, { name, group: group.join('.') || undefined, kind: plural });
}

function status(code: number, reason: string, message: string, details?: any): any {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details, code };
}

function sendJson(res: http.ServerResponse, code: number, body: any): void {
  const data = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) });
  res.end(data);
}
