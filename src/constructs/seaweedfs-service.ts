import { Construct } from 'constructs';
import { ClusterServiceBase } from './cluster-service';
import { ClusterService } from '../domain/services';
import { SeaweedFSValues } from '../generated';
import { coreOf } from './private/core';
import { providerView } from './private/providers';
import { Tenant } from './tenant';
import { APP_MESSAGES, moduleNeedWarnings } from '../domain/app-rules';

/**
 * Tuning of a tenant's SeaweedFS: every value of Cozystack's `seaweedfs` chart. Leave it
 * empty to run SeaweedFS with the chart's defaults (only the tenant's module flag is set).
 */
export interface SeaweedFSServiceProps extends SeaweedFSValues {}

/**
 * Runs SeaweedFS object storage in a tenant (the tenant flag `seaweedfs`): the store of the
 * buckets (and Harbor registries) of the tenant and of every descendant without a SeaweedFS
 * of its own. Tuning values are emitted as the `SeaweedFS seaweedfs` object in the tenant's
 * namespace. `TenantProps.seaweedfs: true` sets the same flag without tuning.
 *
 * ```ts
 * new SeaweedFSService(tenant, { volume: { replicas: 3 } });
 * ```
 */
export class SeaweedFSService extends ClusterServiceBase {
  /**
   * @param tenant the tenant (or a construct of yours inside it)
   * @param props the seaweedfs chart's values; empty runs it with the chart's defaults
   */
  public constructor(tenant: Construct, props: SeaweedFSServiceProps = {}) {
    const version = coreOf(Tenant.of(tenant)).platform.version;
    const tuned = Object.values(props).some(v => v !== undefined);
    // The library carries no v0.41 seaweedfs chart data: on v0.41 only the flag can be set.
    super(tenant, ClusterService.SEAWEEDFS, 'SeaweedFS', version.major === 0 ? {} : props);
    const core = coreOf(this.tenant);
    const def = core.platform.registry.get('SeaweedFS');
    const spec = props as Record<string, unknown>;
    core.platform.addWarnings(this, () => moduleNeedWarnings(def, this.tenant.namespace, spec, providerView(this.tenant)));
    if (version.major === 0 && tuned) {
      this.node.addValidation({ validate: () => [APP_MESSAGES.kindWithoutData('SeaweedFS', version.name, version.chartRelease, 'v1.0')] });
    }
  }
}
