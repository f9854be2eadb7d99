/**
 * cozystack-api's admission rules for every kind (pkg/apis/apps/validation,
 * pkg/registry/apps/application/rest.go, Cozystack v1.6.2): what the server refuses
 * before any chart renders.
 */
import { COZYSTACK_API_VERSION } from '../registry';
import { defineRules } from './common';

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
