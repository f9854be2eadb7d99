/**
 * cozystack-api's admission rules for every kind (pkg/apis/apps/validation,
 * pkg/registry/apps/application/rest.go, Cozystack v1.6.2): what the server refuses
 * before any chart renders.
 */
import { defineRules } from './common';

/** @internal */
export const API_RULES = defineRules('api', {
  'app-name': 'app names are DNS-1035 labels (create only)',
  'tenant-name': 'Tenant names match ^[a-z][a-z0-9]*$ (the tenant chart splits its release name on "-")',
  'name-length': 'len(release prefix + name) <= 53, the Helm release name limit (create only)',
  'tenant-namespace': 'a Tenant\'s computed namespace (parent namespace + "-" + name, tenant-<name> under the root) has at most 63 characters',
  'reserved-key': 'top-level spec keys starting with "_" are refused (create and update)',
  'tenant-quota': 'a Tenant\'s resourceQuotas fit what its direct parent has left (create and update)',
});
