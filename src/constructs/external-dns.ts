import { Construct } from 'constructs';
import { ExternalDNSValues } from '../generated';
import { ChartAppBase, CozystackAppProps } from './cozystack-app';

/**
 * Properties of a {@link ExternalDNS}: every value of Cozystack's `external-dns` chart, and its name.
 */
export interface ExternalDNSProps extends ExternalDNSValues, CozystackAppProps {}

/**
 * ExternalDNS (`apps.cozystack.io/v1alpha1` `ExternalDNS`, Cozystack v1.2+): keeps the records of a DNS provider in line with the tenant's Services and Ingresses. The provider's credentials are values of the object: they are stored in plain text on the management cluster.
 *
 * ```ts
 * new ExternalDNS(tenant, 'dns', { provider: 'cloudflare', domainFilters: ['example.org'] });
 * ```
 */
export class ExternalDNS extends ChartAppBase {
  /**
   * @param scope the tenant (or a construct of yours inside it)
   * @param id the construct id, also the object's name unless `props.name` is given
   * @param props the external-dns chart's values
   */
  public constructor(scope: Construct, id: string, props: ExternalDNSProps = {}) {
    super(scope, id, 'ExternalDNS', props);
  }
}
