import { Construct } from 'constructs';
import { NatsValues } from '../generated';
import { ChartAppBase, CozystackAppProps } from './cozystack-app';

/**
 * Properties of a {@link Nats}: every value of Cozystack's `nats` chart, and its name.
 */
export interface NatsProps extends NatsValues, CozystackAppProps {}

/**
 * A managed NATS (`apps.cozystack.io/v1alpha1` `NATS`) in a tenant. With `external: true` and TLS its certificate names `nats-<name>.<tenant host>`.
 *
 * ```ts
 * new Nats(tenant, 'bus', { users: { app: {} }, jetstream: { enabled: true } });
 * ```
 */
export class Nats extends ChartAppBase {
  /** The Secret (in the tenant namespace) with one password per user of `users`. */
  public readonly credentialsSecretName: string;
  /** In-cluster host of NATS (clients on 4222). */
  public readonly serviceHost: string;

  /**
   * @param scope the tenant (or a construct of yours inside it)
   * @param id the construct id, also the object's name unless `props.name` is given
   * @param props the nats chart's values
   */
  public constructor(scope: Construct, id: string, props: NatsProps = {}) {
    super(scope, id, 'NATS', props);
    this.credentialsSecretName = this._secretName('credentials');
    this.serviceHost = this._serviceHost('nats');
  }
}
