import { Construct } from 'constructs';
import { MariaDBValues } from '../generated';
import { ChartAppBase, CozystackAppProps } from './cozystack-app';

/**
 * Properties of a {@link MariaDB}: every value of Cozystack's `mariadb` chart, and its name.
 */
export interface MariaDBProps extends MariaDBValues, CozystackAppProps {}

/**
 * A managed MariaDB (`apps.cozystack.io/v1alpha1` `MariaDB`, Cozystack v1.0+; v0.41 called the kind MySQL) in a tenant.
 *
 * ```ts
 * new MariaDB(tenant, 'shop', { users: { app: { maxUserConnections: 100, password: 'change-me' } }, databases: { shop: { roles: { admin: ['app'] } } } });
 * ```
 */
export class MariaDB extends ChartAppBase {
  /** The Secret (in the tenant namespace) with one password per user of `users`, and `root`. */
  public readonly credentialsSecretName: string;
  /** In-cluster host of MariaDB (3306). */
  public readonly serviceHost: string;
  /** In-cluster host of the primary (with more than one replica). */
  public readonly primaryHost: string;

  /**
   * @param scope the tenant (or a construct of yours inside it)
   * @param id the construct id, also the object's name unless `props.name` is given
   * @param props the mariadb chart's values
   */
  public constructor(scope: Construct, id: string, props: MariaDBProps = {}) {
    super(scope, id, 'MariaDB', props);
    this.credentialsSecretName = this._secretName('credentials');
    this.serviceHost = this._serviceHost('mariadb');
    this.primaryHost = this._serviceHost('primary');
  }
}
