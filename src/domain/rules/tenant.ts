/**
 * The tenant chart's rules (templates/_helpers.tpl, namespace.yaml, Cozystack v1.6.2) and
 * the tenant facts the library adds: the root's name, the host label, the module names.
 */
import { LIMITS } from './api';
import { defineRules } from './common';

/** @internal */
export const TENANT_RULES = defineRules('tenant', {
  'root-name': 'a Tenant named root directly under the root would be tenant-root itself',
  'host': 'a tenant\'s host is a DNS name that fits the namespace label namespace.cozystack.io/host (63 characters)',
  'module-name': 'Etcd, Ingress, Monitoring, SeaweedFS (and BootBox) objects are named after their chart, once per tenant',
  'quota-keys': 'resourceQuotas keys are flat resource names the tenant chart renders into a ResourceQuota Kubernetes accepts',
  'quota-pools': 'quotas carved out of a pool fit its budget (the quota controller zeroes an overcommitted pool)',
});

/** The `resourceQuotas` keys without "/" that limit something (domain/quotas.ts QUOTA_KEYS), for messages. */
const QUOTA_KEY_LIST = 'cpu, memory, ephemeral-storage, storage, pods, services, services.loadbalancers, services.nodeports, configmaps, secrets, '
  + 'persistentvolumeclaims, replicationcontrollers or resourcequotas';

/** @internal */
export const TENANT_MESSAGES = {
  tenantNameReserved: (name: string) =>
    `Tenant name "${name}" is reserved: "root" is the platform's pre-existing tenant-root. Use RootTenant for it, or pick another name.`,
  hostLabelValue: (host: string, why: string) =>
    `Tenant host "${host}" cannot be stored: Cozystack writes it into the namespace label namespace.cozystack.io/host, whose values have at most ${LIMITS.LABEL_VALUE_MAX} characters (${why}). Set a shorter host on this tenant or an ancestor (host: "..."), or shorten the tenant names.`,
  hostInvalid: (what: string, host: string, why: string) =>
    `${what} host "${host}" is not a valid DNS name: ${why}. Use a lowercase DNS name such as "foo.example.org".`,
  hostOverrideWarning: (host: string) =>
    `Tenant sets host "${host}": since Cozystack v1.5 only cluster-admins (and Cozystack's own service accounts) may set or change spec.host (admission policy cozystack-tenant-host-policy). Apply this bundle with cluster-admin rights, or leave host unset to inherit "<name>.<parent host>".`,
  duplicateModule: (kind: string, tenant: string, first: string) =>
    `Tenant ${tenant} already has ${/^[AEIOU]/.test(kind) ? 'an' : 'a'} ${kind}Service (declared at ${first}): a tenant runs at most one of each cluster service. Remove this one, or move its settings to the first.`,
  schedulingClassIgnored: (namespace: string, own: string, effective: string, from: string) =>
    `Tenant ${namespace} sets schedulingClass "${own}", but ${from} above it already has "${effective}": the tenant chart keeps an ancestor's class and `
    + 'ignores the one a sub-tenant sets (packages/apps/tenant/templates/namespace.yaml: "inherited from parent, can be set if parent has none"), '
    + `so the workloads of ${namespace} are scheduled with "${effective}". Remove schedulingClass from this tenant, or unset it on ${from} and set it on each of its sub-tenants instead.`,
  schedulingClassInvalid: (value: string, why: string) =>
    `schedulingClass "${value}" cannot name a SchedulingClass: ${why}. The tenant chart writes it into the namespace label scheduler.cozystack.io/scheduling-class `
    + '(an invalid label value makes Kubernetes refuse the namespace, and the Tenant never becomes Ready), and SchedulingClass objects have lowercase DNS names. '
    + `Use the name of an existing SchedulingClass, e.g. "${value.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 63) || 'dc1'}".`,
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
} as const;
