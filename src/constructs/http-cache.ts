import { Construct } from 'constructs';
import { HTTPCacheValues } from '../generated';
import { ChartAppBase, CozystackAppProps } from './cozystack-app';

/**
 * Properties of a {@link HTTPCache}: every value of Cozystack's `http-cache` chart, and its name.
 */
export interface HTTPCacheProps extends HTTPCacheValues, CozystackAppProps {}

/**
 * A caching HTTP reverse proxy (`apps.cozystack.io/v1alpha1` `HTTPCache`: HAProxy in front of nginx caches) in a tenant.
 *
 * ```ts
 * new HTTPCache(tenant, 'cdn', { endpoints: ['10.100.3.1:80'] });
 * ```
 */
export class HTTPCache extends ChartAppBase {
  /** In-cluster host of the cache (port 80; a LoadBalancer with `external: true`). */
  public readonly serviceHost: string;

  /**
   * @param scope the tenant (or a construct of yours inside it)
   * @param id the construct id, also the object's name unless `props.name` is given
   * @param props the http-cache chart's values
   */
  public constructor(scope: Construct, id: string, props: HTTPCacheProps = {}) {
    super(scope, id, 'HTTPCache', props);
    this.serviceHost = this._serviceHost('haproxy');
  }
}
