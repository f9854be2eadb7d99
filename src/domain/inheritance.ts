/**
 * SPEC.md §3 and §4, as Cozystack's tenant and kubernetes charts compute them on the
 * server: namespaces, hosts, and which tenant provides each cluster service.
 * Every construct asks these functions; no other code derives these values.
 */

import { ROOT_NAMESPACE, TENANT_NAMESPACE_PREFIX } from './registry';


/**
 * A tenant's own namespace: `tenant-<name>` under the root, `<parent namespace>-<name>` below.
 * @internal
 */
export function tenantNamespace(parentNamespace: string, name: string): string {
  return parentNamespace === ROOT_NAMESPACE ? `${TENANT_NAMESPACE_PREFIX}${name}` : `${parentNamespace}-${name}`;
}

/**
 * A tenant's host: its own `host` when set, otherwise `<name>.<parent host>`.
 * @internal
 */
export function tenantHost(name: string, parentHost: string, override?: string): string {
  return override ? override : `${name}.${parentHost}`;
}

/**
 * An app's host: its own `host` when set, otherwise `<release name>.<tenant host>`
 * (the kubernetes chart's `kubernetes-<name>.<tenant host>`, postgres's `postgres-<name>...`).
 * @internal
 */
export function appHost(release: string, tenantHost_: string, override?: string): string {
  return override ? override : `${release}.${tenantHost_}`;
}

/** What the provider rule needs to know of a tenant. @internal */
export interface ProviderNode {
  readonly parentTenant?: ProviderNode;
  runsService(service: string): boolean;
}

/**
 * provider(S, tenant) = tenant            if the tenant runs S itself
 *                     = provider(S, parent) otherwise
 * provider(S, root)   = root               (named provider of every service, running it or not)
 * @internal
 */
export function provider<T extends ProviderNode>(tenant: T, service: string): T {
  let t: ProviderNode = tenant;
  while (t.parentTenant && !t.runsService(service)) t = t.parentTenant;
  return t as T;
}

/**
 * The wave in which a Tenant object is applied: the root's own object and the
 * root's children in wave 0 (tenant-root always exists), every other tenant in
 * the wave after its parent's, that is depth - 1.
 * @internal
 */
export function tenantObjectWave(depth: number): number {
  return Math.max(0, depth - 1);
}

/**
 * The wave of every other object in a tenant's namespace (apps, module tuning):
 * the wave after the one that made the tenant Ready. For the root that is wave 1,
 * after the root's module flags were applied in wave 0.
 * @internal
 */
export function namespacedObjectWave(tenantDepth: number): number {
  return tenantDepth === 0 ? 1 : tenantDepth;
}
