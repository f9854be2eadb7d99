import { Construct } from 'constructs';
import { ClusterServiceBase } from './cluster-service';
import { ResourceQuantities } from './common';
import { ClusterService } from './tenant';

/**
 * Tuning of a tenant's ingress (Cozystack's `ingress` chart).
 */
export interface IngressServiceProps {
  /**
   * Number of ingress-nginx replicas.
   * @default 2 (chart default)
   */
  readonly replicas?: number;
  /**
   * Client networks allowed to connect (CIDRs).
   * @default - all clients.
   */
  readonly whitelist?: string[];
  /**
   * Restore visitors' addresses behind Cloudflare's proxy.
   * @default false
   */
  readonly cloudflareProxy?: boolean;
  /**
   * Accept the PROXY protocol from the load balancer in front.
   * @default false
   */
  readonly proxyProtocol?: boolean;
  /**
   * Explicit CPU and memory of each replica.
   * @default - sized by `resourcesPreset`.
   */
  readonly resources?: ResourceQuantities;
  /**
   * Sizing preset used when `resources` is not given, e.g. `"t1.micro"`.
   * @default "t1.micro" (chart default)
   */
  readonly resourcesPreset?: string;
  /**
   * Further chart values, passed through verbatim (validated against the chart schema).
   * @default - none.
   */
  readonly values?: { [key: string]: any };
}

/**
 * Runs an ingress controller in a tenant: the entry point of the tenant's apps and of
 * every descendant without an ingress of its own.
 */
export class IngressService extends ClusterServiceBase {
  /**
   * @param tenant the tenant (or a construct of yours inside it)
   */
  public constructor(tenant: Construct, props: IngressServiceProps = {}) {
    super(tenant, ClusterService.INGRESS, 'Ingress', {
      ...props.values,
      replicas: props.replicas,
      whitelist: props.whitelist,
      cloudflareProxy: props.cloudflareProxy,
      proxyProtocol: props.proxyProtocol,
      resources: props.resources,
      resourcesPreset: props.resourcesPreset,
    });
  }
}
