/**
 * The registry of Cozystack kinds: every `apps.cozystack.io` kind described once.
 *
 * What Cozystack's ApplicationDefinitions say (kind, plural, chart, release prefix,
 * whether it is a module, the Secrets/Services/Ingresses tenants may see) is read from
 * `charts/<release>/definitions.json`, the project's copy of them. What only the charts'
 * templates tell (which inherited values a chart consumes, the keys of its credential
 * Secrets, what deleting it destroys) is written here, next to it. Constructs, the
 * bundle, the reports and the CLI read this module; no other file spells a Cozystack
 * name pattern.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ClusterService } from './services';

/** The API group and version of Cozystack's application API. */
export const COZYSTACK_API_VERSION = 'apps.cozystack.io/v1alpha1';

/** The namespace of the platform's pre-existing root tenant. */
export const ROOT_NAMESPACE = 'tenant-root';
/** The name of the root Tenant object (in {@link ROOT_NAMESPACE}). */
export const ROOT_TENANT_NAME = 'root';
/** The prefix of a tenant namespace under the root (`tenant-<name>`); deeper tenants append `-<name>`. */
export const TENANT_NAMESPACE_PREFIX = 'tenant-';
/** The longest Helm release name: `len(prefix + name)` of every app is at most this. */
export const RELEASE_NAME_MAX = 53;

/** The cluster services a tenant can run, in the order Cozystack's tenant chart lists them. */
export const CLUSTER_SERVICES: readonly ClusterService[] = [
  ClusterService.ETCD, ClusterService.INGRESS, ClusterService.MONITORING, ClusterService.SEAWEEDFS,
];

/** A value a chart reads from its namespace (`_namespace.*`), computed by the tenant chart. */
export type InheritedValue = 'host' | 'etcd' | 'ingress' | 'gateway' | 'monitoring' | 'seaweedfs' | 'schedulingClass';

/** What a kind is to a tenant. */
export type KindRole = 'tenant' | 'module' | 'app';

/** A Secret holding credentials of an app, as a template over the app's name. */
export interface CredentialTemplate {
  /** How the library refers to it, e.g. `admin-kubeconfig`. */
  readonly id: string;
  /** Go-template-like name, e.g. `redis-{{ .name }}-auth`. */
  readonly secret: string;
  /** The keys users read; `{{ .user }}` stands for each user of the spec. */
  readonly keys: readonly string[];
  /** What the Secret holds, in a few words. */
  readonly description: string;
}

/** A way users reach an app. */
export interface EndpointTemplate {
  /** How the library refers to it, e.g. `rw`. */
  readonly id: string;
  /** Go-template-like name of a Service or Ingress in the app's namespace, or a host. */
  readonly name: string;
  readonly kind: 'service' | 'ingress' | 'host';
  readonly description: string;
}

/** One `apps.cozystack.io` kind. */
export interface KindDefinition {
  readonly kind: string;
  readonly plural: string;
  /** The chart (also the file name in `charts/<release>/`). */
  readonly chart: string;
  /** The HelmRelease name is `releasePrefix + name`; "" for modules, whose name is fixed. */
  readonly releasePrefix: string;
  readonly role: KindRole;
  /** For modules: the only name the object may have. */
  readonly fixedName?: string;
  /** For modules: the tenant flag that runs it. */
  readonly service?: ClusterService;
  /** The module may only be declared on the root tenant. */
  readonly rootOnly?: boolean;
  /** Values of its namespace the chart reads (`_namespace.<value>`). */
  readonly consumes: readonly InheritedValue[];
  /** Services whose provider the app depends on (shown in topology and explain). */
  readonly uses: readonly ClusterService[];
  /** Whether deleting the object deletes data. */
  readonly holdsData: boolean;
  /** The app's public host when it has one: `<release>.<tenant host>` unless `spec.host` is set. */
  readonly hasHost: boolean;
  readonly credentials: readonly CredentialTemplate[];
  readonly endpoints: readonly EndpointTemplate[];
  /** Chart releases (folders of `charts/`) whose data has this kind, newest first. */
  readonly chartReleases: readonly string[];
  /** The first v1 release serving the kind (`v1.0.0` for most; definitions.json `since`). */
  readonly since: string;
  /**
   * The kind v0.41.11 served for the same chart (`MySQL` for MariaDB), null when v0.41 had
   * none, undefined when the data does not say (definitions.json `v0Kind`).
   */
  readonly v0Kind?: string | null;
  /** Services the app needs from its providers, and what happens without them. */
  readonly needs: readonly ServiceNeed[];
  /**
   * Spec paths whose values are secrets the chart takes only inline (`*` for any key of a
   * map): they end up in plain text in the object and its HelmRelease.
   */
  readonly plaintext: readonly string[];
}

/**
 * A service an app needs from the tenant providing it (SPEC.md §3 "Service inheritance").
 * One generic rule reads these: a `refuse` need not met is an error at synth (the app can
 * never work), a `warn` need a warning (it runs, but something is never served).
 */
export interface ServiceNeed {
  readonly service: ClusterService;
  readonly effect: 'refuse' | 'warn';
  /** What the app does with the service, read before "of <provider>", e.g. `keeps its control-plane data in the etcd`. */
  readonly role: string;
  /** What happens without it; `{{ .release }}` stands for the app's release. */
  readonly consequence: string;
  /** A Gateway serves it as well: met when the gateway provider runs one. */
  readonly orGateway?: boolean;
  /** Only when every condition holds on the spec (paths below `spec`, e.g. `addons.monitoringAgents.enabled`). */
  readonly when?: ReadonlyArray<{ readonly path: string; readonly equals: string | boolean; readonly default?: string | boolean }>;
  /** Where the chart shows it (Cozystack v1.6.2 file:line). */
  readonly source: string;
}

/** The longest name an app of a kind may have: the release name must fit 53 characters. */
export function maxNameLength(def: KindDefinition): number {
  return RELEASE_NAME_MAX - def.releasePrefix.length;
}

/**
 * The Kube-OVN Vpc of a VirtualPrivateCloud: `vpc-` and the first 6 hex digits of
 * sha256(`<namespace>/<release>`) (packages/apps/vpc/templates/vpc.yaml:4).
 */
export function vpcId(namespace: string, release: string): string {
  return `vpc-${createHash('sha256').update(`${namespace}/${release}`).digest('hex').slice(0, 6)}`;
}

/**
 * The NetworkAttachmentDefinition (and Subnet) of one subnet of a VirtualPrivateCloud, the
 * network name VMs attach to: `subnet-` and the first 8 hex digits of
 * sha256(`<namespace>/<vpc id>/<subnet>`) (vpc.yaml:47).
 */
export function vpcSubnetId(namespace: string, vpc: string, subnet: string): string {
  return `subnet-${createHash('sha256').update(`${namespace}/${vpc}/${subnet}`).digest('hex').slice(0, 8)}`;
}

/** The HelmRelease Cozystack creates for an object of a kind. */
export function releaseName(def: KindDefinition, name: string): string {
  return def.fixedName ?? `${def.releasePrefix}${name}`;
}

/** A credential Secret of a kind, by the library's id for it. */
export function credentialOf(def: KindDefinition, id: string): CredentialTemplate {
  const c = def.credentials.find(x => x.id === id);
  if (!c) throw new Error(`The registry has no credential "${id}" for ${def.kind}.`);
  return c;
}

/** An endpoint of a kind, by the library's id for it. */
export function endpointOf(def: KindDefinition, id: string): EndpointTemplate {
  const e = def.endpoints.find(x => x.id === id);
  if (!e) throw new Error(`The registry has no endpoint "${id}" for ${def.kind}.`);
  return e;
}

/** Values a name template may use. */
export interface TemplateValues {
  readonly name: string;
  readonly namespace: string;
  readonly release?: string;
  readonly host?: string;
  readonly user?: string;
}

/**
 * Renders the small subset of Go templates the ApplicationDefinitions use:
 * `{{ .name }}`, `{{ .namespace }}`, `{{ slice .namespace N }}`, and ours: `{{ .release }}`,
 * `{{ .host }}`, `{{ .user }}`.
 */
export function renderTemplate(template: string, v: TemplateValues): string {
  const values = v as unknown as Record<string, string | undefined>;
  let out = '';
  for (const part of parsedTemplate(template)) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    const value = values[part.field];
    if (value === undefined && part.from === undefined) throw new Error(`Cannot render "${part.whole}" in the name template "${template}"`);
    out += part.from === undefined ? value : String(value ?? '').slice(part.from);
  }
  return out;
}

/** A template's literal text and its `{{ .field }}` / `{{ slice .field N }}` actions. */
type TemplatePart = string | { readonly field: string; readonly from?: number; readonly whole: string };

/** Parsed templates: the registry has a few dozen, rendered for every app of a platform. */
const PARSED_TEMPLATES = new Map<string, TemplatePart[]>();

function parsedTemplate(template: string): TemplatePart[] {
  let parts = PARSED_TEMPLATES.get(template);
  if (parts) return parts;
  parts = [];
  const re = /\{\{\s*([^}]*?)\s*\}\}/g;
  let last = 0;
  for (let m = re.exec(template); m; m = re.exec(template)) {
    if (m.index > last) parts.push(template.slice(last, m.index));
    const slice = /^slice\s+\.(\w+)\s+(\d+)$/.exec(m[1]);
    const field = /^\.(\w+)$/.exec(m[1]);
    if (slice) parts.push({ field: slice[1], from: Number(slice[2]), whole: m[0] });
    else if (field) parts.push({ field: field[1], whole: m[0] });
    else throw new Error(`Cannot render "${m[0]}" in the name template "${template}"`);
    last = m.index + m[0].length;
  }
  if (last < template.length) parts.push(template.slice(last));
  PARSED_TEMPLATES.set(template, parts);
  return parts;
}

/**
 * Facts the ApplicationDefinitions do not give: read in the charts' templates (v1.6.2).
 * Each cites the template it comes from (research notes: registry-facts.json, by chart);
 * `consumes` lists exactly the `_namespace` keys a chart's templates read.
 */
interface KindFacts {
  readonly role?: KindRole;
  readonly service?: ClusterService;
  readonly rootOnly?: boolean;
  readonly consumes?: readonly InheritedValue[];
  readonly uses?: readonly ClusterService[];
  readonly needs?: readonly ServiceNeed[];
  readonly plaintext?: readonly string[];
  readonly holdsData?: boolean;
  readonly hasHost?: boolean;
  /** Keys of the credential Secrets, by Secret template. */
  readonly secretKeys?: Readonly<Record<string, readonly string[]>>;
  readonly secretDescriptions?: Readonly<Record<string, string>>;
  /** Extra credentials the definition does not list by name (e.g. per-user Secrets matched by label). */
  readonly extraCredentials?: readonly CredentialTemplate[];
  /** Extra endpoints the definition does not list (Services the chart renders without exposing them by name). */
  readonly extraEndpoints?: readonly EndpointTemplate[];
  /** Names the definition lists that the chart spells differently (the chart wins), by the definition's template. */
  readonly rename?: Readonly<Record<string, string>>;
  /** Names the definition lists that no template of the chart creates. */
  readonly omit?: readonly string[];
  readonly endpointDescriptions?: Readonly<Record<string, string>>;
  /** Ids of Secrets and endpoints the library refers to, by template. */
  readonly ids?: Readonly<Record<string, string>>;
}

/** A per-user Secret key: one key per user of the spec. */
const PER_USER = '{{ .user }}';

// The monitoring provider's vmagent scrapes the namespaces labelled with it
// (packages/system/monitoring/templates/vm/vmagent.yaml:31-36); these charts ship scrape objects.
const SCRAPED: readonly ClusterService[] = [ClusterService.MONITORING];

const FACTS: Readonly<Record<string, KindFacts>> = {
  // packages/apps/tenant/templates/namespace.yaml:16-128 copies every parent value into the child's cozystack-values.
  Tenant: {
    role: 'tenant',
    consumes: ['host', 'etcd', 'ingress', 'gateway', 'monitoring', 'seaweedfs', 'schedulingClass'],
    holdsData: true,
  },
  Etcd: { role: 'module', service: ClusterService.ETCD, consumes: [], holdsData: true },
  Ingress: { role: 'module', service: ClusterService.INGRESS, consumes: [], holdsData: false },
  // grafana.yaml:252-254, alerta.yaml:195-206: Ingress class and host from _namespace.
  Monitoring: {
    role: 'module',
    service: ClusterService.MONITORING,
    consumes: ['host', 'ingress'],
    holdsData: true,
    secretKeys: { 'grafana-admin-password': ['user', 'password'] },
    secretDescriptions: { 'grafana-admin-password': 'Grafana admin sign-in' },
    ids: { 'grafana-admin-password': 'grafana-admin' },
  },
  // extra/seaweedfs/templates/seaweedfs.yaml:332-368: S3 Ingress host s3.<host>, class _namespace.ingress.
  SeaweedFS: {
    role: 'module',
    service: ClusterService.SEAWEEDFS,
    consumes: ['host', 'ingress'],
    uses: [ClusterService.INGRESS],
    holdsData: true,
    needs: [{
      service: ClusterService.INGRESS,
      effect: 'warn',
      role: 'publishes its S3 API through the ingress',
      consequence: 'the S3 host is never served outside the cluster (the Ingress gets an empty class)',
      source: 'packages/extra/seaweedfs/templates/seaweedfs.yaml:332-339',
    }],
  },
  // extra/bootbox/templates/matchbox/ingress.yaml:29-46: host bootbox.<host>, class _namespace.ingress.
  BootBox: {
    role: 'module',
    rootOnly: true,
    consumes: ['host', 'ingress'],
    uses: [ClusterService.INGRESS],
    holdsData: false,
    needs: [{
      service: ClusterService.INGRESS,
      effect: 'warn',
      role: 'serves its iPXE scripts and UI through the ingress',
      consequence: 'bootbox.<host> is never served, so machines cannot boot from it',
      source: 'packages/extra/bootbox/templates/matchbox/ingress.yaml:29-46, machines.yaml:40',
    }],
  },
  // Installed in every tenant by packages/apps/tenant/templates/info.yaml:1-29.
  Info: {
    role: 'module',
    consumes: [],
    holdsData: false,
    secretKeys: {
      // extra/info/templates/kubeconfig.yaml:10-41
      'kubeconfig-{{ .namespace }}': ['kubeconfig'],
      // extra/info/templates/serviceaccount.yaml:1-8: a service-account-token Secret.
      '{{ .namespace }}': ['token', 'ca.crt', 'namespace'],
    },
    secretDescriptions: {
      'kubeconfig-{{ .namespace }}': "kubeconfig of the tenant's namespace (signs in through the platform's OIDC)",
      '{{ .namespace }}': "token of the tenant's service account",
    },
    ids: { 'kubeconfig-{{ .namespace }}': 'kubeconfig', '{{ .namespace }}': 'service-account-token' },
  },
  Kubernetes: {
    // cluster.yaml:27,62,387,411-412; helmreleases/monitoring-agents.yaml:1,48,71.
    consumes: ['host', 'etcd', 'ingress', 'monitoring'],
    uses: [ClusterService.ETCD, ClusterService.INGRESS, ClusterService.MONITORING],
    needs: [
      {
        service: ClusterService.ETCD,
        effect: 'refuse',
        role: 'keeps its control-plane data in the etcd',
        consequence: 'Cozystack would render only a "{{ .release }}-awaiting-etcd" ConfigMap and wait forever',
        source: 'packages/apps/kubernetes/templates/cluster.yaml:191-207',
      },
      {
        service: ClusterService.INGRESS,
        effect: 'warn',
        role: 'publishes its API server through the ingress',
        consequence: 'its API host is never served (the KamajiControlPlane ingress gets an empty class)',
        source: 'packages/apps/kubernetes/templates/cluster.yaml:411-412',
      },
      {
        service: ClusterService.INGRESS,
        effect: 'warn',
        role: 'routes the hosts of its ingress-nginx addon (exposeMethod Proxied) through the ingress',
        consequence: 'those hosts (addons.ingressNginx.hosts, and the hosts of Ingresses added to the cluster) are never served',
        when: [{ path: 'addons.ingressNginx.enabled', equals: true }, { path: 'addons.ingressNginx.exposeMethod', equals: 'Proxied', default: 'Proxied' }],
        source: 'packages/apps/kubernetes/templates/ingress.yaml:1,23',
      },
      {
        service: ClusterService.MONITORING,
        effect: 'warn',
        role: 'sends the metrics and logs of its monitoring agents to the monitoring',
        consequence: 'the agents push to a service that does not exist and the data is dropped',
        when: [{ path: 'addons.monitoringAgents.enabled', equals: true }],
        source: 'packages/apps/kubernetes/templates/helmreleases/monitoring-agents.yaml:48',
      },
    ],
    holdsData: true,
    hasHost: true,
    secretKeys: {
      'kubernetes-{{ .name }}-admin-kubeconfig': ['super-admin.conf', 'super-admin.svc'],
      'kubernetes-{{ .name }}-oidc-kubeconfig': ['kubeconfig'],
    },
    secretDescriptions: {
      'kubernetes-{{ .name }}-admin-kubeconfig': 'admin kubeconfig of the tenant cluster',
      'kubernetes-{{ .name }}-oidc-kubeconfig': 'kubeconfig that signs in through OIDC (oidc.mode System)',
    },
    ids: { 'kubernetes-{{ .name }}-admin-kubeconfig': 'admin-kubeconfig', 'kubernetes-{{ .name }}-oidc-kubeconfig': 'oidc-kubeconfig' },
  },
  Postgres: {
    // db.yaml:25: only the external TLS name reads _namespace.host.
    consumes: ['host'],
    uses: SCRAPED,
    holdsData: true,
    hasHost: true,
    secretKeys: { 'postgres-{{ .name }}-credentials': [PER_USER] },
    secretDescriptions: { 'postgres-{{ .name }}-credentials': 'one password per user of the spec' },
    ids: {
      'postgres-{{ .name }}-credentials': 'credentials',
      'postgres-{{ .name }}-rw': 'rw',
      'postgres-{{ .name }}-ro': 'ro',
      'postgres-{{ .name }}-r': 'r',
      'postgres-{{ .name }}-external-write': 'external-write',
    },
    endpointDescriptions: {
      'postgres-{{ .name }}-rw': 'read-write (the primary)',
      'postgres-{{ .name }}-ro': 'read-only (replicas)',
      'postgres-{{ .name }}-r': 'any instance',
      'postgres-{{ .name }}-external-write': 'the primary from outside the cluster (with external: true)',
    },
  },
  Redis: {
    consumes: [],
    uses: SCRAPED,
    holdsData: true,
    // redisfailover.yaml:1-14 (with authEnabled).
    secretKeys: { 'redis-{{ .name }}-auth': ['password'] },
    secretDescriptions: { 'redis-{{ .name }}-auth': 'the password (with authEnabled)' },
    ids: {
      'redis-{{ .name }}-auth': 'auth',
      'rfs-redis-{{ .name }}': 'sentinel',
      'rfrm-redis-{{ .name }}': 'master',
      'rfrs-redis-{{ .name }}': 'replicas',
      'redis-{{ .name }}-external-lb': 'external',
    },
    endpointDescriptions: {
      'rfs-redis-{{ .name }}': 'Redis Sentinel',
      'rfrm-redis-{{ .name }}': 'the master',
      'rfrs-redis-{{ .name }}': 'the replicas',
      'redis-{{ .name }}-external-lb': 'the master from outside the cluster (with external: true)',
    },
  },
  Bucket: {
    // bucketclaim.yaml:1-20 (BucketClass <seaweedfs ns>); system chart ingress.yaml, httproute.yaml, deployment.yaml:1.
    consumes: ['host', 'seaweedfs', 'ingress', 'gateway'],
    uses: [ClusterService.SEAWEEDFS, ClusterService.INGRESS],
    needs: [
      {
        service: ClusterService.SEAWEEDFS,
        effect: 'refuse',
        role: 'stores its objects in the SeaweedFS',
        consequence: 'the BucketClaim names a BucketClass nobody serves, so the bucket and its credentials are never created',
        source: 'packages/apps/bucket/templates/bucketclaim.yaml:10',
      },
      {
        service: ClusterService.INGRESS,
        effect: 'warn',
        orGateway: true,
        role: 'publishes its web console through the ingress',
        consequence: 'the console host {{ .release }}.<tenant host> is never served',
        source: 'packages/system/bucket/templates/ingress.yaml:2-7',
      },
    ],
    holdsData: true,
    hasHost: true,
    // The definition lists bucket-<name>-credentials, which no v1.6.2 template creates; the
    // per-user Secrets (system user-credentials.yaml:37-56) are matched by label instead.
    omit: ['bucket-{{ .name }}-credentials'],
    extraCredentials: [{
      id: 'user-credentials',
      secret: 'bucket-{{ .name }}-{{ .user }}-credentials',
      keys: ['accessKey', 'secretKey', 'endpoint', 'bucketName'],
      description: 'S3 credentials of one user of the spec',
    }],
    ids: { 'bucket-{{ .name }}-ui': 'ui' },
    endpointDescriptions: { 'bucket-{{ .name }}-ui': 'the web console' },
  },
  ClickHouse: {
    consumes: [],
    plaintext: ['users.*.password', 'backup.s3AccessKey', 'backup.s3SecretKey', 'backup.resticPassword'],
    uses: SCRAPED,
    holdsData: true,
    // clickhouse.yaml:1-28: one key per user plus the chart's own backup user.
    secretKeys: { 'clickhouse-{{ .name }}-credentials': [PER_USER, 'backup'] },
    secretDescriptions: { 'clickhouse-{{ .name }}-credentials': 'one password per user of the spec' },
    ids: { 'clickhouse-{{ .name }}-credentials': 'credentials', 'chendpoint-clickhouse-{{ .name }}': 'clickhouse' },
    endpointDescriptions: { 'chendpoint-clickhouse-{{ .name }}': 'HTTP (8123) and native (9000) protocol' },
  },
  // Provider credentials are inline values (external-dns.yaml:48-120); no Secret, no endpoint.
  ExternalDNS: {
    consumes: [],
    holdsData: false,
    plaintext: [
      'cloudflare.apiToken', 'cloudflare.apiKey', 'aws.secretAccessKey', 'azure.aadClientSecret', 'google.serviceAccountKey',
      'digitalocean.token', 'linode.token', 'ovh.applicationSecret', 'ovh.consumerKey', 'exoscale.apiSecret', 'godaddy.apiSecret',
    ],
  },
  // No Service: clients use the cluster file the operator writes.
  FoundationDB: { consumes: [], holdsData: true, plaintext: ['backup.s3.credentials.accessKeyId', 'backup.s3.credentials.secretAccessKey'] },
  Harbor: {
    // ingress.yaml:4,31; httproute.yaml:3; bucket.yaml:1-19.
    consumes: ['host', 'ingress', 'gateway', 'seaweedfs'],
    uses: [ClusterService.SEAWEEDFS, ClusterService.INGRESS],
    needs: [
      {
        service: ClusterService.SEAWEEDFS,
        effect: 'refuse',
        role: 'stores its registry in a bucket of the SeaweedFS',
        consequence: 'the registry bucket is never provisioned and {{ .release }}-system waits for it forever',
        source: 'packages/apps/harbor/templates/bucket.yaml:1-19, harbor.yaml:114-116',
      },
      {
        service: ClusterService.INGRESS,
        effect: 'warn',
        orGateway: true,
        role: 'publishes its web UI and registry through the ingress',
        consequence: 'its host is never served',
        source: 'packages/apps/harbor/templates/ingress.yaml:31',
      },
    ],
    holdsData: true,
    hasHost: true,
    // The definition's names lack the release prefix the chart uses (harbor.yaml:68,134-137; ingress.yaml:13).
    rename: {
      '{{ .name }}-credentials': 'harbor-{{ .name }}-credentials',
      '{{ .name }}': 'harbor-{{ .name }}',
      '{{ .name }}-ingress': 'harbor-{{ .name }}-ingress',
    },
    secretKeys: { 'harbor-{{ .name }}-credentials': ['admin-password', 'redis-password', 'url'] },
    secretDescriptions: { 'harbor-{{ .name }}-credentials': 'the admin password and the registry URL' },
    ids: { 'harbor-{{ .name }}-credentials': 'credentials', 'harbor-{{ .name }}': 'harbor', 'harbor-{{ .name }}-ingress': 'ingress' },
  },
  HTTPCache: {
    consumes: [],
    uses: SCRAPED,
    holdsData: false,
    extraEndpoints: [{ id: 'haproxy', name: 'http-cache-{{ .name }}-haproxy', kind: 'service', description: 'the cache (port 80)' }],
  },
  Kafka: {
    consumes: [],
    uses: SCRAPED,
    holdsData: true,
    // Strimzi CA certificates (definition kafka.yaml:32-34); listeners have no authentication.
    secretKeys: { 'kafka-{{ .name }}-clients-ca-cert': ['ca.crt'], 'kafka-{{ .name }}-cluster-ca-cert': ['ca.crt'] },
    secretDescriptions: {
      'kafka-{{ .name }}-clients-ca-cert': 'CA certificate of the clients',
      'kafka-{{ .name }}-cluster-ca-cert': 'CA certificate of the brokers (for TLS clients)',
    },
    ids: {
      'kafka-{{ .name }}-clients-ca-cert': 'clients-ca',
      'kafka-{{ .name }}-cluster-ca-cert': 'cluster-ca',
      'kafka-{{ .name }}-kafka-bootstrap': 'bootstrap',
    },
    endpointDescriptions: { 'kafka-{{ .name }}-kafka-bootstrap': 'bootstrap servers (9092 plain, 9093 TLS)' },
  },
  // The parent cluster is a reference (spec.cluster), not an inherited service (_helpers.tpl:61-66).
  KubernetesNodes: { consumes: [], holdsData: false },
  MariaDB: {
    consumes: [],
    plaintext: ['users.*.password', 'backup.s3AccessKey', 'backup.s3SecretKey', 'backup.resticPassword'],
    holdsData: true,
    // secret.yaml:10-31: one key per user plus root.
    secretKeys: { 'mariadb-{{ .name }}-credentials': [PER_USER, 'root'] },
    secretDescriptions: { 'mariadb-{{ .name }}-credentials': 'one password per user of the spec, and root' },
    ids: {
      'mariadb-{{ .name }}-credentials': 'credentials',
      'mariadb-{{ .name }}': 'mariadb',
      'mariadb-{{ .name }}-primary': 'primary',
      'mariadb-{{ .name }}-secondary': 'secondary',
    },
  },
  MongoDB: {
    consumes: [],
    plaintext: ['users.*.password', 'backup.s3AccessKey', 'backup.s3SecretKey'],
    holdsData: true,
    // credentials.yaml:12-34; user-secrets.yaml:1-17.
    secretKeys: { 'mongodb-{{ .name }}-credentials': ['username', 'password', 'host', 'port', 'uri'] },
    secretDescriptions: { 'mongodb-{{ .name }}-credentials': 'the database admin and a connection URI' },
    extraCredentials: [{
      id: 'user', secret: 'mongodb-{{ .name }}-user-{{ .user }}', keys: ['password'], description: 'the password of one user of the spec',
    }],
    ids: {
      'mongodb-{{ .name }}-credentials': 'credentials',
      'mongodb-{{ .name }}-rs0': 'replicaset',
      'mongodb-{{ .name }}-mongos': 'mongos',
      'mongodb-{{ .name }}-external': 'external',
    },
  },
  NATS: {
    // certmanager.yaml:70-75: with external and TLS the host is required(); every tenant of the
    // library has a host (the platform's is required), so the chart never fails on it.
    consumes: ['host'],
    plaintext: ['users.*.password'],
    holdsData: true,
    hasHost: true,
    secretKeys: { 'nats-{{ .name }}-credentials': [PER_USER] },
    secretDescriptions: { 'nats-{{ .name }}-credentials': 'one password per user of the spec' },
    ids: { 'nats-{{ .name }}-credentials': 'credentials', 'nats-{{ .name }}': 'nats' },
    endpointDescriptions: { 'nats-{{ .name }}': 'clients (4222)' },
  },
  // Unseal keys and the root token come from a manual init: no Secret.
  OpenBAO: {
    consumes: [],
    holdsData: true,
    ids: { 'openbao-{{ .name }}': 'openbao', 'openbao-{{ .name }}-internal': 'internal' },
  },
  OpenSearch: {
    consumes: [],
    plaintext: ['users.*.password'],
    holdsData: true,
    // security.yaml:9-20,101-120; users.yaml:1-20.
    secretKeys: { 'opensearch-{{ .name }}-credentials': ['username', 'password', 'host', 'port', 'uri'] },
    secretDescriptions: { 'opensearch-{{ .name }}-credentials': 'the admin user and a connection URI' },
    extraCredentials: [{
      id: 'user',
      secret: 'opensearch-{{ .name }}-user-{{ .user }}',
      keys: ['username', 'password', 'roles'],
      description: 'basic-auth credentials of one user of the spec',
    }],
    ids: {
      'opensearch-{{ .name }}-credentials': 'credentials',
      'opensearch-{{ .name }}': 'opensearch',
      'opensearch-{{ .name }}-external': 'external',
      'opensearch-{{ .name }}-dashboards': 'dashboards',
      'opensearch-{{ .name }}-dashboards-external': 'dashboards-external',
    },
  },
  Qdrant: {
    consumes: ['host'],
    holdsData: true,
    hasHost: true,
    // The upstream chart's secret.yaml:5 (apiKey: true at qdrant.yaml:29).
    secretKeys: { 'qdrant-{{ .name }}-apikey': ['api-key'] },
    secretDescriptions: { 'qdrant-{{ .name }}-apikey': 'the API key' },
    ids: { 'qdrant-{{ .name }}-apikey': 'apikey', 'qdrant-{{ .name }}': 'qdrant', 'qdrant-{{ .name }}-headless': 'headless' },
  },
  RabbitMQ: {
    consumes: [],
    plaintext: ['users.*.password'],
    holdsData: true,
    // The operator's default user; rabbitmq.yaml:56-66 one Secret per user (kebab-cased).
    secretKeys: { 'rabbitmq-{{ .name }}-default-user': ['username', 'password'] },
    secretDescriptions: { 'rabbitmq-{{ .name }}-default-user': 'the default (admin) user' },
    extraCredentials: [{
      id: 'user',
      secret: 'rabbitmq-{{ .name }}-{{ .user }}-credentials',
      keys: ['username', 'password'],
      description: 'one user of the spec',
    }],
    ids: { 'rabbitmq-{{ .name }}-default-user': 'default-user', 'rabbitmq-{{ .name }}': 'rabbitmq' },
  },
  TCPBalancer: {
    consumes: [],
    holdsData: false,
    extraEndpoints: [{ id: 'haproxy', name: 'tcp-balancer-{{ .name }}-haproxy', kind: 'service', description: 'the balancer' }],
  },
  VirtualPrivateCloud: { consumes: [], holdsData: false },
  VMDisk: { consumes: [], holdsData: true },
  VMInstance: {
    consumes: [],
    holdsData: false,
    extraEndpoints: [{ id: 'vm', name: 'vm-instance-{{ .name }}', kind: 'service', description: 'the VM (a LoadBalancer with external: true)' }],
  },
  VPN: {
    // secret.yaml:64: access URLs point at spec.host or vpn-<name>.<host>.
    consumes: ['host'],
    plaintext: ['users.*.password'],
    holdsData: false,
    hasHost: true,
    secretKeys: { 'vpn-{{ .name }}-urls': [PER_USER] },
    secretDescriptions: { 'vpn-{{ .name }}-urls': 'one ss:// access URL per user of the spec' },
    ids: { 'vpn-{{ .name }}-urls': 'urls', 'vpn-{{ .name }}-vpn': 'vpn' },
    endpointDescriptions: { 'vpn-{{ .name }}-vpn': 'the Shadowsocks server (40000 TCP and UDP)' },
  },
};

/** One entry of `charts/<release>/definitions.json`. */
interface DefinitionData {
  readonly kind: string;
  readonly plural: string;
  readonly chart: string;
  readonly releasePrefix: string;
  readonly module: boolean;
  readonly secrets?: { readonly include?: ReadonlyArray<{ readonly resourceNames?: string[] }> } | null;
  readonly services?: { readonly include?: ReadonlyArray<{ readonly resourceNames?: string[] }> } | null;
  readonly ingresses?: { readonly include?: ReadonlyArray<{ readonly resourceNames?: string[] }> } | null;
  readonly since?: string;
  readonly v0Kind?: string | null;
}

/** Where `charts/` is: beside `src/` in the repository and beside `lib/` in the package. */
const CHARTS_DIR = path.resolve(__dirname, '..', '..', 'charts');
/** Chart releases whose definitions the registry reads, newest first. */
const RELEASES = ['v1.6.2', 'v0.41.11'];

function names(list: DefinitionData['secrets']): string[] {
  return (list?.include ?? []).flatMap(e => e.resourceNames ?? []);
}

function definitionOf(d: DefinitionData, releases: string[]): KindDefinition {
  const f = FACTS[d.kind] ?? {};
  const role: KindRole = f.role ?? (d.module ? 'module' : 'app');
  const listed = (list: DefinitionData['secrets']) => names(list).filter(n => !(f.omit ?? []).includes(n)).map(n => f.rename?.[n] ?? n);
  const credentials: CredentialTemplate[] = listed(d.secrets).map(secret => ({
    id: f.ids?.[secret] ?? secret,
    secret,
    keys: f.secretKeys?.[secret] ?? [],
    description: f.secretDescriptions?.[secret] ?? 'credentials',
  }));
  credentials.push(...(f.extraCredentials ?? []));
  const endpoints: EndpointTemplate[] = [
    ...listed(d.services).map(n => ({ id: f.ids?.[n] ?? n, name: n, kind: 'service' as const, description: f.endpointDescriptions?.[n] ?? 'Service' })),
    ...(f.extraEndpoints ?? []),
    ...listed(d.ingresses).map(n => ({ id: f.ids?.[n] ?? n, name: n, kind: 'ingress' as const, description: f.endpointDescriptions?.[n] ?? 'Ingress' })),
  ];
  if (f.hasHost) endpoints.unshift({ id: 'host', name: '{{ .host }}', kind: 'host', description: 'public host' });
  return {
    kind: d.kind,
    plural: d.plural,
    chart: d.chart,
    releasePrefix: d.releasePrefix,
    role,
    fixedName: role === 'module' ? d.chart : undefined,
    service: f.service,
    rootOnly: f.rootOnly,
    consumes: f.consumes ?? ['host'],
    // Frozen: every app of the kind shares this list in the bundle's topology.
    uses: Object.freeze([...f.uses ?? []]),
    needs: f.needs ?? [],
    plaintext: f.plaintext ?? [],
    holdsData: f.holdsData ?? true,
    hasHost: f.hasHost ?? false,
    credentials,
    endpoints,
    chartReleases: releases,
    since: d.since ?? 'v1.0.0',
    v0Kind: d.v0Kind,
  };
}

/**
 * A set of kind definitions. {@link REGISTRY} holds Cozystack's; a copy with more
 * kinds can be made with {@link KindRegistry.with} (e.g. for a kind of a newer release).
 */
export class KindRegistry {
  /** The registry of the chart data this library carries. */
  public static load(chartsDir: string = CHARTS_DIR): KindRegistry {
    const byKind = new Map<string, { data: DefinitionData; releases: string[] }>();
    for (const release of RELEASES) {
      const file = path.join(chartsDir, release, 'definitions.json');
      const defs = JSON.parse(fs.readFileSync(file, 'utf8')).definitions as DefinitionData[];
      for (const d of defs) {
        const known = byKind.get(d.kind);
        if (known) known.releases.push(release);
        else byKind.set(d.kind, { data: d, releases: [release] });
      }
    }
    return new KindRegistry([...byKind.values()].map(({ data, releases }) => definitionOf(data, releases)));
  }

  private readonly byKind = new Map<string, KindDefinition>();

  public constructor(definitions: readonly KindDefinition[]) {
    for (const d of definitions) this.byKind.set(d.kind, d);
  }

  /** Every kind, sorted by name. */
  public all(): KindDefinition[] {
    return [...this.byKind.values()].sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
  }

  /** The kind, or undefined. */
  public tryGet(kind: string): KindDefinition | undefined {
    return this.byKind.get(kind);
  }

  /** The kind; throws for a kind the registry does not have. */
  public get(kind: string): KindDefinition {
    const d = this.byKind.get(kind);
    if (!d) throw new Error(`Unknown Cozystack kind "${kind}": the registry has ${[...this.byKind.keys()].join(', ')}.`);
    return d;
  }

  /** The module kind that a tenant flag runs. */
  public moduleOf(service: ClusterService): KindDefinition {
    const d = [...this.byKind.values()].find(k => k.service === service);
    if (!d) throw new Error(`No module kind runs the service "${service}".`);
    return d;
  }

  /** A copy with more (or replaced) kinds. */
  public with(...definitions: KindDefinition[]): KindRegistry {
    return new KindRegistry([...this.byKind.values(), ...definitions]);
  }
}

/** Cozystack's kinds, from the chart data this library carries. */
export const REGISTRY: KindRegistry = KindRegistry.load();

/**
 * What the bundle records of one app: names derived from its kind, computed once at synth.
 * Each credential and endpoint carries the `id` of the template it was rendered from, so
 * that `topology.json` can state a template's description once per kind; a per-user
 * template gives several entries with the same id.
 */
export interface DerivedNames {
  readonly release: string;
  readonly credentials: Array<{ readonly id: string; readonly secret: string; readonly keys: string[]; readonly description: string }>;
  readonly endpoints: Array<{ readonly id: string; readonly name: string; readonly kind: string; readonly description: string }>;
}

/**
 * The release, credential Secrets and endpoints of an object of a kind.
 * @param users for per-user Secret keys: the users of the spec
 */
export function deriveNames(
  def: KindDefinition, name: string, namespace: string, host: string | undefined, users: readonly string[] = [],
): DerivedNames {
  const release = releaseName(def, name);
  const v: TemplateValues = { name, namespace, release, host };
  const perUser = (t: string) => /\{\{\s*\.user\s*\}\}/.test(t);
  return {
    release,
    // A Secret named after a user is one Secret per user; a key named after a user, one key per user.
    credentials: def.credentials.flatMap(c => (perUser(c.secret) ? users.map(user => ({ ...v, user })) : [v]).map(sv => ({
      id: c.id,
      secret: renderTemplate(c.secret, sv),
      keys: c.keys.flatMap(k => (perUser(k) ? users.map(user => renderTemplate(k, { ...sv, user })) : [renderTemplate(k, sv)])),
      description: c.description,
    }))),
    endpoints: def.endpoints
      .filter(e => e.kind !== 'host' || host !== undefined)
      .map(e => ({ id: e.id, name: renderTemplate(e.name, v), kind: e.kind, description: e.description })),
  };
}
