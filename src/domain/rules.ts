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

/** The `resourceQuotas` keys without "/" that limit something (domain/quotas.ts QUOTA_KEYS), for messages. */
const QUOTA_KEY_LIST = 'cpu, memory, ephemeral-storage, storage, pods, services, services.loadbalancers, services.nodeports, configmaps, secrets, '
  + 'persistentvolumeclaims, replicationcontrollers or resourcequotas';

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
    + (suggestion ? `Remove it or check its spelling: did you mean ${path.replace(/[^.]*$/, suggestion)}?` : 'Remove it or check its spelling.'),
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
  noIngressNodes: (near?: string) =>
    'ingress-nginx is enabled, but no node group has the role "ingress-nginx": its controller runs only on such nodes and would stay Pending. '
    + (near ? `A node group has the role "${near}": labels are case-sensitive, write "ingress-nginx".` : 'Add roles: ["ingress-nginx"] to a node group with minReplicas >= 1.'),
  fluxSourceKind: (kind: string, kinds: string[]) =>
    `flux.sourceKind "${kind}" is not a Flux source kind a Kustomization can reference. Use one of ${kinds.join(', ')}.`,
  quotaAdmission: (
    namespace: string, key: string, budget: string, asks: ReadonlyArray<{ namespace: string; amount: string }>,
    sum: string, over: string, need: string,
  ) =>
    `Tenant ${namespace} has a "${key}" quota of ${budget}, but its direct sub-tenants declare ${sum} of "${key}" in total `
    + `(${asks.map(a => `${a.namespace} ${a.amount}`).join(', ')}), ${over} more than it has. Since Cozystack v1.6, cozystack-api admits a `
    + 'Tenant\'s quota only if, for each key its direct parent also declares, child[key] <= parent[key] - the siblings\' declared key - what the '
    + 'parent\'s pool uses now (pkg/registry/apps/application/quota.go): '
    + `${asks.length === 1 ? `Tenant ${asks[0].namespace} is refused` : 'the last of these Tenants to be created is refused'} and never gets its namespace. `
    + `Lower the sub-tenants' "${key}" to ${budget} in total, or raise "${key}" on ${namespace} to at least ${need}.`,
  quotaOvercommitted: (
    namespace: string, key: string, budget: string, asks: ReadonlyArray<{ namespace: string; amount: string; via?: string }>,
    sum: string, over: string, members: readonly string[],
  ) =>
    `Tenant ${namespace} has a "${key}" quota of ${budget}, but the tenants with a quota of their own below it carve ${sum} of "${key}" out of its pool `
    + `(${asks.map(a => `${a.namespace} ${a.amount}${a.via ? ` through ${a.via}, which declares no quota` : ''}`).join(', ')}), ${over} more than it has. `
    + 'Since Cozystack v1.6 a tenant that declares any quota carves its whole list out of the pool of its parent\'s nearest ancestor with a quota, '
    + 'and a tenant without quota shares that pool; cozystack-api checks a Tenant only against its direct parent, so it admits this, but the quota '
    + `controller reports the pool of ${namespace} as overcommitted and gives its members (${members.slice(0, 5).join(', ')}${members.length > 5 ? `, +${members.length - 5} more` : ''}) `
    + `a hard "${key}" limit of 0: no pod that asks for "${key}" starts there (internal/controller/tenantquota/pool.go). `
    + `Lower those quotas to ${budget} of "${key}" in total, or raise "${key}" on ${namespace} to at least ${sum}.`,
  quotaKeyNested: (key: string) =>
    `resourceQuotas["${key}"] is a section, but resourceQuotas is a flat map of resource names: the tenant chart fails with "A flat map of resources expected, `
    + 'not nested `requests:` or `limits:` sections" (cozy-lib resources.sanitize) and the Tenant never becomes Ready. '
    + 'Write the resources at the top level, e.g. resourceQuotas: { cpu: "4", memory: "8Gi" }; the chart derives requests and limits itself.',
  quotaKeyClusterIp: () =>
    'resourceQuotas["services.clusterip"] is written into the ResourceQuota as it is, but Kubernetes has no such quota resource and refuses the '
    + 'ResourceQuota ("must be a standard resource type or fully qualified"): the release of the tenant chart fails and the Tenant never becomes Ready. '
    + 'Remove it; "services" counts every Service, ClusterIP ones included.',
  quotaKeyHugepages: (key: string, rendered: readonly string[]) =>
    `resourceQuotas["${key}"] becomes ${rendered.join(' and ')} in the tenant's ResourceQuota, and Kubernetes takes huge pages only as requests.hugepages-<size>: `
    + 'it refuses the ResourceQuota, the release of the tenant chart fails and the Tenant never becomes Ready. The tenant chart cannot express a huge-pages quota; remove the key.',
  quotaKeyPrefixed: (key: string, rendered: readonly string[], right?: string) =>
    `resourceQuotas["${key}"]: keys are resource names without "requests." or "limits.", which the tenant chart adds itself (cozy-lib resources.flatten renders `
    + `"cpu" as requests.cpu and limits.cpu), so "${key}" becomes ${rendered.join(' and ')}, which Kubernetes refuses in a ResourceQuota: the chart's release fails `
    + `and the Tenant never becomes Ready. ${right ? `Use "${right}".` : `Use one of ${QUOTA_KEY_LIST}.`}`,
  quotaKeyUnknown: (key: string, rendered: readonly string[], right: string | undefined, keys: readonly string[]) =>
    `resourceQuotas["${key}"] is not a resource a ResourceQuota can limit: the tenant chart renders it as ${rendered.join(' and ')}, which Kubernetes refuses `
    + '("must be a standard resource type or fully qualified"), so the chart\'s release fails and the Tenant never becomes Ready. '
    + `${right ? `Did you mean "${right}"? ` : ''}Keys without "/" are ${keys.join(', ')}; extended resources are written with their domain (e.g. "nvidia.com/gpu").`,
  quotaKeyName: (key: string, why: string) =>
    `resourceQuotas["${key}"] is not a resource name Kubernetes takes (${why}): the tenant chart's ResourceQuota is refused and the Tenant never becomes Ready. `
    + 'Write an extended resource as <lowercase domain>/<name>, e.g. "nvidia.com/gpu".',
  quotaKeyInert: (key: string, rendered: readonly string[], why: 'prefixed' | 'count' | 'storage-class' | 'native', instead?: string) =>
    `resourceQuotas["${key}"] limits nothing: the tenant chart renders it as ${rendered.join(' and ')}, names Kubernetes accepts but counts nothing against`
    + (why === 'prefixed' ? ' (the chart adds "requests." and "limits." itself, so the prefix is doubled)'
      : why === 'count' ? ' (Kubernetes counts objects only under "count/<resource>" itself, never with a prefix)'
        : why === 'storage-class' ? ' (Kubernetes counts per-storage-class quotas only under their own name, and the tenant chart cannot write that)'
          : ' (only requests of extended resources outside kubernetes.io are counted)')
    + `. ${instead ? `Use "${instead}"${why === 'storage-class' ? ' (all storage classes together)' : ''}, or remove the key.` : 'Remove the key.'}`,
  quotaNotInteger: (key: string, value: string, lower: string, upper: string) =>
    `resourceQuotas["${key}"] is "${value}", but Kubernetes counts ${key} in whole numbers and refuses a fractional quota: the tenant chart's release fails `
    + `and the Tenant never becomes Ready. Use ${lower === '0' ? `"${upper}"` : `"${lower}" or "${upper}"`}.`,
  quotaChartUnit: (key: string, value: string, instead: string) =>
    `resourceQuotas["${key}"] is "${value}": the tenant chart reads ${key} amounts itself to derive the request (cozy-lib resources.toFloat) and knows no "n" or "u" suffix, `
    + `so it writes requests.${key}: 0 and no pod that asks for ${key} can start in this tenant. Write the same amount as "${instead}".`,
  quotaInvalid: (key: string, value: string, why: string) =>
    `resourceQuotas["${key}"] is "${value}", which is not a Kubernetes quantity (${why}). `
    + 'Write a decimal number with an optional suffix (m; k, M, G, T, P, E; Ki, Mi, Gi, Ti, Pi, Ei) or exponent, e.g. "4", "500m", "64Gi", "1e3".',
  quotaNegative: (key: string, value: string) =>
    `resourceQuotas["${key}"] is "${value}": Kubernetes refuses negative resource quotas. Use 0 to forbid the resource, or leave the key out.`,
  schedulingClassIgnored: (namespace: string, own: string, effective: string, from: string) =>
    `Tenant ${namespace} sets schedulingClass "${own}", but ${from} above it already has "${effective}": the tenant chart keeps an ancestor's class and `
    + 'ignores the one a sub-tenant sets (packages/apps/tenant/templates/namespace.yaml: "inherited from parent, can be set if parent has none"), '
    + `so the workloads of ${namespace} are scheduled with "${effective}". Remove schedulingClass from this tenant, or unset it on ${from} and set it on each of its sub-tenants instead.`,
  schedulingClassInvalid: (value: string, why: string) =>
    `schedulingClass "${value}" cannot name a SchedulingClass: ${why}. The tenant chart writes it into the namespace label scheduler.cozystack.io/scheduling-class `
    + '(an invalid label value makes Kubernetes refuse the namespace, and the Tenant never becomes Ready), and SchedulingClass objects have lowercase DNS names. '
    + `Use the name of an existing SchedulingClass, e.g. "${value.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 63) || 'dc1'}".`,
  notInTenant: (what: string) =>
    `${what} must be created inside a RootTenant or Tenant (directly or under your own constructs within one).`,
  outputTypeRefused: (type: string) =>
    `The App's yamlOutputType is ${type}: cdk8s then writes every object to a file of its own without asking the charts, so the platform's waves, index.json and topology would not be written and tenant-cluster objects would land among management-cluster files. Use YamlOutputType.FILE_PER_CHART (the default), FILE_PER_APP or FILE_PER_RESOURCE.`,
  twoRoots: (first: string) =>
    `This App already has a RootTenant (${first}): one App describes one management cluster. Use a separate App, with its own outdir, per platform.`,
} as const;
