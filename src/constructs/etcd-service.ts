import { Construct } from 'constructs';
import { ClusterServiceBase } from './cluster-service';
import { ClusterService } from '../domain/services';
import { EtcdValues } from '../generated';

/**
 * Tuning of a tenant's etcd: every value of Cozystack's `etcd` chart. Leave it empty to
 * run etcd with the chart's defaults (only the tenant's module flag is set).
 */
export interface EtcdServiceProps extends EtcdValues {}

/**
 * Runs etcd in a tenant: the data store of the tenant Kubernetes clusters of the
 * tenant and of every descendant without an etcd of its own.
 *
 * ```ts
 * new EtcdService(tenant, { size: '10Gi' });
 * ```
 */
export class EtcdService extends ClusterServiceBase {
  /**
   * @param tenant the tenant (or a construct of yours inside it)
   * @param props the etcd chart's values; empty runs it with the chart's defaults
   */
  public constructor(tenant: Construct, props: EtcdServiceProps = {}) {
    super(tenant, ClusterService.ETCD, 'Etcd', props);
  }
}
