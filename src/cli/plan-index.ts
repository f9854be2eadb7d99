/**
 * One bundle's topology and objects indexed once for `plan` and `apply`: tenants by
 * namespace and by the key of their Tenant object, children in topology order, apps by
 * namespace and by key, tenant clusters by key, and who uses which provider. Every
 * lookup the destruction rules make is a map lookup or a walk of the part of the tree
 * it reports, so a plan grows with the bundle, not with its square.
 *
 * A module's tuning object (`Etcd etcd`, ...) counts as an app with `module: true`. When
 * the bundle's topology does not list it, its record comes from the registry of kinds
 * (the kind's role, chart, fixed release name and whether it holds data), never from
 * names spelled here.
 */
import { LoadedBundle, LoadedCluster, LoadedObject, objectKey, Topology, TopologyApp, TopologyTenant } from '../bundle/read';
import { COZYSTACK_API_VERSION, KindRegistry, REGISTRY, releaseName } from '../domain/registry';

/** The key of a tenant's Tenant object: it lives in its parent's namespace (the root's in its own). */
export function tenantKey(t: TopologyTenant): string {
  return objectKey({ kind: 'Tenant', namespace: t.parentNamespace ?? t.namespace, name: t.name });
}

/** The key of the platform's root Tenant object, as the bundle's topology records it; undefined without one. */
export function rootTenantKey(topology: Topology): string | undefined {
  const root = topology.tenants.find(t => t.parentNamespace === null || t.parentNamespace === undefined);
  return root ? tenantKey(root) : undefined;
}

/** The record of a module's tuning object the topology does not list, from the registry of kinds; undefined for other objects. */
function moduleTuning(o: LoadedObject, registry: KindRegistry, tenant: TopologyTenant | undefined): TopologyApp | undefined {
  const def = o.ref.apiVersion === COZYSTACK_API_VERSION ? registry.tryGet(o.ref.kind) : undefined;
  if (!def || def.role !== 'module' || (def.fixedName !== undefined && o.ref.name !== def.fixedName)) return undefined;
  return {
    kind: o.ref.kind,
    name: o.ref.name,
    path: o.ref.path,
    namespace: o.ref.namespace,
    host: null,
    services: tenant?.services ?? {},
    plural: def.plural,
    chart: def.chart,
    release: releaseName(def, o.ref.name),
    module: true,
    uses: [...def.uses],
    holdsData: def.holdsData,
    credentials: [],
    endpoints: [],
  };
}

export class BundleIndex {
  /** The root tenant's key (`Tenant/<namespace>/<name>`), if the topology has a root. */
  public readonly rootKey: string | undefined;
  private readonly tenantsByNs = new Map<string, TopologyTenant>();
  private readonly tenantsByKey = new Map<string, TopologyTenant>();
  private readonly kids = new Map<string, TopologyTenant[]>();
  private readonly appsByNs = new Map<string, TopologyApp[]>();
  private readonly appsByKey = new Map<string, TopologyApp>();
  private readonly clustersByKey = new Map<string, LoadedCluster>();
  /** service -> provider namespace -> who uses it ("used by ..."), built on first use. */
  private users?: Map<string, Map<string, string[]>>;

  public constructor(public readonly bundle: LoadedBundle, registry: KindRegistry = REGISTRY) {
    const topology = bundle.topology;
    for (const t of topology.tenants) {
      this.tenantsByNs.set(t.namespace, t);
      this.tenantsByKey.set(tenantKey(t), t);
      if (t.parentNamespace) {
        const list = this.kids.get(t.parentNamespace);
        if (list) list.push(t);
        else this.kids.set(t.parentNamespace, [t]);
      }
    }
    for (const a of topology.apps) {
      const list = this.appsByNs.get(a.namespace);
      if (list) list.push(a);
      else this.appsByNs.set(a.namespace, [a]);
      this.appsByKey.set(objectKey(a), a);
    }
    for (const o of bundle.objects.values()) {
      const tuning = this.appsByKey.has(o.key) ? undefined : moduleTuning(o, registry, this.tenantsByNs.get(o.ref.namespace));
      if (!tuning) continue;
      const list = this.appsByNs.get(tuning.namespace);
      if (list) list.push(tuning);
      else this.appsByNs.set(tuning.namespace, [tuning]);
      this.appsByKey.set(o.key, tuning);
    }
    for (const c of bundle.clusters) this.clustersByKey.set(c.key, c);
    this.rootKey = rootTenantKey(topology);
  }

  public tenant(namespace: string): TopologyTenant | undefined {
    return this.tenantsByNs.get(namespace);
  }

  /** The tenant whose Tenant object has this key. */
  public tenantByKey(key: string): TopologyTenant | undefined {
    return this.tenantsByKey.get(key);
  }

  public parent(t: TopologyTenant): TopologyTenant | undefined {
    return t.parentNamespace ? this.tenantsByNs.get(t.parentNamespace) : undefined;
  }

  public children(t: TopologyTenant): readonly TopologyTenant[] {
    return this.kids.get(t.namespace) ?? [];
  }

  /** The apps in a namespace, in topology order. */
  public appsIn(namespace: string): readonly TopologyApp[] {
    return this.appsByNs.get(namespace) ?? [];
  }

  /** The app recorded for an object key (`Kind/namespace/name`), module tuning objects included. */
  public app(key: string): TopologyApp | undefined {
    return this.appsByKey.get(key);
  }

  /** The workloads bundle of the tenant cluster whose Kubernetes object has this key. */
  public cluster(key: string): LoadedCluster | undefined {
    return this.clustersByKey.get(key);
  }

  /** A tenant and every tenant below it, parents first, in topology order. */
  public subtree(t: TopologyTenant): TopologyTenant[] {
    const out = [t];
    for (let i = 0; i < out.length; i++) out.push(...this.children(out[i]));
    return out;
  }

  /** The tenant in `namespace` and its ancestors, nearest first. */
  public *upwards(namespace: string): Generator<TopologyTenant> {
    for (let t = this.tenant(namespace); t; t = this.parent(t)) yield t;
  }

  /** The depth of the tenant whose namespace this is (0 for the root and for namespaces the topology does not know). */
  public depthOf(namespace: string): number {
    return this.tenant(namespace)?.depth ?? 0;
  }

  /** Tenants (other than the provider itself) that inherit the `service` of namespace `ns`, and apps that use it. */
  public usersOf(service: string, ns: string): readonly string[] {
    if (!this.users) {
      const users = new Map<string, Map<string, string[]>>();
      const add = (s: string, provider: string, who: string) => {
        let byProvider = users.get(s);
        if (!byProvider) users.set(s, byProvider = new Map());
        const list = byProvider.get(provider);
        if (list) list.push(who);
        else byProvider.set(provider, [who]);
      };
      for (const t of this.bundle.topology.tenants) {
        for (const [s, provider] of Object.entries(t.services ?? {})) {
          if (provider !== t.namespace) add(s, provider, `used by Tenant ${t.name} (${t.namespace})`);
        }
      }
      for (const a of this.bundle.topology.apps) {
        for (const s of a.uses) {
          const provider = a.services?.[s];
          if (provider) add(s, provider, `used by ${a.kind} ${a.name} in ${a.namespace}`);
        }
      }
      this.users = users;
    }
    return this.users.get(service)?.get(ns) ?? [];
  }
}
