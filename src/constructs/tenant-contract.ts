/**
 * The contract every tenant offers, the root included. Kept apart from the classes so
 * that the shared tenant state (private/core.ts) can name it without an import circle.
 */
import { IConstruct } from 'constructs';
import { ClusterService } from '../domain/services';

/**
 * A Cozystack tenant: the platform's root tenant or a tenant below it.
 */
export interface ITenant extends IConstruct {
  /** The tenant's name (`root` for the root tenant). */
  readonly name: string;
  /** The tenant's own namespace, e.g. `tenant-foo-bar`. */
  readonly namespace: string;
  /** The tenant's domain, e.g. `bar.foo.example.org`. */
  readonly host: string;
  /** Nesting depth: 0 for the root, 1 for its children, and so on. */
  readonly depth: number;
  /** The tenant this one is nested in; undefined only for the root. */
  readonly parentTenant?: ITenant;
  /** The tenant whose etcd this tenant's Kubernetes clusters store their data in. */
  readonly etcdProvider: ITenant;
  /** The tenant whose ingress serves this tenant's apps. */
  readonly ingressProvider: ITenant;
  /** The tenant whose monitoring stack collects this tenant's metrics. */
  readonly monitoringProvider: ITenant;
  /** The tenant whose SeaweedFS serves this tenant's object storage. */
  readonly seaweedfsProvider: ITenant;

  /** Whether this tenant runs the service itself (its module flag is on). */
  runsService(service: ClusterService): boolean;

  /** The tenant that provides the service to this one: itself or its nearest ancestor running it (the root at the latest). */
  providerOf(service: ClusterService): ITenant;
}
