/**
 * cozystack-api's admission rules for every kind (pkg/apis/apps/validation,
 * pkg/registry/apps/application/rest.go, Cozystack v1.6.2): what the server refuses
 * before any chart renders.
 */
import { defineRules } from './common';
import { COZYSTACK_API_VERSION, maxNameLength, REGISTRY } from '../registry';

/** @internal */
export const API_RULES = defineRules('api', {
  'app-name': 'app names are DNS-1035 labels (create only)',
  'tenant-name': 'Tenant names match ^[a-z][a-z0-9]*$ (the tenant chart splits its release name on "-")',
  'name-length': 'len(release prefix + name) <= 53, the Helm release name limit (create only)',
  'tenant-namespace': 'a Tenant\'s computed namespace (parent namespace + "-" + name, tenant-<name> under the root) has at most 63 characters',
  'reserved-key': 'top-level spec keys starting with "_" are refused (create and update)',
  'tenant-quota': 'a Tenant\'s resourceQuotas fit what its direct parent has left (create and update)',
  'label-keys': 'label and annotation keys still fit once the server prefixes them for the HelmRelease (apps.cozystack.io-<key>)',
});

/** cozystack-api stores an object's labels and annotations on its HelmRelease under this prefix (rest.go LabelPrefix). */
const STORED_KEY_PREFIX = `${COZYSTACK_API_VERSION.split('/')[0]}-`;
const QUALIFIED_NAME = /^(?=.{1,63}$)[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** @internal */
export const API_LABEL_MESSAGES = {
  storedKey: (kind: string, what: 'label' | 'annotation', key: string, stored: string, why: string) =>
    `The ${what} "${key}" on this ${kind} becomes "${stored}" on its HelmRelease (cozystack-api stores ${what}s under the prefix "${STORED_KEY_PREFIX}"), `
    + `which Kubernetes refuses: ${why}, so the server refuses the object. `
    + (key.includes('/') ? 'Shorten the key\'s prefix.' : `Shorten the key to at most ${63 - STORED_KEY_PREFIX.length} characters, or give it a prefix (example.com/${key.slice(0, 20)}).`),
} as const;

/**
 * The label and annotation keys of an apps.cozystack.io object that the server cannot store
 * on the HelmRelease it creates: `apps.cozystack.io-` + key must still be a qualified name.
 * @internal
 */
export function storedKeyProblems(kind: string, metadata: { labels?: Record<string, string>; annotations?: Record<string, string> }): string[] {
  const out: string[] = [];
  for (const [what, map] of [['label', metadata.labels], ['annotation', metadata.annotations]] as const) {
    for (const key of Object.keys(map ?? {})) {
      const stored = STORED_KEY_PREFIX + key;
      const slash = stored.indexOf('/');
      const [prefix, name] = slash >= 0 ? [stored.slice(0, slash), stored.slice(slash + 1)] : [undefined, stored];
      let why: string | undefined;
      if (prefix !== undefined && !DNS_SUBDOMAIN.test(prefix)) why = `its prefix "${prefix}" is not a DNS subdomain of at most 253 characters`;
      else if (!QUALIFIED_NAME.test(name)) why = `its name "${name}" has ${name.length} characters (at most 63: letters, digits, "-", "_" and ".")`;
      if (why) out.push(API_LABEL_MESSAGES.storedKey(kind, what, key, stored, why));
    }
  }
  return out;
}

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


/** @internal */
export const API_MESSAGES = {
  tenantNamePattern: (name: string) =>
    `Tenant name "${name}" is invalid: Cozystack tenant names match ^[a-z][a-z0-9]*$ (lowercase letters and digits, starting with a letter; no dashes, which separate levels in namespaces). Rename it, e.g. "${suggestTenantName(name)}".`,
  tenantNameLength: (name: string) =>
    `Tenant name "${name}" has ${name.length} characters: "tenant-" + name must fit a 53-character Helm release name, so names have at most ${LIMITS.TENANT_NAME_MAX}. Shorten it.`,
  namespaceLength: (ns: string) =>
    `The computed namespace "${ns}" has ${ns.length} characters: Kubernetes namespaces have at most ${LIMITS.NAMESPACE_MAX} (a tenant's namespace is its parent's namespace + "-" + its name). Shorten this tenant's or its ancestors' names, or nest less deeply.`,
  appName: (kind: string, name: string, max: number) =>
    `${kind} name "${name}" is invalid: ${kind} names must be DNS-1035 labels of at most ${max} characters (lowercase letters, digits and "-", starting with a letter and ending with a letter or digit). Rename it, e.g. "${suggestDns1035(name, max)}".`,
  reservedSpecKey: (key: string) =>
    `Spec key "${key}" starts with "_": Cozystack reserves such keys (_cluster, _namespace) and rejects the object. Remove it.`,
  duplicateObject: (kind: string, name: string, namespace: string, others: string[]) =>
    `Two ${kind} objects are named "${name}" in namespace ${namespace} (also declared at ${others.join(', ')}): the second would overwrite the first on the cluster. Give one of them another name.`,
} as const;
