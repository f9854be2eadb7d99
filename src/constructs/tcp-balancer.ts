import { Construct } from 'constructs';
import { TCPBalancerValues } from '../generated';
import { ChartAppBase, CozystackAppProps } from './cozystack-app';

/**
 * Properties of a {@link TCPBalancer}: every value of Cozystack's `tcp-balancer` chart, and its name.
 */
export interface TCPBalancerProps extends TCPBalancerValues, CozystackAppProps {}

/**
 * A TCP load balancer (`apps.cozystack.io/v1alpha1` `TCPBalancer`, HAProxy) in a tenant, in front of HTTP and HTTPS backends.
 *
 * ```ts
 * new TCPBalancer(tenant, 'edge', { external: true, httpAndHttps: { mode: 'tcp', targetPorts: { http: 80, https: 443 }, endpoints: ['10.100.3.1'] } });
 * ```
 */
export class TCPBalancer extends ChartAppBase {
  /** In-cluster host of the balancer (a LoadBalancer with `external: true`). */
  public readonly serviceHost: string;

  /**
   * @param scope the tenant (or a construct of yours inside it)
   * @param id the construct id, also the object's name unless `props.name` is given
   * @param props the tcp-balancer chart's values
   */
  public constructor(scope: Construct, id: string, props: TCPBalancerProps = {}) {
    super(scope, id, 'TCPBalancer', props);
    this.serviceHost = this._serviceHost('haproxy');
  }
}
