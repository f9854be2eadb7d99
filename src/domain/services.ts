/**
 * The cluster services a tenant can run for itself and its descendants (SPEC.md §3
 * "Service inheritance"). Each is a tenant module flag of the same name.
 */

/**
 * The cluster services a tenant can run for itself and its descendants.
 */
export enum ClusterService {
  /** etcd: the data store of tenant Kubernetes control planes. */
  ETCD = 'etcd',
  /** ingress-nginx: how apps of the tenant are reached from outside. */
  INGRESS = 'ingress',
  /** The monitoring stack (VictoriaMetrics, Grafana, alerting). */
  MONITORING = 'monitoring',
  /** SeaweedFS object storage. */
  SEAWEEDFS = 'seaweedfs',
  /**
   * A Gateway API gateway (Cozystack v1.5+): apps publish HTTPRoutes to it instead of
   * Ingresses. Not one of the four module flags every tenant carries: a tenant owns one
   * only with `gateway: true`, the root only when the platform enables it.
   */
  GATEWAY = 'gateway',
}
