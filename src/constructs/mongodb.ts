import { Construct } from 'constructs';
import { MongoDBValues } from '../generated';
import { ChartAppBase, CozystackAppProps } from './cozystack-app';

/**
 * Properties of a {@link MongoDB}: every value of Cozystack's `mongodb` chart, and its name.
 */
export interface MongoDBProps extends MongoDBValues, CozystackAppProps {}

/**
 * A managed MongoDB (`apps.cozystack.io/v1alpha1` `MongoDB`, Percona operator) in a tenant.
 *
 * ```ts
 * new MongoDB(tenant, 'docs', { users: { app: {} }, databases: { app: { roles: { admin: ['app'] } } } });
 * ```
 */
export class MongoDB extends ChartAppBase {
  /** The Secret (in the tenant namespace) with the database admin's `username`, `password`, `host`, `port` and `uri`. */
  public readonly credentialsSecretName: string;

  /**
   * @param scope the tenant (or a construct of yours inside it)
   * @param id the construct id, also the object's name unless `props.name` is given
   * @param props the mongodb chart's values
   */
  public constructor(scope: Construct, id: string, props: MongoDBProps = {}) {
    super(scope, id, 'MongoDB', props);
    this.credentialsSecretName = this._secretName('credentials');
  }

  /**
   * The Secret (in the tenant namespace) with the password of one user of `users`.
   * @param user a key of `users`
   */
  public userSecretName(user: string): string {
    return this._secretName('user', user);
  }
}
