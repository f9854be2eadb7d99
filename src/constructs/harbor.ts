import { Construct } from 'constructs';
import { HarborValues } from '../generated';
import { ChartAppBase, CozystackAppProps } from './cozystack-app';

/**
 * Properties of a {@link Harbor}: every value of Cozystack's `harbor` chart, and its name.
 */
export interface HarborProps extends HarborValues, CozystackAppProps {}

/**
 * A Harbor container registry (`apps.cozystack.io/v1alpha1` `Harbor`) in a tenant. It keeps its images in a bucket of the SeaweedFS its tenant inherits and is published through the inherited ingress (or gateway).
 *
 * ```ts
 * new Harbor(tenant, 'registry');
 * ```
 */
export class Harbor extends ChartAppBase {
  /** The Secret (in the tenant namespace) with the admin password (key `admin-password`) and the registry URL (key `url`). */
  public readonly credentialsSecretName: string;

  /**
   * @param scope the tenant (or a construct of yours inside it)
   * @param id the construct id, also the object's name unless `props.name` is given
   * @param props the harbor chart's values
   */
  public constructor(scope: Construct, id: string, props: HarborProps = {}) {
    super(scope, id, 'Harbor', props);
    this.credentialsSecretName = this._secretName('credentials');
  }
}
