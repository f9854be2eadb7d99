import { Construct } from 'constructs';
import { RedisValues } from '../generated';
import { ChartAppBase, CozystackAppProps } from './cozystack-app';

/**
 * Properties of a {@link Redis}: every value of Cozystack's `redis` chart, and its name.
 */
export interface RedisProps extends RedisValues, CozystackAppProps {}

/**
 * A managed Redis (`apps.cozystack.io/v1alpha1` `Redis`, with Sentinel) in a tenant.
 *
 * ```ts
 * new Redis(tenant, 'cache', { replicas: 2 });
 * ```
 */
export class Redis extends ChartAppBase {
  /** The Secret (in the tenant namespace) with the password (with `authEnabled`, the chart default). */
  public readonly authSecretName: string;
  /** The key of the password in its Secret. */
  public readonly authPasswordKey: string;
  /** In-cluster host of the master. */
  public readonly masterHost: string;
  /** In-cluster host of Redis Sentinel. */
  public readonly sentinelHost: string;

  /**
   * @param scope the tenant (or a construct of yours inside it)
   * @param id the construct id, also the object's name unless `props.name` is given
   * @param props the redis chart's values
   */
  public constructor(scope: Construct, id: string, props: RedisProps = {}) {
    super(scope, id, 'Redis', props);
    this.authSecretName = this._secretName('auth');
    this.authPasswordKey = this._secretKeys('auth')[0];
    this.masterHost = this._serviceHost('master');
    this.sentinelHost = this._serviceHost('sentinel');
  }
}
