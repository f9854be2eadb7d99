import { Construct } from 'constructs';
import { OpenBAOValues } from '../generated';
import { ChartAppBase, CozystackAppProps } from './cozystack-app';

/**
 * Properties of a {@link OpenBAO}: every value of Cozystack's `openbao` chart, and its name.
 */
export interface OpenBAOProps extends OpenBAOValues, CozystackAppProps {}

/**
 * A managed OpenBao secret store (`apps.cozystack.io/v1alpha1` `OpenBAO`, Cozystack v1.1+) in a tenant. It starts sealed: initialise it and keep the unseal keys yourself.
 *
 * ```ts
 * new OpenBAO(tenant, 'vault', { replicas: 3 });
 * ```
 */
export class OpenBAO extends ChartAppBase {
  /** In-cluster host of the API (a LoadBalancer with `external: true`). */
  public readonly serviceHost: string;

  /**
   * @param scope the tenant (or a construct of yours inside it)
   * @param id the construct id, also the object's name unless `props.name` is given
   * @param props the openbao chart's values
   */
  public constructor(scope: Construct, id: string, props: OpenBAOProps = {}) {
    super(scope, id, 'OpenBAO', props);
    this.serviceHost = this._serviceHost('openbao');
  }
}
