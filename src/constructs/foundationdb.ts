import { Construct } from 'constructs';
import { FoundationDBValues } from '../generated';
import { ChartAppBase, CozystackAppProps } from './cozystack-app';

/**
 * Properties of a {@link FoundationDB}: every value of Cozystack's `foundationdb` chart, and its name.
 */
export interface FoundationDBProps extends FoundationDBValues, CozystackAppProps {}

/**
 * A managed FoundationDB cluster (`apps.cozystack.io/v1alpha1` `FoundationDB`) in a tenant.
 *
 * ```ts
 * new FoundationDB(tenant, 'kv');
 * ```
 */
export class FoundationDB extends ChartAppBase {
  /**
   * @param scope the tenant (or a construct of yours inside it)
   * @param id the construct id, also the object's name unless `props.name` is given
   * @param props the foundationdb chart's values
   */
  public constructor(scope: Construct, id: string, props: FoundationDBProps = {}) {
    super(scope, id, 'FoundationDB', props);
  }
}
