import { Construct } from 'constructs';
import { VirtualPrivateCloudValues } from '../generated';
import { ChartAppBase, CozystackAppProps } from './cozystack-app';

/**
 * Properties of a {@link VirtualPrivateCloud}: every value of Cozystack's `virtualprivatecloud` chart, and its name.
 */
export interface VirtualPrivateCloudProps extends VirtualPrivateCloudValues, CozystackAppProps {}

/**
 * A virtual private cloud (`apps.cozystack.io/v1alpha1` `VirtualPrivateCloud`, Kube-OVN) in a tenant: subnets that VMs attach to by network name.
 *
 * ```ts
 * new VirtualPrivateCloud(tenant, 'net', { subnets: [{ name: 'private', cidr: '172.16.0.0/24' }] });
 * ```
 */
export class VirtualPrivateCloud extends ChartAppBase {
  /**
   * @param scope the tenant (or a construct of yours inside it)
   * @param id the construct id, also the object's name unless `props.name` is given
   * @param props the virtualprivatecloud chart's values
   */
  public constructor(scope: Construct, id: string, props: VirtualPrivateCloudProps = {}) {
    super(scope, id, 'VirtualPrivateCloud', props);
  }
}
