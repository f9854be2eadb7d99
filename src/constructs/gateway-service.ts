import { Construct } from 'constructs';
import { APP_MESSAGES } from '../domain/app-rules';
import { ClusterService } from '../domain/services';
import { CozystackVersion } from '../domain/versions';
import { coreOf } from './private/core';
import { markModule } from './private/module-marker';
import { Tenant } from './tenant';
import { ITenant } from './tenant-contract';

/**
 * Gives a tenant a Gateway API gateway of its own (Cozystack v1.5+): its apps, and those of
 * every descendant without one of its own, publish HTTPRoutes to it instead of Ingresses.
 *
 * What the tenant chart does with the flag (v1.6.2, `tenant.gatewayEffective` in
 * `packages/apps/tenant/templates/_helpers.tpl` and `namespace.yaml`):
 * - `gateway: true` (this construct, or `TenantProps.gateway: true`): the tenant owns a
 *   Gateway (HelmRelease `gateway` in its namespace, its own Service, address and certificate)
 *   and becomes the gateway provider of its subtree.
 * - absent (the default) or `false`: the same thing: the tenant owns none and routes through the
 *   nearest ancestor that owns one; when no ancestor does, its apps fall back to Ingresses.
 *   `false` does not switch an inherited gateway off.
 *
 * On the RootTenant the gateway is the platform's own (`gateway.enabled` of the Cozystack
 * platform package, which the library does not write): the construct declares that it is on,
 * so that the library computes inheritance as the platform does, and emits nothing.
 */
export class GatewayService extends Construct {
  /** The tenant that owns the gateway. */
  public readonly tenant: ITenant;

  /**
   * @param tenant the tenant (or a construct of yours inside it)
   */
  public constructor(tenant: Construct) {
    const owner = Tenant.of(tenant);
    super(tenant, 'GatewayService');
    markModule(this);
    this.tenant = owner;
    const core = coreOf(owner);
    if (core.parent) {
      core.addModule(ClusterService.GATEWAY, this);
    } else {
      // The root's gateway is the platform's: record it without writing the root's Tenant object.
      core.modules.set(ClusterService.GATEWAY, [...(core.modules.get(ClusterService.GATEWAY) ?? []), this]);
      core.platform.treeChanged();
    }
    this.node.addValidation({
      validate: () => {
        const version = core.platform.version;
        if (!version.isAtLeast(CozystackVersion.V1_5)) return [APP_MESSAGES.kindTooNew('GatewayService', version.name, CozystackVersion.V1_5.name)];
        return [];
      },
    });
  }
}
