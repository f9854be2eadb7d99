import { Construct } from 'constructs';
import { VirtualPrivateCloudValues } from '../generated';
import { ChartAppBase, CozystackAppProps } from './cozystack-app';
import { releaseName, vpcId, vpcSubnetId } from '../domain/registry';

/**
 * Properties of a {@link VirtualPrivateCloud}: every value of Cozystack's `virtualprivatecloud` chart, and its name.
 */
export interface VirtualPrivateCloudProps extends VirtualPrivateCloudValues, CozystackAppProps {}

/**
 * A virtual private cloud (`apps.cozystack.io/v1alpha1` `VirtualPrivateCloud`, Kube-OVN) in a tenant: subnets that VMs attach to by network name.
 *
 * ```ts
 * const vpc = new VirtualPrivateCloud(tenant, 'net', { subnets: [{ name: 'private', cidr: '172.16.0.0/24' }] });
 * new VMInstance(tenant, 'vm1', { networks: [{ name: vpc.subnetNetworkName('private') }] });
 * ```
 */
export class VirtualPrivateCloud extends ChartAppBase {
  /** The Kube-OVN Vpc the chart creates (`vpc-<hash>`). */
  public readonly vpcId: string;

  private readonly subnetNames: string[];

  /**
   * @param scope the tenant (or a construct of yours inside it)
   * @param id the construct id, also the object's name unless `props.name` is given
   * @param props the virtualprivatecloud chart's values
   */
  public constructor(scope: Construct, id: string, props: VirtualPrivateCloudProps = {}) {
    super(scope, id, 'VirtualPrivateCloud', props);
    this.vpcId = vpcId(this.namespace, releaseName(this._definition, this.name));
    this.subnetNames = (props.subnets ?? []).map(x => x.name ?? '');
  }

  /**
   * The network name of one of the VPC's subnets (the NetworkAttachmentDefinition `subnet-<hash>`
   * in the tenant namespace), for the `networks[].name` of a VMInstance of the same tenant.
   * @param subnet the name of a subnet of `subnets`
   */
  public subnetNetworkName(subnet: string): string {
    if (!this.subnetNames.includes(subnet)) {
      throw new Error(`${this.node.path}: VirtualPrivateCloud "${this.name}" has no subnet "${subnet}" (it has ${this.subnetNames.map(n => `"${n}"`).join(', ') || 'none'}). Name one of its subnets, or add it to subnets.`);
    }
    return vpcSubnetId(this.namespace, this.vpcId, subnet);
  }
}
