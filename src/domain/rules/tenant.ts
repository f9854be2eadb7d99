/**
 * The tenant chart's rules (templates/_helpers.tpl, namespace.yaml, Cozystack v1.6.2) and
 * the tenant facts the library adds: the root's name, the host label, the module names.
 */
import { defineRules } from './common';

/** @internal */
export const TENANT_RULES = defineRules('tenant', {
  'root-name': 'a Tenant named root directly under the root would be tenant-root itself',
  'host': 'a tenant\'s host is a DNS name that fits the namespace label namespace.cozystack.io/host (63 characters)',
  'module-name': 'Etcd, Ingress, Monitoring, SeaweedFS (and BootBox) objects are named after their chart, once per tenant',
  'quota-keys': 'resourceQuotas keys are flat resource names the tenant chart renders into a ResourceQuota Kubernetes accepts',
  'quota-pools': 'quotas carved out of a pool fit its budget (the quota controller zeroes an overcommitted pool)',
});
