/** How the needs rule (domain/app-rules.ts) sees a tenant's providers. */
import { ProviderView } from '../../domain/app-rules';
import { ClusterService } from '../../domain/services';
import { ITenant } from '../tenant-contract';

/** The provider of each service to a tenant, and whether it runs it. */
export function providerView(tenant: ITenant): (service: ClusterService) => ProviderView {
  return service => {
    const p = tenant.providerOf(service);
    return { namespace: p.namespace, runs: p.runsService(service) };
  };
}
