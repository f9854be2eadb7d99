import { Construct } from 'constructs';
import { OpenSearchValues } from '../generated';
import { ChartAppBase, CozystackAppProps } from './cozystack-app';

/**
 * Properties of a {@link OpenSearch}: every value of Cozystack's `opensearch` chart, and its name.
 */
export interface OpenSearchProps extends OpenSearchValues, CozystackAppProps {}

/**
 * A managed OpenSearch (`apps.cozystack.io/v1alpha1` `OpenSearch`, Cozystack v1.2+) in a tenant, with optional Dashboards.
 *
 * ```ts
 * new OpenSearch(tenant, 'search', { users: { app: { roles: ['readall'] } } });
 * ```
 */
export class OpenSearch extends ChartAppBase {
  /** The Secret (in the tenant namespace) with the admin's `username`, `password`, `host`, `port` and `uri`. */
  public readonly credentialsSecretName: string;
  /** In-cluster host of OpenSearch (9200). */
  public readonly serviceHost: string;

  /**
   * @param scope the tenant (or a construct of yours inside it)
   * @param id the construct id, also the object's name unless `props.name` is given
   * @param props the opensearch chart's values
   */
  public constructor(scope: Construct, id: string, props: OpenSearchProps = {}) {
    super(scope, id, 'OpenSearch', props);
    this.credentialsSecretName = this._secretName('credentials');
    this.serviceHost = this._serviceHost('opensearch');
  }

  /**
   * The Secret (in the tenant namespace) with the credentials of one user of `users` (`username`, `password`, `roles`).
   * @param user a key of `users`
   */
  public userSecretName(user: string): string {
    return this._secretName('user', user);
  }
}
