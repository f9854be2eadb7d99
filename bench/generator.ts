/**
 * A seeded, deterministic platform of N tenants for the benchmark: a public cloud
 * whose customers sit below the root (about a quarter of all tenants) with projects
 * nested below them, up to depth 5; cluster services on about a fifth of the tenants;
 * one to three apps in every tenant; quotas on some. Most apps are still Kubernetes
 * clusters and Postgres; the rest is the catalogue a cloud sells besides them: Redis,
 * Buckets (the root runs SeaweedFS, a few tenants their own), VMDisk + VMInstance pairs,
 * MariaDB, Kafka, KubernetesNodes pools on a tenant's cluster, and now and then a
 * RabbitMQ, Nats, ClickHouse, MongoDB, Qdrant or Vpn.
 */
import { App } from 'cdk8s';
import {
  Bucket, ClickHouse, EtcdService, IngressService, Kafka, KubernetesCluster, KubernetesNodes, MariaDB, MongoDB, MonitoringService, Nats,
  Postgres, Qdrant, RabbitMQ, Redis, RootTenant, SeaweedFSService, Tenant, VMDisk, VMInstance, Vpn,
} from '../src';

/** The deepest tenant level the generator creates. */
export const MAX_DEPTH = 5;

/** Park-Miller "minimal standard" generator: exact in doubles, no bitwise operators. */
export class Rng {
  private state: number;

  public constructor(seed: number) {
    this.state = Math.abs(Math.floor(seed)) % 2147483647;
    if (this.state === 0) this.state = 1;
  }

  /** A number in [0, 1). */
  public next(): number {
    this.state = (this.state * 48271) % 2147483647;
    return (this.state - 1) / 2147483646;
  }

  /** An integer in [0, n). */
  public int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** True with probability p. */
  public chance(p: number): boolean {
    return this.next() < p;
  }
}

/** What the generator declared. */
export interface PlatformStats {
  readonly tenants: number;
  readonly maxDepth: number;
  readonly tenantsWithModules: number;
  readonly tenantsWithQuotas: number;
  readonly kubernetesClusters: number;
  readonly postgreses: number;
  /** Apps by kind (all of them, Kubernetes and Postgres included). */
  readonly apps: { [kind: string]: number };
}

/** A quota pool: what a declaring tenant has left for its sub-tenants, per key. */
interface Pool {
  remaining: number;
}

interface Node {
  readonly scope: RootTenant | Tenant;
  readonly depth: number;
  children: number;
  /** The nearest declaring ancestor-or-self's pool, per quota key. */
  readonly pools: ReadonlyMap<string, Pool>;
}

/** Quota keys with their unit and the amount a top-level tenant asks for. */
const QUOTA_KEYS: Array<[string, string, (rng: Rng) => number]> = [
  ['cpu', '', rng => 16 + rng.int(240)],
  ['memory', 'Gi', rng => 32 + rng.int(480)],
  ['services.loadbalancers', '', rng => 2 + rng.int(10)],
];

/**
 * Quotas that hold under Cozystack v1.6's hierarchical rule: a sub-tenant takes at most a
 * third of what its nearest declaring ancestor has left for that key.
 */
function quotasFor(rng: Rng, parent: Node): { quotas?: { [key: string]: string }; pools: ReadonlyMap<string, Pool> } {
  const quotas: { [key: string]: string } = {};
  const pools = new Map(parent.pools);
  for (const [key, unit, ask] of QUOTA_KEYS) {
    const pool = parent.pools.get(key);
    const amount = pool ? Math.min(ask(rng), Math.floor(pool.remaining / 3)) : ask(rng);
    if (amount < 1) continue;
    if (pool) pool.remaining -= amount;
    quotas[key] = `${amount}${unit}`;
    pools.set(key, { remaining: amount });
  }
  return Object.keys(quotas).length > 0 ? { quotas, pools } : { pools: parent.pools };
}

const INSTANCE_TYPES = ['u1.medium', 'u1.large', 'c1.xlarge', 'm1.large'];
const K8S_VERSIONS = ['v1.33', 'v1.32', 'v1.31'];
const POSTGRES_SIZES = ['5Gi', '10Gi', '50Gi'];
const SMALL_SIZES = ['1Gi', '2Gi', '5Gi'];
const DISK_SIZES = ['20Gi', '50Gi', '100Gi'];
const IMAGES = ['ubuntu', 'debian', 'fedora'];
const MARIADB_SIZES = ['10Gi', '20Gi'];

/**
 * The mix of apps, cumulative: Kubernetes and Postgres three quarters, the catalogue the rest.
 * Each entry declares one app (or a pair, for VMs) named after `a`, the app's index in its tenant.
 */
const APP_MIX: Array<[number, string]> = [
  [0.36, 'Kubernetes'],
  [0.74, 'Postgres'],
  [0.82, 'Redis'],
  [0.87, 'Bucket'],
  [0.91, 'VM'],
  [0.94, 'MariaDB'],
  [0.96, 'Kafka'],
  [0.97, 'RabbitMQ'],
  [0.98, 'Nats'],
  [0.985, 'ClickHouse'],
  [0.99, 'MongoDB'],
  [0.995, 'Qdrant'],
  [1, 'Vpn'],
];

function pick(rng: Rng): string {
  const x = rng.next();
  return APP_MIX.find(([p]) => x < p)![1];
}

/**
 * Declares a platform of `tenants` tenants (the root not counted) in `app`.
 */
export function buildPlatform(app: App, tenants: number, seed = 42): { root: RootTenant; stats: PlatformStats } {
  const rng = new Rng(seed);
  const root = new RootTenant(app, 'platform', { host: 'example.org' });
  // The root runs every service, so every KubernetesCluster has a running etcd provider.
  new EtcdService(root);
  new IngressService(root, { replicas: 3 });
  new MonitoringService(root);
  // ... and object storage, so every Bucket has a SeaweedFS provider.
  new SeaweedFSService(root);

  const rootNode: Node = { scope: root, depth: 0, children: 0, pools: new Map() };
  // Tenants that may still get children (depth < MAX_DEPTH), the root excluded.
  const open: Node[] = [];
  let maxDepth = 0;
  let withModules = 0;
  let withQuotas = 0;
  let clusters = 0;
  let postgreses = 0;
  const apps: { [kind: string]: number } = {};
  const count = (kind: string) => { apps[kind] = (apps[kind] ?? 0) + 1; };

  for (let i = 0; i < tenants; i++) {
    const parent = open.length === 0 || rng.chance(0.25) ? rootNode : open[rng.int(open.length)];
    const name = `t${parent.children.toString(36)}`;
    parent.children++;
    const { quotas, pools } = rng.chance(0.1) ? quotasFor(rng, parent) : { quotas: undefined, pools: parent.pools };
    const tenant = new Tenant(parent.scope, name, { resourceQuotas: quotas });
    // A few customers run object storage of their own (their Buckets and their sub-tenants' use it).
    if (rng.chance(0.01)) new SeaweedFSService(tenant);
    if (quotas) withQuotas++;
    const node: Node = { scope: tenant, depth: parent.depth + 1, children: 0, pools };
    maxDepth = Math.max(maxDepth, node.depth);
    if (node.depth < MAX_DEPTH) open.push(node);

    if (rng.chance(0.2)) {
      withModules++;
      const etcd = rng.chance(0.6);
      const monitoring = rng.chance(0.4);
      const ingress = rng.chance(0.6) || (!etcd && !monitoring);
      if (etcd) new EtcdService(tenant, rng.chance(0.5) ? { size: '10Gi', replicas: 3 } : {});
      if (ingress) new IngressService(tenant, rng.chance(0.3) ? { replicas: 2, resourcesPreset: 't1.small' } : {});
      if (monitoring) new MonitoringService(tenant);
    }

    const appCount = 1 + rng.int(3);
    for (let a = 0; a < appCount; a++) {
      const kind = pick(rng);
      if (kind === 'Kubernetes') {
        clusters++;
        count('Kubernetes');
        const cluster = new KubernetesCluster(tenant, `k${a}`, {
          version: K8S_VERSIONS[rng.int(K8S_VERSIONS.length)],
          nodeGroups: {
            md0: {
              minReplicas: 1,
              maxReplicas: 2 + rng.int(8),
              instanceType: INSTANCE_TYPES[rng.int(INSTANCE_TYPES.length)],
              diskSize: '20Gi',
            },
          },
        });
        // Some clusters get a separately managed pool of workers.
        if (rng.chance(0.1)) {
          count('KubernetesNodes');
          new KubernetesNodes(tenant, `k${a}-pool`, {
            kubernetesCluster: cluster,
            instanceType: INSTANCE_TYPES[rng.int(INSTANCE_TYPES.length)],
            minReplicas: 0,
            maxReplicas: 1 + rng.int(4),
            diskSize: '50Gi',
          });
        }
      } else if (kind === 'Postgres') {
        postgreses++;
        count('Postgres');
        new Postgres(tenant, `pg${a}`, {
          replicas: 1 + rng.int(3),
          size: POSTGRES_SIZES[rng.int(POSTGRES_SIZES.length)],
          users: { app: {} },
          databases: { app: { roles: { admin: ['app'] } } },
        });
      } else if (kind === 'Redis') {
        count('Redis');
        new Redis(tenant, `cache${a}`, { replicas: 1 + rng.int(3), size: SMALL_SIZES[rng.int(SMALL_SIZES.length)] });
      } else if (kind === 'Bucket') {
        count('Bucket');
        new Bucket(tenant, `b${a}`, rng.chance(0.5) ? { users: { app: {}, cdn: { readonly: true } } } : { users: { app: {} } });
      } else if (kind === 'VM') {
        count('VMDisk');
        count('VMInstance');
        const disk = new VMDisk(tenant, `vm${a}-system`, {
          source: { image: { name: IMAGES[rng.int(IMAGES.length)] } },
          storage: DISK_SIZES[rng.int(DISK_SIZES.length)],
        });
        new VMInstance(tenant, `vm${a}`, {
          instanceType: INSTANCE_TYPES[rng.int(INSTANCE_TYPES.length)],
          attachedDisks: [{ disk }],
        });
      } else if (kind === 'MariaDB') {
        count('MariaDB');
        // Without users: the chart takes their passwords only inline (a plain-text warning each).
        new MariaDB(tenant, `db${a}`, { replicas: 1 + rng.int(2), size: MARIADB_SIZES[rng.int(MARIADB_SIZES.length)] });
      } else if (kind === 'Kafka') {
        count('Kafka');
        new Kafka(tenant, `events${a}`, { topics: [{ name: 'events', partitions: 1 + rng.int(6), replicas: 3, config: { 'retention.ms': 604800000 } }] });
      } else if (kind === 'RabbitMQ') {
        count('RabbitMQ');
        new RabbitMQ(tenant, `mq${a}`, { users: { app: {} }, vhosts: { app: { roles: { admin: ['app'] } } } });
      } else if (kind === 'Nats') {
        count('Nats');
        new Nats(tenant, `bus${a}`, { users: { app: {} } });
      } else if (kind === 'ClickHouse') {
        count('ClickHouse');
        new ClickHouse(tenant, `olap${a}`, { users: { analyst: { readonly: true } } });
      } else if (kind === 'MongoDB') {
        count('MongoDB');
        new MongoDB(tenant, `docs${a}`, { users: { app: {} }, databases: { app: { roles: { admin: ['app'] } } } });
      } else if (kind === 'Qdrant') {
        count('Qdrant');
        new Qdrant(tenant, `vec${a}`);
      } else {
        count('Vpn');
        new Vpn(tenant, `vpn${a}`, { users: { admin: {} } });
      }
    }
  }
  return {
    root,
    stats: {
      tenants,
      maxDepth,
      tenantsWithModules: withModules,
      tenantsWithQuotas: withQuotas,
      kubernetesClusters: clusters,
      postgreses,
      apps,
    },
  };
}
