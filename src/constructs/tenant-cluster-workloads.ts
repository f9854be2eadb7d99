/**
 * What runs inside a tenant Kubernetes cluster: objects applied through the tenant
 * cluster's own API (with its admin kubeconfig), never to the management cluster.
 */
import { Size } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';

/** Options of a persistent volume claim in a tenant cluster. */
export interface TenantVolumeOptions {
  /** The requested size. */
  readonly storage: Size;
  /**
   * Access modes.
   * @default [ReadWriteOnce]
   */
  readonly accessModes?: plus.PersistentVolumeAccessMode[];
  /**
   * StorageClass inside the tenant cluster.
   * @default - the cluster's `storageClass` (the chart's default is "replicated").
   */
  readonly storageClassName?: string;
}

/** Options of a Service of type LoadBalancer in a tenant cluster. */
export interface TenantLoadBalancerOptions {
  /** The ports the load balancer exposes. */
  readonly ports: plus.ServicePort[];
  /**
   * The pods behind it, e.g. a cdk8s-plus Deployment.
   * @default - no selector: bind one with `service.select()`.
   */
  readonly selector?: plus.IPodSelector;
}

/** Options of an Ingress in a tenant cluster. */
export interface TenantIngressOptions {
  /**
   * The host it serves. It must be one the cluster can serve: listed in
   * `addons.ingressNginx.hosts`, or a name under the tenant's domain (added to that list
   * for you when the controller is exposed through the tenant's ingress).
   */
  readonly host: string;
  /** Where requests go. */
  readonly backend: plus.IngressBackend;
  /**
   * The path prefix.
   * @default "/"
   */
  readonly path?: string;
  /**
   * Serve TLS with a certificate from cert-manager (its addon is enabled for you).
   * @default false
   */
  readonly tls?: boolean;
  /**
   * The cert-manager ClusterIssuer of the certificate, with `tls`.
   * @default "letsencrypt-prod"
   */
  readonly clusterIssuer?: string;
}
