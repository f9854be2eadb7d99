/**
 * Every naming limit, pattern and error text of the library, in one place.
 *
 * Each rule is the one Cozystack (or Kubernetes under it) applies on the server;
 * SPEC references are to the project's domain reference. A message says what is
 * wrong, the rule, and the fix. The construct path is added by cdk8s's validation
 * report (`[platform/foo] ...`).
 */
import { maxNameLength, REGISTRY, releaseName, ROOT_NAMESPACE } from './registry';

/** Numeric limits. @internal */
export const LIMITS = {
  /** `tenant-` + name must fit the 53 characters of a Helm release name. */
  TENANT_NAME_MAX: maxNameLength(REGISTRY.get('Tenant')),
  /** Kubernetes namespace names are DNS-1123 labels. */
  NAMESPACE_MAX: 63,
  /** The tenant host is written into the namespace label `namespace.cozystack.io/host`. */
  LABEL_VALUE_MAX: 63,
  /** `kubernetes-` + name must fit a Helm release name (53). */
  KUBERNETES_NAME_MAX: maxNameLength(REGISTRY.get('Kubernetes')),
  /** `postgres-` + name, plus the suffixes CloudNativePG appends. */
  POSTGRES_NAME_MAX: maxNameLength(REGISTRY.get('Postgres')),
  DNS_SUBDOMAIN_MAX: 253,
  DNS_LABEL_MAX: 63,
} as const;

/** Patterns. @internal */
export const PATTERNS = {
  TENANT_NAME: /^[a-z][a-z0-9]*$/,
  DNS1035_LABEL: /^[a-z]([-a-z0-9]*[a-z0-9])?$/,
  DNS1123_LABEL: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
  LABEL_VALUE: /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/,
} as const;

/** Postgres user name Cozystack reserves for the superuser. @internal */
export const RESERVED_POSTGRES_USER = 'postgres';

/** `postgresql.parameters` the postgres chart refuses (they run code or load libraries). @internal */
export const BLOCKED_POSTGRES_PARAMETERS: readonly string[] = [
  'archive_command',
  'restore_command',
  'ssl_passphrase_command',
  'archive_cleanup_command',
  'recovery_end_command',
  'dynamic_library_path',
  'local_preload_libraries',
  'session_preload_libraries',
  'shared_preload_libraries',
];

/** Why a DNS name is not valid, or undefined when it is. @internal */
export function dnsSubdomainProblem(host: string): string | undefined {
  if (host.length === 0) return 'it is empty';
  if (host.length > LIMITS.DNS_SUBDOMAIN_MAX) return `it has ${host.length} characters (at most ${LIMITS.DNS_SUBDOMAIN_MAX})`;
  for (const label of host.split('.')) {
    if (label.length > LIMITS.DNS_LABEL_MAX) return `its label "${label}" has ${label.length} characters (at most ${LIMITS.DNS_LABEL_MAX})`;
    if (!PATTERNS.DNS1123_LABEL.test(label)) return `its label "${label}" is not a lowercase DNS label (a-z, 0-9 and "-", starting and ending with a letter or digit)`;
  }
  return undefined;
}

/** A lowercase DNS-1035 suggestion derived from a rejected name. @internal */
export function suggestDns1035(name: string, max: number): string {
  let s = name.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^[^a-z]+/, '').slice(0, max).replace(/-+$/, '');
  return s.length > 0 ? s : 'app1';
}

/** A tenant-name suggestion derived from a rejected name. @internal */
export function suggestTenantName(name: string): string {
  const s = name.toLowerCase().replace(/[^a-z0-9]/g, '').replace(/^[0-9]+/, '').slice(0, LIMITS.TENANT_NAME_MAX);
  return s.length > 0 ? s : 'tenant1';
}

/**
 * The error texts. One function per rule; each returns the whole message.
 * @internal
 */
export const MESSAGES = {
  tenantNamePattern: (name: string) =>
    `Tenant name "${name}" is invalid: Cozystack tenant names match ^[a-z][a-z0-9]*$ (lowercase letters and digits, starting with a letter; no dashes, which separate levels in namespaces). Rename it, e.g. "${suggestTenantName(name)}".`,
  tenantNameLength: (name: string) =>
    `Tenant name "${name}" has ${name.length} characters: "tenant-" + name must fit a 53-character Helm release name, so names have at most ${LIMITS.TENANT_NAME_MAX}. Shorten it.`,
  tenantNameReserved: (name: string) =>
    `Tenant name "${name}" is reserved: "root" is the platform's pre-existing tenant-root. Use RootTenant for it, or pick another name.`,
  namespaceLength: (ns: string) =>
    `The computed namespace "${ns}" has ${ns.length} characters: Kubernetes namespaces have at most ${LIMITS.NAMESPACE_MAX} (a tenant's namespace is its parent's namespace + "-" + its name). Shorten this tenant's or its ancestors' names, or nest less deeply.`,
  hostLabelValue: (host: string, why: string) =>
    `Tenant host "${host}" cannot be stored: Cozystack writes it into the namespace label namespace.cozystack.io/host, whose values have at most ${LIMITS.LABEL_VALUE_MAX} characters (${why}). Set a shorter host on this tenant or an ancestor (host: "..."), or shorten the tenant names.`,
  hostInvalid: (what: string, host: string, why: string) =>
    `${what} host "${host}" is not a valid DNS name: ${why}. Use a lowercase DNS name such as "foo.example.org".`,
  hostOverrideWarning: (host: string) =>
    `Tenant sets host "${host}": since Cozystack v1.5 only cluster-admins (and Cozystack's own service accounts) may set or change spec.host (admission policy cozystack-tenant-host-policy). Apply this bundle with cluster-admin rights, or leave host unset to inherit "<name>.<parent host>".`,
  appName: (kind: string, name: string, max: number) =>
    `${kind} name "${name}" is invalid: ${kind} names must be DNS-1035 labels of at most ${max} characters (lowercase letters, digits and "-", starting with a letter and ending with a letter or digit). Rename it, e.g. "${suggestDns1035(name, max)}".`,
  duplicateObject: (kind: string, name: string, namespace: string, others: string[]) =>
    `Two ${kind} objects are named "${name}" in namespace ${namespace} (also declared at ${others.join(', ')}): the second would overwrite the first on the cluster. Give one of them another name.`,
  duplicateModule: (kind: string, tenant: string, first: string) =>
    `Tenant ${tenant} already has ${/^[AEIOU]/.test(kind) ? 'an' : 'a'} ${kind}Service (declared at ${first}): a tenant runs at most one of each cluster service. Remove this one, or move its settings to the first.`,
  noEtcdProvider: (cluster: string, provider: string, tenant: string) =>
    `Kubernetes "${cluster}" keeps its control-plane data in the etcd of ${provider}, the nearest tenant providing etcd to ${tenant}, but ${provider} does not run etcd: Cozystack would render only a "${releaseName(REGISTRY.get('Kubernetes'), cluster)}-awaiting-etcd" ConfigMap and wait forever. Add an EtcdService to ${provider === ROOT_NAMESPACE ? 'the RootTenant' : `tenant ${provider}`} (or to ${tenant} or a tenant in between).`,
  nodeGroupMissingField: (group: string, field: string, example: string) =>
    `Node group "${group}" is missing ${field}: Cozystack applies no defaults to node group entries, so each needs minReplicas, maxReplicas, instanceType and the disk size. Add ${field}, e.g. ${field}: ${example}.`,
  postgresReservedUser: (name: string) =>
    `Postgres user "${name}" is reserved for the superuser that Cozystack manages. Rename the user, e.g. "app".`,
  postgresBlockedParameter: (param: string) =>
    `postgresql.parameters.${param} is blocked by Cozystack's postgres chart (it runs commands or loads libraries on the server). Remove it.`,
  reservedSpecKey: (key: string) =>
    `Spec key "${key}" starts with "_": Cozystack reserves such keys (_cluster, _namespace) and rejects the object. Remove it.`,
  schemaViolation: (chart: string, version: string, path: string, problem: string, fix: string) =>
    `${path} ${problem} (Cozystack ${version} ${chart} chart schema). ${fix}`,
  fieldTooNew: (path: string, target: string, since: string) =>
    `${path} is not available in Cozystack ${target}: it exists from ${since}. Remove it, or set the RootTenant's version to ${since} or newer.`,
  fieldRemoved: (path: string, target: string, hint?: string) =>
    `${path} no longer exists in Cozystack ${target} (it was a v0.41 field${hint ? `; ${hint}` : ''}). Remove it${hint?.startsWith('use ') ? `, or ${hint}` : ''}.`,
  fieldUnknown: (path: string, chart: string, release: string, suggestion?: string) =>
    `${path} is not a field of Cozystack's ${chart} chart (${release}): the server would accept it and ignore it. `
    + (suggestion ? `Did you mean ${path.replace(/[^.]*$/, suggestion)}? Rename it, or remove it.` : 'Remove it or check its spelling.'),
  ingressProxyExclusive: () =>
    'cloudflareProxy and proxyProtocol are mutually exclusive (Cozystack\'s ingress chart refuses to render both). Keep the one that matches what sits in front of the ingress.',
  nodeGroupResourcesPair: (group: string, missing: string) =>
    `Node group "${group}" sets only one of resources.cpu and resources.memory: Cozystack's kubernetes chart refuses to render that. Set ${missing} too, or neither (the instance type then sizes the nodes).`,
  extraVolumeSource: (name: string) =>
    `controlPlane.apiServer.extraVolumes "${name}" must have exactly one source, configMap or secret: the control plane runs on the management cluster, so the chart refuses other sources (hostPath, csi, projected, ...). Use a ConfigMap or a Secret in the tenant namespace.`,
  extraVolumeName: (name: string, why: string) =>
    `controlPlane.apiServer.extraVolumes "${name}" ${why}. Give each volume a unique name other than talos-ca and talos-tls-cert.`,
  extraVolumeMount: (name: string) =>
    `controlPlane.apiServer.extraVolumeMounts mounts "${name}", which is not one of the declared extraVolumes (the chart's own talos volumes cannot be mounted). Declare the volume, or fix the mount's name.`,
  oidcBothConfigs: () =>
    'oidc.customConfig sets both an inline config and secretRef.name: the chart takes one or the other. Keep one of them.',
  plaintextPassword: (user: string) =>
    `Postgres user "${user}" has an explicit password: it would be stored in plain text in the Postgres object and its HelmRelease. Leave it out (Cozystack generates one into the credentials Secret), or set allowPlaintextSecrets: true to accept that.`,
  plaintextBackupKey: (field: string) =>
    `backup.${field} puts an S3 credential in plain text into the Postgres object. Reference a Secret instead (backupS3CredentialsSecret, or backup.s3CredentialsSecret.name), or set allowPlaintextSecrets: true to accept that.`,
  plaintextAccepted: (what: string) =>
    `${what} is stored in plain text on the management cluster (allowPlaintextSecrets is set).`,
  plaintextAlertSecret: (field: string) =>
    `${field} is stored in plain text in the Monitoring object (the chart offers no Secret reference for it).`,
  legacyPreset: (path: string, value: string) =>
    `${path} uses the legacy preset "${value}", which Cozystack v1 accepts with a deprecation warning. Use a sized preset such as "u1.${value}".`,
  addonDisabled: (addon: string, why: string) =>
    `addons.${addon}.enabled is false, but ${why} needs it. Enable the addon (or leave it unset and the library enables it), or remove what needs it.`,
  ingressHostNotServed: (host: string, tenantHost: string) =>
    `Ingress host "${host}" is neither in addons.ingressNginx.hosts nor under the tenant's domain ${tenantHost}: traffic for it never reaches this cluster. List it in addons.ingressNginx.hosts (and point its DNS at the tenant's ingress), or use a name under ${tenantHost}.`,
  noIngressNodes: () =>
    'ingress-nginx is enabled, but no node group has the role "ingress-nginx": its controller runs only on such nodes and would stay Pending. Add roles: ["ingress-nginx"] to a node group with minReplicas >= 1.',
  fluxSourceKind: (kind: string, kinds: string[]) =>
    `flux.sourceKind "${kind}" is not a Flux source kind a Kustomization can reference. Use one of ${kinds.join(', ')}.`,
  quotaOverdrawn: (
    namespace: string, key: string, budget: string, asks: ReadonlyArray<{ namespace: string; amount: string }>, sum: string, over: string,
  ) =>
    `Tenant ${namespace} has a "${key}" quota of ${budget}, but the sub-tenants that declare "${key}" ask for ${sum} in total `
    + `(${asks.map(a => `${a.namespace} ${a.amount}`).join(', ')}), ${over} more than it has: since Cozystack v1.6 a tenant's quota is `
    + "the budget of its whole subtree, and each sub-tenant's quota for a key is carved out of its nearest ancestor that declares that key. "
    + `Lower a child's quota or raise "${key}" on ${namespace} to at least ${sum}.`,
  quotaInvalid: (key: string, value: string, why: string) =>
    `resourceQuotas["${key}"] is "${value}", which is not a Kubernetes quantity (${why}). `
    + 'Write a decimal number with an optional suffix (m; k, M, G, T, P, E; Ki, Mi, Gi, Ti, Pi, Ei) or exponent, e.g. "4", "500m", "64Gi", "1e3".',
  quotaNegative: (key: string, value: string) =>
    `resourceQuotas["${key}"] is "${value}": Kubernetes refuses negative resource quotas. Use 0 to forbid the resource, or leave the key out to share the parent's budget.`,
  notInTenant: (what: string) =>
    `${what} must be created inside a RootTenant or Tenant (directly or under your own constructs within one).`,
  outputTypeRefused: (type: string) =>
    `The App's yamlOutputType is ${type}: cdk8s then writes every object to a file of its own without asking the charts, so the platform's waves, index.json and topology would not be written and tenant-cluster objects would land among management-cluster files. Use YamlOutputType.FILE_PER_CHART (the default), FILE_PER_APP or FILE_PER_RESOURCE.`,
  twoRoots: (first: string) =>
    `This App already has a RootTenant (${first}): one App describes one management cluster. Use a separate App, with its own outdir, per platform.`,
} as const;
