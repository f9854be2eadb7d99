/**
 * What the renderers read: the topology of a bundle (`topology.json` expanded, each app
 * with what its kind implies; the bundle layer reads and writes the file), an index over
 * it, the access rules of SPEC.md §3 "Access between tenants", and which part of a large
 * tree a picture shows. Everything here is computed from the topology alone, so a
 * report can be drawn from a bundle on disk without the constructs that made it.
 */
import { CLUSTER_SERVICES } from '../domain/registry';
import { ClusterService } from '../domain/services';

/** The services a tenant can run itself or inherit (SPEC.md §3 "Service inheritance"), as the registry lists them. */
export const TENANT_SERVICES: readonly ClusterService[] = CLUSTER_SERVICES;

/**
 * The services the renderers draw for an app: its data store, its entry point and its
 * metrics sink (object storage is shown per tenant only).
 */
export const APP_SERVICES: readonly ClusterService[] = CLUSTER_SERVICES.filter(s => s !== ClusterService.SEAWEEDFS);

/** One of {@link TENANT_SERVICES}. */
export type ServiceName = ClusterService;

/** One quota key of a tenant, as the quota engineer's `topology.json` field carries it. */
export interface QuotaEntry {
  /** The amount that applies to the tenant's subtree. */
  readonly amount?: string | number | null;
  /** The namespace whose budget the amount is taken from. */
  readonly pool?: string | null;
  /** True when the tenant declares nothing for this key and shares its parent's pool. */
  readonly shared?: boolean | null;
}

/** A tenant's quota: what it declares, what applies, what its subtree still has. */
export interface TenantQuota {
  readonly declared?: Readonly<Record<string, string | number>> | null;
  readonly effective?: Readonly<Record<string, QuotaEntry>> | null;
  readonly remaining?: Readonly<Record<string, string | number>> | null;
  /** The namespace of the quota pool the tenant's namespace draws from (v1.6: its own when it declares any quota). */
  readonly pool?: string | null;
  /** On a tenant that roots a pool: per budget key, what tenants with quotas below carve out of it. */
  readonly carvedOut?: Readonly<Record<string, string | number>> | null;
  /** On a tenant that roots a pool: the namespaces sharing what is left (its own and those of sub-tenants without quota). */
  readonly members?: readonly string[] | null;
  /** On a tenant that roots a pool: per key carved beyond the budget, by how much (members are then held at 0). */
  readonly overcommitted?: Readonly<Record<string, string | number>> | null;
}

/** A tenant of `topology.json`. */
export interface TopologyTenant {
  readonly name: string;
  readonly path: string;
  readonly namespace: string;
  readonly parentNamespace: string | null;
  readonly depth: number;
  readonly host: string;
  readonly modules: readonly string[];
  readonly services: Readonly<Record<string, string>>;
  /** Present once quotas are computed at synth; the renderers never require it. */
  readonly quota?: TenantQuota | null;
  /** The SchedulingClass the tenant's namespace gets (null when none); absent in older bundles. */
  readonly schedulingClass?: string | null;
}

/** A Secret an app's users read, as the bundle records it (names computed at synth from the registry of kinds). */
export interface TopologyCredential {
  /** The registry's id of the Secret's template, e.g. `admin-kubeconfig`; the Secrets of a per-user template share it. */
  readonly id: string;
  /** The Secret's name, in the app's namespace. */
  readonly secret: string;
  /** The keys users read from it. */
  readonly keys: readonly string[];
  readonly description: string;
}

/** How an endpoint is reached: a Service or an Ingress in the app's namespace, or a host name. */
export type TopologyEndpointKind = 'service' | 'host' | 'ingress';

/** A way to reach an app, as the bundle records it. */
export interface TopologyEndpoint {
  /** The registry's id of the endpoint's template, e.g. `rw` (a Service and an Ingress of the same name share it). */
  readonly id: string;
  readonly name: string;
  /** One of {@link TopologyEndpointKind} (typed `string` because the bundle's model writes it as one). */
  readonly kind: TopologyEndpointKind | string;
  readonly description: string;
}

/**
 * An app of the topology: an object of an `apps.cozystack.io` kind in a tenant's
 * namespace (a module's tuning object such as `Etcd etcd` included). What its kind
 * implies (plural, chart, release, what it uses, what it holds, its Secrets and
 * endpoints) is computed at synth from the registry of kinds, so readers of the bundle
 * never derive a Cozystack name themselves.
 */
export interface TopologyApp {
  readonly kind: string;
  readonly name: string;
  readonly path: string;
  readonly namespace: string;
  readonly host?: string | null;
  readonly services: Readonly<Record<string, string>>;
  /** The kind's plural in the API, e.g. `postgreses`. */
  readonly plural: string;
  readonly chart: string;
  /** The HelmRelease Cozystack creates for it, e.g. `postgres-db1`. */
  readonly release: string;
  /** A module's tuning object (fixed name, e.g. `Etcd etcd`), not an app of its own. */
  readonly module: boolean;
  /** The inherited services it consumes, e.g. `["ingress", "monitoring"]`. */
  readonly uses: readonly string[];
  /** Whether deleting it deletes data. */
  readonly holdsData: boolean;
  readonly credentials: readonly TopologyCredential[];
  readonly endpoints: readonly TopologyEndpoint[];
}

/**
 * The tenants and apps of a platform, as `readBundle` gives them from `topology.json`
 * and `RootTenant.synthBundle()` computes them: every app complete, its kind's facts
 * included (the file states those once per kind).
 */
export interface Topology {
  readonly cozystackVersion?: string;
  readonly tenants: readonly TopologyTenant[];
  readonly apps: readonly TopologyApp[];
}

/** The four groups every tenant namespace gets, least to most powerful. */
export const ROLES = ['view', 'use', 'admin', 'super-admin'] as const;

/** What each role may do in the namespaces it is bound in (Cozystack docs, "Users and roles"). */
export const ROLE_RIGHTS: Readonly<Record<typeof ROLES[number], string>> = {
  'view': 'read the apps and tenants of the Cozystack API and read logs',
  'use': 'everything view may, plus console and VNC access to virtual machines',
  'admin': 'everything use may, plus delete pods and create, change and delete apps (not tenants, etcds, ingresses or monitorings)',
  'super-admin': 'everything admin may, plus create, change and delete tenants, etcds, ingresses and monitorings (all of apps.cozystack.io)',
};

/** The groups of a tenant namespace: `<ns>-view`, `<ns>-use`, `<ns>-admin`, `<ns>-super-admin`. */
export function groupsOf(namespace: string): string[] {
  return ROLES.map(r => `${namespace}-${r}`);
}

/** The first Secret of an app's credentials and its first key, as the bundle records them; undefined when it has none. */
export function credentialsOf(app: TopologyApp): { secret: string; key?: string; what: string } | undefined {
  const c = app.credentials?.[0];
  return c ? { secret: c.secret, key: c.keys[0], what: c.description } : undefined;
}

/** The HelmRelease Cozystack creates for an app, as the bundle records it. */
export function releaseOf(app: TopologyApp): string {
  return app.release;
}

/** Code-point order, independent of the locale (`localeCompare` is not). */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What a subtree holds. */
export interface SubtreeSize {
  readonly tenants: number;
  readonly apps: number;
}

/**
 * A topology indexed by namespace, children and apps sorted by name, so that
 * every renderer walks the same tree in the same order whatever order the JSON had.
 */
export class TopologyIndex {
  public readonly root: TopologyTenant;
  public readonly version: string | undefined;
  private readonly byNs = new Map<string, TopologyTenant>();
  private readonly kids = new Map<string, TopologyTenant[]>();
  private readonly appsByNs = new Map<string, TopologyApp[]>();
  private readonly sizes = new Map<string, SubtreeSize>();

  public constructor(public readonly topology: Topology) {
    if (!topology || !Array.isArray(topology.tenants) || !Array.isArray(topology.apps)) {
      throw new Error('Not a topology: expected an object with "tenants" and "apps" arrays (topology.json as readBundle gives it).');
    }
    if ((topology as { kinds?: unknown }).kinds !== undefined) {
      throw new Error('This is topology.json as written, with each kind\'s facts in "kinds": the renderers read it expanded. '
        + 'Read the bundle with readBundle (or the file with parseTopology) first.');
    }
    this.version = topology.cozystackVersion;
    const roots: TopologyTenant[] = [];
    for (const t of topology.tenants) {
      if (this.byNs.has(t.namespace)) throw new Error(`topology.json names tenant namespace "${t.namespace}" twice.`);
      this.byNs.set(t.namespace, t);
      this.kids.set(t.namespace, []);
      this.appsByNs.set(t.namespace, []);
    }
    for (const t of topology.tenants) {
      if (t.parentNamespace === null || t.parentNamespace === undefined) {
        roots.push(t);
        continue;
      }
      const siblings = this.kids.get(t.parentNamespace);
      if (!siblings) throw new Error(`topology.json: tenant ${t.path} has parent namespace "${t.parentNamespace}", which is not a tenant.`);
      siblings.push(t);
    }
    if (roots.length !== 1) {
      throw new Error(`topology.json must have exactly one root tenant (parentNamespace null), found ${roots.length}.`);
    }
    this.root = roots[0];
    for (const a of topology.apps) {
      const list = this.appsByNs.get(a.namespace);
      if (!list) throw new Error(`topology.json: app ${a.path} is in namespace "${a.namespace}", which is not a tenant.`);
      list.push(a);
    }
    for (const list of this.kids.values()) list.sort((a, b) => cmp(a.name, b.name) || cmp(a.namespace, b.namespace));
    for (const list of this.appsByNs.values()) list.sort((a, b) => cmp(a.kind, b.kind) || cmp(a.name, b.name) || cmp(a.path, b.path));
    this.computeSizes(this.root);
  }

  /** Every tenant, parents before children, siblings by name (depth-first). */
  public tenants(): TopologyTenant[] {
    const out: TopologyTenant[] = [];
    const walk = (t: TopologyTenant) => {
      out.push(t);
      for (const c of this.children(t)) walk(c);
    };
    walk(this.root);
    return out;
  }

  /** Every app, in tenant order, then by kind and name. */
  public apps(): TopologyApp[] {
    return this.tenants().flatMap(t => this.appsOf(t));
  }

  public tenant(namespace: string): TopologyTenant | undefined {
    return this.byNs.get(namespace);
  }

  public parent(t: TopologyTenant): TopologyTenant | undefined {
    return t.parentNamespace ? this.byNs.get(t.parentNamespace) : undefined;
  }

  public children(t: TopologyTenant): readonly TopologyTenant[] {
    return this.kids.get(t.namespace) ?? [];
  }

  public appsOf(t: TopologyTenant): readonly TopologyApp[] {
    return this.appsByNs.get(t.namespace) ?? [];
  }

  /** The ancestors of a tenant, the root first, the tenant itself excluded. */
  public ancestors(t: TopologyTenant): TopologyTenant[] {
    const out: TopologyTenant[] = [];
    for (let p = this.parent(t); p; p = this.parent(p)) out.unshift(p);
    return out;
  }

  /** Tenants and apps below a tenant, itself included. */
  public size(t: TopologyTenant): SubtreeSize {
    return this.sizes.get(t.namespace) ?? { tenants: 1, apps: 0 };
  }

  /** Whether the tenant in `namespace` runs `service` itself (it is only *named* provider otherwise). */
  public runs(namespace: string, service: string): boolean {
    const t = this.byNs.get(namespace);
    return !!t && t.modules.includes(service);
  }

  /** `name` (`namespace`) of a provider namespace, or the namespace alone when it is not a tenant of the bundle. */
  public label(namespace: string): string {
    const t = this.byNs.get(namespace);
    return t ? `${t.name} (${namespace})` : namespace;
  }

  private computeSizes(t: TopologyTenant): SubtreeSize {
    let tenants = 1;
    let apps = this.appsOf(t).length;
    for (const c of this.children(t)) {
      const s = this.computeSizes(c);
      tenants += s.tenants;
      apps += s.apps;
    }
    const size = { tenants, apps };
    this.sizes.set(t.namespace, size);
    return size;
  }
}

/** How much of a large tree a picture shows. */
export interface CollapseOptions {
  /**
   * Show tenants at most this many levels below the focused tenant; deeper subtrees
   * are summarized in their parent as "+k tenants, m apps".
   * @default 4
   */
  readonly maxDepth?: number;
  /**
   * Show at most this many tenants (ancestors of the focus included), chosen level by level.
   * @default 40
   */
  readonly maxTenants?: number;
  /**
   * Show at most this many apps per tenant; the rest are summarized.
   * @default 8
   */
  readonly maxAppsPerTenant?: number;
  /**
   * Draw only this tenant's subtree (its namespace or construct path), inside the chain of
   * its ancestors, whose other children are summarized. Use it to page through a large platform.
   * @default - the whole platform, from the root
   */
  readonly focus?: string;
}

/** The collapsed children of a shown tenant. */
export interface CollapsedChildren {
  readonly tenants: readonly TopologyTenant[];
  readonly size: SubtreeSize;
}

/** What a picture shows of a tree. */
export interface Visible {
  readonly focus: TopologyTenant;
  readonly tenants: ReadonlySet<string>;
  /** Per shown tenant namespace: the children not shown and what their subtrees hold. */
  readonly collapsed: ReadonlyMap<string, CollapsedChildren>;
  /** Per shown tenant namespace: the apps shown (the first `maxAppsPerTenant`). */
  readonly apps: ReadonlyMap<string, readonly TopologyApp[]>;
  readonly shownTenants: number;
  readonly shownApps: number;
}

/** Finds a tenant by namespace or construct path. */
export function findTenant(index: TopologyIndex, ref: string): TopologyTenant | undefined {
  return index.tenant(ref) ?? index.tenants().find(t => t.path === ref);
}

/**
 * Chooses what a picture shows: the focus's ancestors, then the focus's subtree level by
 * level (so the top of the tree is always complete) until `maxTenants` or `maxDepth`.
 */
export function selectVisible(index: TopologyIndex, options: CollapseOptions = {}): Visible {
  const maxDepth = Math.max(0, options.maxDepth ?? 4);
  const maxTenants = Math.max(1, options.maxTenants ?? 40);
  const maxApps = Math.max(0, options.maxAppsPerTenant ?? 8);
  let focus = index.root;
  if (options.focus !== undefined) {
    const found = findTenant(index, options.focus);
    if (!found) throw new Error(`focus "${options.focus}" is not a tenant namespace or path of this topology.`);
    focus = found;
  }
  const shown = new Set<string>();
  for (const a of index.ancestors(focus)) shown.add(a.namespace);
  shown.add(focus.namespace);
  let level: TopologyTenant[] = [focus];
  for (let depth = 1; depth <= maxDepth && level.length > 0 && shown.size < maxTenants; depth++) {
    const next: TopologyTenant[] = [];
    for (const t of level) {
      for (const c of index.children(t)) {
        if (shown.size >= maxTenants) break;
        shown.add(c.namespace);
        next.push(c);
      }
    }
    level = next;
  }
  const collapsed = new Map<string, CollapsedChildren>();
  const apps = new Map<string, readonly TopologyApp[]>();
  let shownApps = 0;
  for (const ns of shown) {
    const t = index.tenant(ns)!;
    const hidden = index.children(t).filter(c => !shown.has(c.namespace));
    if (hidden.length > 0) {
      const size = hidden.reduce(
        (s, c) => ({ tenants: s.tenants + index.size(c).tenants, apps: s.apps + index.size(c).apps }),
        { tenants: 0, apps: 0 },
      );
      collapsed.set(ns, { tenants: hidden, size });
    }
    const list = index.appsOf(t).slice(0, maxApps);
    apps.set(ns, list);
    shownApps += list.length;
  }
  return { focus, tenants: shown, collapsed, apps, shownTenants: shown.size, shownApps };
}

/** "1 tenant", "3 apps". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A topology's index, built once when several renderers share it. */
export function indexOf(topology: Topology | TopologyIndex): TopologyIndex {
  return topology instanceof TopologyIndex ? topology : new TopologyIndex(topology);
}
