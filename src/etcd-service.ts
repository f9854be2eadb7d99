import { Construct } from 'constructs';
import { ClusterServiceBase } from './cluster-service';
import { ResourceQuantities } from './common';
import { ClusterService } from './tenant';

/**
 * Tuning of a tenant's etcd (Cozystack's `etcd` chart).
 */
export interface EtcdServiceProps {
  /**
   * Persistent volume size of each member.
   * @default "4Gi" (chart default)
   */
  readonly size?: string;
  /**
   * StorageClass of the data volumes.
   * @default - the cluster's default StorageClass.
   */
  readonly storageClass?: string;
  /**
   * Number of etcd members.
   * @default 3 (chart default)
   */
  readonly replicas?: number;
  /**
   * CPU and memory of each member.
   * @default - 1000m CPU and 512Mi memory (chart defaults).
   */
  readonly resources?: ResourceQuantities;
  /**
   * etcd version (X.Y.Z).
   * @default - the chart's pinned version.
   */
  readonly version?: string;
  /**
   * Further chart values, passed through verbatim (validated against the chart schema).
   * @default - none.
   */
  readonly values?: { [key: string]: any };
}

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
   */
  public constructor(tenant: Construct, props: EtcdServiceProps = {}) {
    super(tenant, ClusterService.ETCD, 'Etcd', {
      ...props.values,
      size: props.size,
      storageClass: props.storageClass,
      replicas: props.replicas,
      resources: props.resources,
      version: props.version,
    });
  }
}
