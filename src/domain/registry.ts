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
  /** The kind's name in older Cozystack lines, by chart release, where it differed. */
  readonly formerNames?: Readonly<Record<string, string>>;
}

/** The longest name an app of a kind may have: the release name must fit 53 characters. */
export function maxNameLength(def: KindDefinition): number {
  return RELEASE_NAME_MAX - def.releasePrefix.length;
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
  return template.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (whole, expr: string) => {
    const slice = /^slice\s+\.(\w+)\s+(\d+)$/.exec(expr);
    if (slice) return String((v as unknown as Record<string, string>)[slice[1]] ?? '').slice(Number(slice[2]));
    const field = /^\.(\w+)$/.exec(expr);
    if (field) {
      const value = (v as unknown as Record<string, string | undefined>)[field[1]];
      if (value !== undefined) return value;
    }
    throw new Error(`Cannot render "${whole}" in the name template "${template}"`);
  });
}

/** Facts the ApplicationDefinitions do not give: read in the charts' templates (v1.6.2). */
interface KindFacts {
  readonly role?: KindRole;
  readonly service?: ClusterService;
  readonly rootOnly?: boolean;
  readonly consumes?: readonly InheritedValue[];
  readonly uses?: readonly ClusterService[];
  readonly holdsData?: boolean;
  readonly hasHost?: boolean;
  /** Keys of the definition's credential Secrets, by Secret template. */
  readonly secretKeys?: Readonly<Record<string, readonly string[]>>;
  readonly secretDescriptions?: Readonly<Record<string, string>>;
  /** Extra credentials the definition does not list by name (e.g. per-user Secrets matched by label). */
  readonly extraCredentials?: readonly CredentialTemplate[];
  readonly endpointDescriptions?: Readonly<Record<string, string>>;
  /** Ids of Secrets and endpoints the library refers to, by template. */
  readonly ids?: Readonly<Record<string, string>>;
  readonly formerNames?: Readonly<Record<string, string>>;
}

const FACTS: Readonly<Record<string, KindFacts>> = {
  Tenant: {
    role: 'tenant',
    consumes: ['host', 'etcd', 'ingress', 'gateway', 'monitoring', 'seaweedfs', 'schedulingClass'],
    holdsData: true,
  },
  Etcd: { role: 'module', service: ClusterService.ETCD, consumes: [], holdsData: true },
  Ingress: { role: 'module', service: ClusterService.INGRESS, consumes: ['host'], holdsData: false },
  Monitoring: { role: 'module', service: ClusterService.MONITORING, consumes: ['host', 'ingress'], holdsData: true },
  SeaweedFS: { role: 'module', service: ClusterService.SEAWEEDFS, consumes: ['host', 'ingress'], holdsData: true },
  BootBox: { role: 'module', rootOnly: true, consumes: ['host'], holdsData: false },
  Info: { role: 'module', consumes: ['host'], holdsData: false },
  Kubernetes: {
    consumes: ['host', 'etcd', 'ingress', 'monitoring', 'schedulingClass'],
    uses: [ClusterService.ETCD, ClusterService.INGRESS, ClusterService.MONITORING],
    holdsData: true,
    hasHost: true,
    secretKeys: {
      'kubernetes-{{ .name }}-admin-kubeconfig': ['super-admin.conf', 'super-admin.svc'],
      'kubernetes-{{ .name }}-oidc-kubeconfig': [],
    },
    secretDescriptions: {
      'kubernetes-{{ .name }}-admin-kubeconfig': 'admin kubeconfig of the tenant cluster',
      'kubernetes-{{ .name }}-oidc-kubeconfig': 'kubeconfig that signs in through OIDC',
    },
    ids: { 'kubernetes-{{ .name }}-admin-kubeconfig': 'admin-kubeconfig', 'kubernetes-{{ .name }}-oidc-kubeconfig': 'oidc-kubeconfig' },
  },
  Postgres: {
    consumes: ['host', 'ingress', 'monitoring', 'schedulingClass'],
    uses: [ClusterService.INGRESS, ClusterService.MONITORING],
    holdsData: true,
    hasHost: true,
    secretKeys: { 'postgres-{{ .name }}-credentials': ['{{ .user }}'] },
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
    consumes: ['host', 'monitoring', 'schedulingClass'], uses: [ClusterService.MONITORING], holdsData: true,
    secretKeys: { 'redis-{{ .name }}-auth': ['password'] },
  },
  Bucket: {
    consumes: ['host', 'seaweedfs'], uses: [ClusterService.SEAWEEDFS], holdsData: true,
    secretKeys: { 'bucket-{{ .name }}-credentials': ['accessKey', 'secretKey', 'endpoint'] },
  },
  MariaDB: { uses: [ClusterService.MONITORING], holdsData: true, formerNames: { 'v0.41.11': 'MySQL' } },
  ClickHouse: { uses: [ClusterService.MONITORING], holdsData: true },
  FoundationDB: { uses: [ClusterService.MONITORING], holdsData: true },
  Harbor: { uses: [ClusterService.INGRESS, ClusterService.SEAWEEDFS], holdsData: true },
  Kafka: { uses: [ClusterService.MONITORING], holdsData: true },
  MongoDB: { uses: [ClusterService.MONITORING], holdsData: true },
  NATS: { uses: [ClusterService.MONITORING], holdsData: true },
  OpenBAO: { uses: [ClusterService.MONITORING], holdsData: true },
  OpenSearch: { uses: [ClusterService.MONITORING], holdsData: true },
  Qdrant: { uses: [ClusterService.MONITORING], holdsData: true },
  RabbitMQ: { uses: [ClusterService.MONITORING], holdsData: true },
  VMDisk: { holdsData: true },
  VMInstance: { holdsData: false },
  KubernetesNodes: { holdsData: false },
  VirtualPrivateCloud: { holdsData: false },
  HTTPCache: { uses: [ClusterService.INGRESS], holdsData: false },
  TCPBalancer: { holdsData: false },
  ExternalDNS: { holdsData: false },
  VPN: { holdsData: false },
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
  const credentials: CredentialTemplate[] = names(d.secrets).map(secret => ({
    id: f.ids?.[secret] ?? secret,
    secret,
    keys: f.secretKeys?.[secret] ?? [],
    description: f.secretDescriptions?.[secret] ?? 'credentials',
  }));
  credentials.push(...(f.extraCredentials ?? []));
  const endpoints: EndpointTemplate[] = [
    ...names(d.services).map(n => ({ id: f.ids?.[n] ?? n, name: n, kind: 'service' as const, description: f.endpointDescriptions?.[n] ?? 'Service' })),
    ...names(d.ingresses).map(n => ({ id: f.ids?.[n] ?? n, name: n, kind: 'ingress' as const, description: f.endpointDescriptions?.[n] ?? 'Ingress' })),
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
    uses: f.uses ?? [],
    holdsData: f.holdsData ?? true,
    hasHost: f.hasHost ?? false,
    credentials,
    endpoints,
    chartReleases: releases,
    formerNames: f.formerNames,
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

/** What the bundle records of one app: names derived from its kind, computed once at synth. */
export interface DerivedNames {
  readonly release: string;
  readonly credentials: Array<{ readonly secret: string; readonly keys: string[]; readonly description: string }>;
  readonly endpoints: Array<{ readonly name: string; readonly kind: string; readonly description: string }>;
}

/**
 * The release, credential Secrets and endpoints of an object of a kind.
 * @param users for per-user Secret keys: the users of the spec
 */
export function deriveNames(def: KindDefinition, name: string, namespace: string, host: string | undefined, users: readonly string[] = []): DerivedNames {
  const release = releaseName(def, name);
  const v: TemplateValues = { name, namespace, release, host };
  return {
    release,
    credentials: def.credentials.map(c => ({
      secret: renderTemplate(c.secret, v),
      keys: c.keys.flatMap(k => (k.includes('{{ .user }}') ? users.map(user => renderTemplate(k, { ...v, user })) : [renderTemplate(k, v)])),
      description: c.description,
    })),
    endpoints: def.endpoints
      .filter(e => e.kind !== 'host' || host !== undefined)
      .map(e => ({ name: renderTemplate(e.name, v), kind: e.kind, description: e.description })),
  };
}
