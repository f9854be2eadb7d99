/**
 * Which construct of this library declares each `apps.cozystack.io` kind, and how it
 * refers to other objects. Code that writes programs (`cdk8s-cozystack import`) reads
 * this instead of importing the constructs, which the CLI layer may not do; a test holds
 * it to the registry (every kind has a construct) and to the library's exports.
 */

/** A spec field the construct fills from a construct reference rather than from a name. */
export interface ConstructReference {
  /** The spec field, e.g. `cluster`. */
  readonly specField: string;
  /** The construct prop that takes the reference, e.g. `kubernetesCluster`. */
  readonly prop: string;
  /** The kind referred to, in the same tenant. */
  readonly kind: string;
  /** `one`: the field holds the name; `list`: a list of `{ name, bus? }` entries (`VMInstance.attachedDisks`). */
  readonly shape: 'one' | 'list';
}

/** How a kind is declared with the library. */
export interface ConstructOfKind {
  /** The exported class. */
  readonly construct: string;
  /**
   * `tenant`: `new Tenant(parent, name, props)`; `module`: `new XService(tenant, props?)`, the fixed-name
   * tuning object of a tenant module; `app`: `new X(tenant, id, props)`; `none`: nothing to declare
   * (Cozystack installs it in every tenant).
   */
  readonly form: 'tenant' | 'module' | 'app' | 'none';
  /** The spec field the construct fills from a reference to another construct, if any. */
  readonly references?: ConstructReference;
}

const app = (construct: string, references?: ConstructReference): ConstructOfKind => ({ construct, form: 'app', references });
const module_ = (construct: string): ConstructOfKind => ({ construct, form: 'module' });

/** By kind. */
export const CONSTRUCT_OF_KIND: Readonly<Record<string, ConstructOfKind>> = {
  Tenant: { construct: 'Tenant', form: 'tenant' },
  Info: { construct: '', form: 'none' },
  Etcd: module_('EtcdService'),
  Ingress: module_('IngressService'),
  Monitoring: module_('MonitoringService'),
  SeaweedFS: module_('SeaweedFSService'),
  BootBox: module_('BootBoxService'),
  Bucket: app('Bucket'),
  ClickHouse: app('ClickHouse'),
  ExternalDNS: app('ExternalDNS'),
  FoundationDB: app('FoundationDB'),
  HTTPCache: app('HTTPCache'),
  Harbor: app('Harbor'),
  Kafka: app('Kafka'),
  Kubernetes: app('KubernetesCluster'),
  KubernetesNodes: app('KubernetesNodes', { specField: 'cluster', prop: 'kubernetesCluster', kind: 'Kubernetes', shape: 'one' }),
  MariaDB: app('MariaDB'),
  MongoDB: app('MongoDB'),
  NATS: app('Nats'),
  OpenBAO: app('OpenBAO'),
  OpenSearch: app('OpenSearch'),
  Postgres: app('Postgres'),
  Qdrant: app('Qdrant'),
  RabbitMQ: app('RabbitMQ'),
  Redis: app('Redis'),
  TCPBalancer: app('TCPBalancer'),
  VMDisk: app('VMDisk'),
  VMInstance: app('VMInstance', { specField: 'disks', prop: 'attachedDisks', kind: 'VMDisk', shape: 'list' }),
  VPN: app('Vpn'),
  VirtualPrivateCloud: app('VirtualPrivateCloud'),
};

/** The construct that declares the tenant flag of a cluster service (`gateway` has no tuning object). */
export const GATEWAY_CONSTRUCT = 'GatewayService';
