import { Construct } from 'constructs';
import { VpnValues } from '../generated';
import { ChartAppBase, CozystackAppProps } from './cozystack-app';

/**
 * Properties of a {@link Vpn}: every value of Cozystack's `vpn` chart, and its name.
 */
export interface VpnProps extends VpnValues, CozystackAppProps {}

/**
 * A VPN (`apps.cozystack.io/v1alpha1` `VPN`, Outline/Shadowsocks) in a tenant, with one access URL per user.
 *
 * ```ts
 * new Vpn(tenant, 'office', { users: { alice: {} } });
 * ```
 */
export class Vpn extends ChartAppBase {
  /** The Secret (in the tenant namespace) with one `ss://` access URL per user of `users`. */
  public readonly urlsSecretName: string;
  /** In-cluster host of the VPN server (40000 TCP and UDP). */
  public readonly serviceHost: string;

  /**
   * @param scope the tenant (or a construct of yours inside it)
   * @param id the construct id, also the object's name unless `props.name` is given
   * @param props the vpn chart's values
   */
  public constructor(scope: Construct, id: string, props: VpnProps = {}) {
    super(scope, id, 'VPN', props);
    this.urlsSecretName = this._secretName('urls');
    this.serviceHost = this._serviceHost('vpn');
  }
}
