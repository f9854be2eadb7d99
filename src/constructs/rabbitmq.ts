import { Construct } from 'constructs';
import { RabbitMQValues } from '../generated';
import { ChartAppBase, CozystackAppProps } from './cozystack-app';

/**
 * Properties of a {@link RabbitMQ}: every value of Cozystack's `rabbitmq` chart, and its name.
 */
export interface RabbitMQProps extends RabbitMQValues, CozystackAppProps {}

/**
 * A managed RabbitMQ (`apps.cozystack.io/v1alpha1` `RabbitMQ`) in a tenant.
 *
 * ```ts
 * new RabbitMQ(tenant, 'queue', { users: { app: {} }, vhosts: { main: { roles: { admin: ['app'] } } } });
 * ```
 */
export class RabbitMQ extends ChartAppBase {
  /** The Secret (in the tenant namespace) with the default (admin) user's `username` and `password`. */
  public readonly defaultUserSecretName: string;
  /** In-cluster host of RabbitMQ. */
  public readonly serviceHost: string;

  /**
   * @param scope the tenant (or a construct of yours inside it)
   * @param id the construct id, also the object's name unless `props.name` is given
   * @param props the rabbitmq chart's values
   */
  public constructor(scope: Construct, id: string, props: RabbitMQProps = {}) {
    super(scope, id, 'RabbitMQ', props);
    this.defaultUserSecretName = this._secretName('default-user');
    this.serviceHost = this._serviceHost('rabbitmq');
  }

  /**
   * The Secret (in the tenant namespace) with the `username` and `password` of one user of `users` (the chart kebab-cases the user name).
   * @param user a key of `users`
   */
  public userSecretName(user: string): string {
    return this._secretName('user', kebabCase(user));
  }

  /**
   * The users as the chart names their Secrets: kebab-cased (rabbitmq.yaml:56-66, Sprig's kebabcase).
   * @internal
   */
  public _credentialUsers(): string[] {
    return super._credentialUsers().map(kebabCase);
  }
}

/** Sprig's `kebabcase`: words split at case changes, `_` and spaces, joined by `-`, lower case. */
function kebabCase(s: string): string {
  return s.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2').replace(/[_\s]+/g, '-').toLowerCase();
}
