/**
 * Random Cozystack platforms for property tests: a plain data model, a fast-check
 * arbitrary of valid models, a builder that declares a model with the library in a
 * given order, and a reference model of SPEC.md §3 written from the SPEC's text
 * (it does not call src/inheritance.ts) to compare the library's topology against.
 */
import { App } from 'cdk8s';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import {
  EtcdService, IngressService, KubernetesCluster, MonitoringService, Postgres, RootTenant, Tenant,
} from '../../src';

export type Service = 'etcd' | 'ingress' | 'monitoring' | 'seaweedfs';
/** The services SPEC §3 lists, in the tenant chart's order. */
export const SERVICES: readonly Service[] = ['etcd', 'ingress', 'monitoring', 'seaweedfs'];
/** The services a construct (EtcdService, ...) switches on. */
export type ModuleService = 'etcd' | 'ingress' | 'monitoring';
const MODULE_SERVICES: readonly ModuleService[] = ['etcd', 'ingress', 'monitoring'];

export interface ModuleModel {
  readonly service: ModuleService;
  /** Tuning values (emits the fixed-name module object), or none (only the flag). */
  readonly values?: Record<string, unknown>;
}

export interface AppModel {
  readonly kind: 'Kubernetes' | 'Postgres';
  readonly name: string;
  /** Declared inside a helper construct `Apps` of the tenant rather than on the tenant itself. */
  readonly inGroup: boolean;
  readonly props: Record<string, any>;
}

export interface TenantModel {
  /** Index in PlatformModel.tenants; -1 for the root. */
  readonly index: number;
  readonly name: string;
  /** Parent index; -1 is the root. */
  readonly parent: number;
  /** Declared inside a helper construct `Teams` of the parent. */
  readonly inGroup: boolean;
  readonly host?: string;
  readonly seaweedfs: boolean;
  readonly modules: ModuleModel[];
  readonly resourceQuotas?: Record<string, string>;
  readonly apps: AppModel[];
}

export interface PlatformModel {
  readonly rootHost: string;
  readonly rootSeaweedfs: boolean;
  readonly rootModules: ModuleModel[];
  readonly rootApps: AppModel[];
  /** Tenants below the root, parents before children. */
  readonly tenants: TenantModel[];
  /** Seed of the second, shuffled declaration order. */
  readonly orderSeed: number;
}

export const MAX_DEPTH = 6;
export const ROOT_ID = 'platform';

// ---------------------------------------------------------------------------
// Reference model (SPEC.md §3 and §4, from the text)
// ---------------------------------------------------------------------------

export interface RefTenant {
  name: string;
  path: string;
  namespace: string;
  parentNamespace: string | null;
  depth: number;
  host: string;
  modules: Service[];
  services: Record<Service, string>;
}

export interface RefApp {
  kind: string;
  name: string;
  path: string;
  namespace: string;
  host: string;
  services: Partial<Record<'etcd' | 'ingress' | 'monitoring', string>>;
}

export interface RefTopology {
  tenants: RefTenant[];
  apps: RefApp[];
  /** Whether the tenant (by namespace) runs each service. */
  runs: Map<string, Set<Service>>;
  /** Namespaces of each tenant's ancestors (root first), by namespace. */
  ancestors: Map<string, string[]>;
}

function runningServices(seaweedfs: boolean, modules: ModuleModel[]): Set<Service> {
  const s = new Set<Service>(modules.map(m => m.service));
  if (seaweedfs) s.add('seaweedfs');
  return s;
}

/**
 * SPEC §3: namespace `tenant-<name>` under tenant-root, `<parent ns>-<name>` below;
 * host = own host if set, else `<name>.<parent host>`; provider(S, t) = t if t runs S,
 * else provider(S, parent); provider(S, root) = tenant-root (running S or not).
 * SPEC §4: app hosts `kubernetes-<name>.<tenant host>` (or the cluster's own host),
 * `postgres-<name>.<tenant host>`; apps use their tenant's providers.
 */
export function referenceTopology(m: PlatformModel): RefTopology {
  const ROOT_NS = 'tenant-root';
  const rootRuns = runningServices(m.rootSeaweedfs, m.rootModules);
  const rootServices = { etcd: ROOT_NS, ingress: ROOT_NS, monitoring: ROOT_NS, seaweedfs: ROOT_NS };
  const root: RefTenant = {
    name: 'root',
    path: ROOT_ID,
    namespace: ROOT_NS,
    parentNamespace: null,
    depth: 0,
    host: m.rootHost,
    modules: SERVICES.filter(s => rootRuns.has(s)),
    services: rootServices,
  };
  const tenants: RefTenant[] = [root];
  const runs = new Map<string, Set<Service>>([[ROOT_NS, rootRuns]]);
  const ancestors = new Map<string, string[]>([[ROOT_NS, []]]);
  const byIndex = new Map<number, RefTenant>([[-1, root]]);
  const apps: RefApp[] = [];

  const addApps = (t: RefTenant, list: AppModel[]) => {
    for (const a of list) {
      const host = a.kind === 'Kubernetes'
        ? (a.props.host ?? `kubernetes-${a.name}.${t.host}`)
        : `postgres-${a.name}.${t.host}`;
      apps.push({
        kind: a.kind,
        name: a.name,
        path: `${t.path}${a.inGroup ? '/Apps' : ''}/${a.name}`,
        namespace: t.namespace,
        host,
        // Postgres keeps its data on its own volumes (no etcd) and is reached without an ingress
        // (a LoadBalancer Service); the monitoring provider scrapes its metrics.
        services: a.kind === 'Kubernetes'
          ? { etcd: t.services.etcd, ingress: t.services.ingress, monitoring: t.services.monitoring }
          : { monitoring: t.services.monitoring },
      });
    }
  };
  addApps(root, m.rootApps);

  for (const tm of m.tenants) {
    const parent = byIndex.get(tm.parent)!;
    const namespace = parent.namespace === ROOT_NS ? `tenant-${tm.name}` : `${parent.namespace}-${tm.name}`;
    const host = tm.host ? tm.host : `${tm.name}.${parent.host}`;
    const own = runningServices(tm.seaweedfs, tm.modules);
    const services = {} as Record<Service, string>;
    for (const s of SERVICES) services[s] = own.has(s) ? namespace : parent.services[s];
    const t: RefTenant = {
      name: tm.name,
      path: `${parent.path}${tm.inGroup ? '/Teams' : ''}/${tm.name}`,
      namespace,
      parentNamespace: parent.namespace,
      depth: parent.depth + 1,
      host,
      modules: SERVICES.filter(s => own.has(s)),
      services,
    };
    tenants.push(t);
    byIndex.set(tm.index, t);
    runs.set(namespace, own);
    ancestors.set(namespace, [...ancestors.get(parent.namespace)!, parent.namespace]);
    addApps(t, tm.apps);
  }
  return { tenants, apps, runs, ancestors };
}

// ---------------------------------------------------------------------------
// Arbitrary
// ---------------------------------------------------------------------------

const QUOTA_KEYS = ['cpu', 'memory', 'storage', 'services.loadbalancers'] as const;
const QUOTA_UNIT: Record<string, string> = { 'cpu': '', 'memory': 'Gi', 'storage': 'Gi', 'services.loadbalancers': '' };
const K8S_VERSIONS = ['v1.35', 'v1.34', 'v1.33', 'v1.32', 'v1.31'];
const PG_VERSIONS = ['v18', 'v17', 'v16', 'v15', 'v14', 'v13'];
const PRESETS = ['t1.nano', 't1.micro', 'c1.small', 'u1.medium', 'm1.large', 's1.xlarge', 'u1.2xlarge', 'micro'];
const OVERRIDE_DOMAINS = ['acme.net', 'corp.test'];

const word = (max: number) => fc.stringMatching(new RegExp(`^[a-z][a-z0-9]{0,${max - 1}}$`));

const moduleArb: fc.Arbitrary<ModuleModel[]> = fc.subarray([...MODULE_SERVICES]).chain(services =>
  fc.tuple(...services.map(service => fc.option(tuningArb(service), { freq: 2 })))
    .map(values => services.map((service, i) => (values[i] ? { service, values: values[i]! } : { service }))));

function tuningArb(service: ModuleService): fc.Arbitrary<Record<string, unknown>> {
  switch (service) {
    case 'etcd':
      return fc.record({ replicas: fc.integer({ min: 1, max: 5 }), size: fc.integer({ min: 1, max: 64 }).map(n => `${n}Gi`) },
        { requiredKeys: ['replicas'] });
    case 'ingress':
      return fc.record({ replicas: fc.integer({ min: 1, max: 4 }), resourcesPreset: fc.constantFrom(...PRESETS) },
        { requiredKeys: ['replicas'] });
    case 'monitoring':
      return fc.record({
        metricsStorages: fc.constant([{ name: 'shortterm', retentionPeriod: '3d', deduplicationInterval: '15s', storage: '10Gi' }]),
      });
  }
}

interface RawApp { kind: 'Kubernetes' | 'Postgres'; word: string; inGroup: boolean; props: Record<string, any> }

const nodeGroupArb = fc.record({
  minReplicas: fc.integer({ min: 0, max: 3 }),
  extra: fc.integer({ min: 0, max: 5 }),
  instanceType: fc.constantFrom('u1.medium', 'u1.large', 'c1.xlarge'),
  diskSize: fc.integer({ min: 10, max: 200 }).map(n => `${n}Gi`),
  roles: fc.option(fc.constant(['ingress-nginx']), { nil: undefined }),
}).map(({ extra, roles, ...g }) => ({ ...g, maxReplicas: g.minReplicas + extra, ...(roles ? { roles } : {}) }));

const kubernetesArb: fc.Arbitrary<RawApp> = fc.record({
  word: word(6),
  inGroup: fc.boolean(),
  nodeGroups: fc.option(fc.dictionary(fc.constantFrom('md0', 'md1', 'gpu'), nodeGroupArb, { maxKeys: 2, minKeys: 1 }), { nil: undefined }),
  version: fc.option(fc.constantFrom(...K8S_VERSIONS), { nil: undefined }),
  storageClass: fc.option(fc.constantFrom('replicated', 'local'), { nil: undefined }),
}).map(r => ({
  kind: 'Kubernetes' as const,
  word: r.word,
  inGroup: r.inGroup,
  props: Object.fromEntries(Object.entries({ nodeGroups: r.nodeGroups, version: r.version, storageClass: r.storageClass })
    .filter(([, v]) => v !== undefined)),
}));

const userWord = fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/).filter(u => u !== 'postgres');

const postgresArb: fc.Arbitrary<RawApp> = fc.record({
  word: word(6),
  inGroup: fc.boolean(),
  users: fc.uniqueArray(userWord, { maxLength: 3 }),
  dbs: fc.uniqueArray(word(6), { maxLength: 2 }),
  replicas: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  version: fc.option(fc.constantFrom(...PG_VERSIONS), { nil: undefined }),
  resourcesPreset: fc.option(fc.constantFrom(...PRESETS), { nil: undefined }),
  maxConnections: fc.option(fc.integer({ min: 10, max: 500 }).map(String), { nil: undefined }),
}).map(r => {
  const props: Record<string, any> = {};
  if (r.users.length) props.users = Object.fromEntries(r.users.map((u, i) => [u, i === 1 ? { replication: true } : {}]));
  if (r.dbs.length) {
    props.databases = Object.fromEntries(r.dbs.map(d => [d, r.users.length ? { roles: { admin: [r.users[0]], readonly: r.users.slice(1) } } : {}]));
  }
  if (r.replicas !== undefined) props.replicas = r.replicas;
  if (r.version !== undefined) props.version = r.version;
  if (r.resourcesPreset !== undefined) props.resourcesPreset = r.resourcesPreset;
  if (r.maxConnections !== undefined) props.postgresql = { parameters: { max_connections: r.maxConnections } };
  return { kind: 'Postgres' as const, word: r.word, inGroup: r.inGroup, props };
});

const appsArb = fc.tuple(fc.array(kubernetesArb, { maxLength: 2, size: 'xsmall' }), fc.array(postgresArb, { maxLength: 2, size: 'xsmall' }))
  .map(([k, p]) => [...k, ...p]);

interface RawTenant {
  word: string;
  /** 'chain': child of the previous tenant (makes deep trees); 'pick': child of a random earlier one. */
  how: 'chain' | 'pick' | 'root';
  pick: number;
  inGroup: boolean;
  override: boolean;
  seaweedfs: boolean;
  modules: ModuleModel[];
  quotaKeys: string[];
  quotaBase: number;
  apps: RawApp[];
  k8sHost: boolean;
}

const rawTenantArb: fc.Arbitrary<RawTenant> = fc.record({
  word: word(4),
  how: fc.constantFrom<'chain' | 'pick' | 'root'>('chain', 'chain', 'pick', 'root'),
  pick: fc.nat(),
  inGroup: fc.integer({ min: 0, max: 3 }).map(n => n === 0),
  override: fc.integer({ min: 0, max: 6 }).map(n => n === 0),
  seaweedfs: fc.integer({ min: 0, max: 4 }).map(n => n === 0),
  modules: moduleArb,
  quotaKeys: fc.subarray([...QUOTA_KEYS]).chain(keys => fc.boolean().map(on => (on ? keys : []))),
  quotaBase: fc.integer({ min: 4, max: 4096 }),
  apps: appsArb,
  k8sHost: fc.integer({ min: 0, max: 5 }).map(n => n === 0),
});

/** Random valid platforms: depth up to {@link MAX_DEPTH}, at most `maxTenants` tenants below the root. */
export function platformArb(maxTenants = 11): fc.Arbitrary<PlatformModel> {
  return fc.record({
    rootHost: fc.constantFrom('example.org', 'a.io', 'cloud.example.net'),
    rootSeaweedfs: fc.boolean(),
    rootModules: moduleArb,
    rootApps: appsArb,
    rawTenants: fc.array(rawTenantArb, { maxLength: maxTenants, size: 'medium' }),
    orderSeed: fc.integer(),
  }).map(r => finish(r));
}

function uniqueName(base: string, taken: Set<string>, max: number): string {
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base.slice(0, max - String(i).length)}${i}`;
  taken.add(name);
  return name;
}

/** Turns raw draws into a valid platform: unique names, a tree of depth ≤ 6, quotas within budgets, clusters only where etcd runs. */
function finish(r: {
  rootHost: string; rootSeaweedfs: boolean; rootModules: ModuleModel[]; rootApps: RawApp[]; rawTenants: RawTenant[]; orderSeed: number;
}): PlatformModel {
  const depth = new Map<number, number>([[-1, 0]]);
  // Construct ids already taken in each tenant's scope (child tenants and apps share it).
  const taken = new Map<number, Set<string>>([[-1, new Set()]]);
  const etcdRuns = new Map<number, boolean>([[-1, r.rootModules.some(m => m.service === 'etcd')]]);
  const parentOf = new Map<number, number>();
  const quotas = new Map<number, Record<string, number>>([[-1, {}]]);
  const remaining = new Map<number, Record<string, number>>([[-1, {}]]);

  const hasEtcdProvider = (i: number): boolean => {
    // The etcd provider of i (SPEC §3) runs etcd.
    for (let t = i; ; t = parentOf.get(t)!) {
      if (etcdRuns.get(t)) return true;
      if (t === -1) return false;
    }
  };

  const makeApps = (owner: number, raw: RawApp[], k8sHost: boolean): AppModel[] => {
    const ids = taken.get(owner)!;
    const out: AppModel[] = [];
    raw.forEach((a, j) => {
      if (a.kind === 'Kubernetes' && !hasEtcdProvider(owner)) return;
      // A dash keeps app names apart from tenant names (which have none).
      const name = uniqueName(`${a.kind === 'Kubernetes' ? 'k' : 'pg'}-${a.word}`, ids, 20);
      const props = { ...a.props };
      if (a.kind === 'Kubernetes' && k8sHost && j === 0) props.host = `api-${owner + 1}-${name}.clusters.test`;
      out.push({ kind: a.kind, name, inGroup: a.inGroup, props });
    });
    return out;
  };

  const tenants: TenantModel[] = [];
  r.rawTenants.forEach((raw, i) => {
    let parent = raw.how === 'root' || i === 0 ? -1 : raw.how === 'chain' ? i - 1 : (raw.pick % (i + 1)) - 1;
    while (depth.get(parent)! >= MAX_DEPTH) parent = parentOf.get(parent)!;
    parentOf.set(i, parent);
    depth.set(i, depth.get(parent)! + 1);
    taken.set(i, new Set());
    let base = raw.word;
    if (parent === -1 && base === 'root') base = 'rootx';
    const name = uniqueName(base, taken.get(parent)!, 6);
    etcdRuns.set(i, raw.modules.some(m => m.service === 'etcd'));

    // Hierarchical quotas (SPEC §3): a child's quota is carved out of what the nearest
    // ancestor declaring that key has left; halving keeps every subtree within budget.
    const own: Record<string, number> = {};
    for (const key of raw.quotaKeys) {
      let a = parent;
      while (a !== -1 && quotas.get(a)![key] === undefined) a = parentOf.get(a)!;
      if (a === -1) {
        own[key] = raw.quotaBase;
      } else {
        const left = remaining.get(a)![key];
        if (left < 2) continue;
        own[key] = Math.floor(left / 2);
        remaining.get(a)![key] = left - own[key];
      }
    }
    quotas.set(i, own);
    remaining.set(i, { ...own });
    const resourceQuotas = Object.keys(own).length
      ? Object.fromEntries(Object.entries(own).map(([k, v]) => [k, `${v}${QUOTA_UNIT[k]}`]))
      : undefined;

    tenants.push({
      index: i,
      name,
      parent,
      inGroup: raw.inGroup,
      host: raw.override ? `h${i}.${OVERRIDE_DOMAINS[i % 2]}` : undefined,
      seaweedfs: raw.seaweedfs,
      modules: raw.modules,
      resourceQuotas,
      apps: makeApps(i, raw.apps, raw.k8sHost),
    });
  });
  const rootApps = makeApps(-1, r.rootApps, false);
  return { rootHost: r.rootHost, rootSeaweedfs: r.rootSeaweedfs, rootModules: r.rootModules, rootApps, tenants, orderSeed: r.orderSeed };
}

// ---------------------------------------------------------------------------
// Declaration orders and the builder
// ---------------------------------------------------------------------------

export type Step =
  | { readonly type: 'tenant'; readonly tenant: number }
  | { readonly type: 'module'; readonly tenant: number; readonly module: number }
  | { readonly type: 'app'; readonly tenant: number; readonly app: number };

function modulesOf(m: PlatformModel, t: number): ModuleModel[] {
  return t === -1 ? m.rootModules : m.tenants[t].modules;
}
function appsOf(m: PlatformModel, t: number): AppModel[] {
  return t === -1 ? m.rootApps : m.tenants[t].apps;
}

/** Parents first, depth-first: each tenant, then its modules, its apps, its children. */
export function canonicalOrder(m: PlatformModel): Step[] {
  const steps: Step[] = [];
  const visit = (t: number) => {
    if (t !== -1) steps.push({ type: 'tenant', tenant: t });
    modulesOf(m, t).forEach((_, i) => steps.push({ type: 'module', tenant: t, module: i }));
    appsOf(m, t).forEach((_, i) => steps.push({ type: 'app', tenant: t, app: i }));
    m.tenants.filter(c => c.parent === t).forEach(c => visit(c.index));
  };
  visit(-1);
  return steps;
}

/** Park–Miller minimal standard PRNG, so the shuffled order is reproducible from the model. */
function prng(seed: number): () => number {
  const M = 2147483647;
  let state = ((Math.abs(Math.trunc(seed)) % (M - 1)) + 1);
  return () => {
    state = (state * 16807) % M;
    return (state - 1) / (M - 1);
  };
}

/**
 * Another valid declaration order: a random topological order of the steps (a tenant
 * after its parent, modules and apps after their tenant), so siblings, modules and
 * apps come in a different order and cluster services may be declared after the apps
 * that use them.
 */
export function shuffledOrder(m: PlatformModel): Step[] {
  const rand = prng(m.orderSeed);
  const all = canonicalOrder(m);
  const declared = new Set<number>([-1]);
  const pending = [...all];
  const out: Step[] = [];
  while (pending.length) {
    const ready = pending.filter(s => (s.type === 'tenant' ? declared.has(m.tenants[s.tenant].parent) : declared.has(s.tenant)));
    const pick = ready[Math.floor(rand() * ready.length)];
    pending.splice(pending.indexOf(pick), 1);
    out.push(pick);
    if (pick.type === 'tenant') declared.add(pick.tenant);
  }
  return out;
}

export interface BuiltPlatform {
  readonly app: App;
  readonly root: RootTenant;
}

/** Declares the model with the library, in the given order. */
export function buildPlatform(m: PlatformModel, steps: Step[] = canonicalOrder(m), outdir?: string): BuiltPlatform {
  const app = new App(outdir ? { outdir } : {});
  const root = new RootTenant(app, ROOT_ID, { host: m.rootHost, seaweedfs: m.rootSeaweedfs || undefined });
  const scopes = new Map<number, Construct>([[-1, root]]);
  const group = (scope: Construct, id: string) => (scope.node.tryFindChild(id) as Construct | undefined) ?? new Construct(scope, id);
  for (const s of steps) {
    if (s.type === 'tenant') {
      const t = m.tenants[s.tenant];
      let parent = scopes.get(t.parent)!;
      if (t.inGroup) parent = group(parent, 'Teams');
      scopes.set(s.tenant, new Tenant(parent, t.name, {
        host: t.host,
        seaweedfs: t.seaweedfs || undefined,
        resourceQuotas: t.resourceQuotas,
      }));
    } else if (s.type === 'module') {
      const mod = modulesOf(m, s.tenant)[s.module];
      const scope = scopes.get(s.tenant)!;
      const props = mod.values ?? {};
      if (mod.service === 'etcd') new EtcdService(scope, props);
      else if (mod.service === 'ingress') new IngressService(scope, props);
      else new MonitoringService(scope, props);
    } else {
      const a = appsOf(m, s.tenant)[s.app];
      let scope = scopes.get(s.tenant)!;
      if (a.inGroup) scope = group(scope, 'Apps');
      if (a.kind === 'Kubernetes') new KubernetesCluster(scope, a.name, a.props);
      else new Postgres(scope, a.name, a.props);
    }
  }
  return { app, root };
}

/** Every validation message of the app, as cdk8s's synth would report them (without writing). */
export function validationErrors(app: App): string[] {
  const out: string[] = [];
  for (const c of app.node.findAll()) {
    for (const e of c.node.validate()) out.push(`[${c.node.path}] ${e}`);
  }
  return out;
}
