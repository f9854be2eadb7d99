import { Construct } from 'constructs';
import { ClickHouseValues } from '../generated';
import { ChartAppBase, CozystackAppProps } from './cozystack-app';

/**
 * Properties of a {@link ClickHouse}: every value of Cozystack's `clickhouse` chart, and its name.
 */
export interface ClickHouseProps extends ClickHouseValues, CozystackAppProps {}

/**
 * A managed ClickHouse (`apps.cozystack.io/v1alpha1` `ClickHouse`) in a tenant.
 *
 * ```ts
 * new ClickHouse(tenant, 'events', { users: { app: {} } });
 * ```
 */
export class ClickHouse extends ChartAppBase {
  /** The Secret (in the tenant namespace) with one password per user (and the chart's `backup` user). */
  public readonly credentialsSecretName: string;
  /** In-cluster host of ClickHouse (HTTP 8123, native protocol 9000). */
  public readonly serviceHost: string;

  /**
   * @param scope the tenant (or a construct of yours inside it)
   * @param id the construct id, also the object's name unless `props.name` is given
   * @param props the clickhouse chart's values
   */
  public constructor(scope: Construct, id: string, props: ClickHouseProps = {}) {
    super(scope, id, 'ClickHouse', props);
    this.credentialsSecretName = this._secretName('credentials');
    this.serviceHost = this._serviceHost('clickhouse');
  }
}
