/**
 * Per-tenant bookkeeping that the public constructs share but do not expose:
 * which cluster services a tenant runs (and which construct declared each),
 * its child tenants and apps. Kept in WeakMaps so that the public interfaces stay
 * plain jsii interfaces.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { CozystackVersion } from '../../domain/versions';

/** @internal */
export interface TenantState {
  /** Module constructs per service name, in declaration order. */
  readonly modules: Map<string, IConstruct[]>;
  /** Services switched on by props rather than constructs (e.g. `seaweedfs: true`). */
  readonly flags: Set<string>;
  readonly children: IConstruct[];
  readonly apps: IConstruct[];
}

/** @internal */
export interface PlatformState {
  readonly version: CozystackVersion;
  /** Bumped whenever the tenant tree changes, so that cached results can be dropped. */
  generation: number;
  /** The wave each of the library's API objects is applied in. */
  readonly waves: WeakMap<ApiObject, number>;
  /** Constructs that may warn, in declaration order. */
  readonly warningSources: Array<{ readonly construct: IConstruct; readonly source: () => string[] }>;
}

const tenants = new WeakMap<IConstruct, TenantState>();
const platforms = new WeakMap<IConstruct, PlatformState>();

/** @internal */
export function tenantState(tenant: IConstruct): TenantState {
  let s = tenants.get(tenant);
  if (!s) {
    s = { modules: new Map(), flags: new Set(), children: [], apps: [] };
    tenants.set(tenant, s);
  }
  return s;
}

/** @internal */
export function initPlatform(root: IConstruct, version: CozystackVersion): PlatformState {
  const s: PlatformState = { version, generation: 0, waves: new WeakMap(), warningSources: [] };
  platforms.set(root, s);
  return s;
}

/** @internal */
export function platformState(root: IConstruct): PlatformState {
  const s = platforms.get(root);
  if (!s) throw new Error(`${root.node.path} is not a RootTenant`);
  return s;
}

/**
 * Registers what a construct warns about, on its platform; read when the bundle is computed.
 * @param root the construct's RootTenant
 * @internal
 */
export function addWarnings(root: IConstruct, construct: IConstruct, source: () => string[]): void {
  platformState(root).warningSources.push({ construct, source });
}

/** Whether a tenant runs a service itself: a module construct declared it, or a flag prop. @internal */
export function runsServiceItself(tenant: IConstruct, service: string): boolean {
  const s = tenantState(tenant);
  return (s.modules.get(service)?.length ?? 0) > 0 || s.flags.has(service);
}
