import { Construct } from 'constructs';
import { ClusterServiceBase } from './cluster-service';
import { ClusterService } from '../domain/services';
import { IngressValues } from '../generated';

/**
 * Tuning of a tenant's ingress: every value of Cozystack's `ingress` chart. Leave it
 * empty to run the ingress with the chart's defaults.
 */
export interface IngressServiceProps extends IngressValues {}

/**
 * Runs an ingress controller in a tenant: the entry point of the tenant's apps and of
 * every descendant without an ingress of its own.
 */
export class IngressService extends ClusterServiceBase {
  /**
   * @param tenant the tenant (or a construct of yours inside it)
   * @param props the ingress chart's values; empty runs it with the chart's defaults
   */
  public constructor(tenant: Construct, props: IngressServiceProps = {}) {
    // The chart's refusals (proxyProtocol with cloudflareProxy, ...) are src/domain/rules/ingress.ts, run by checkSpec.
    super(tenant, ClusterService.INGRESS, 'Ingress', props);
  }
}
