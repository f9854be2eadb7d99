/**
 * The scope of a tenant cluster's workloads and the rules of what it may hold.
 */
import { ApiObject, App, Chart } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from './api-object';
import { TenantIngressOptions, TenantLoadBalancerOptions, TenantVolumeOptions } from '../tenant-cluster-workloads';

/** An Ingress host the cluster must be able to serve. @internal */
export interface IngressRequirement {
  readonly host: string;
  readonly tls: boolean;
  readonly path: string;
}

/** Kinds in the order Helm installs them, so that a bundle applies cleanly top to bottom. @internal */
export const INSTALL_ORDER = [
  'Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy', 'PodDisruptionBudget', 'ServiceAccount',
  'Secret', 'SecretList', 'ConfigMap', 'StorageClass', 'PersistentVolume', 'PersistentVolumeClaim', 'CustomResourceDefinition',
  'ClusterRole', 'ClusterRoleList', 'ClusterRoleBinding', 'ClusterRoleBindingList', 'Role', 'RoleList', 'RoleBinding',
  'RoleBindingList', 'Service', 'DaemonSet', 'Pod', 'ReplicationController', 'ReplicaSet', 'Deployment',
  'HorizontalPodAutoscaler', 'StatefulSet', 'Job', 'CronJob', 'IngressClass', 'Ingress', 'APIService',
];

/**
 * The scope of a tenant cluster's workloads: a cdk8s Chart in an App of its own, so
 * that nothing placed in it reaches the management cluster's bundle.
 * @internal
 */
export class TenantClusterWorkloads {
  public readonly chart: Chart;
  public readonly ingresses: IngressRequirement[] = [];

  public constructor(id: string) {
    // Names inside a tenant cluster need no hash suffix: ids are unique within the one chart. Objects are
    // labelled as ours, so that apply may prune what later leaves the bundle, never what others created there.
    this.chart = new Chart(new App({ outdir: '.' }), id, {
      disableResourceNameHashes: true,
      labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE },
    });
  }

  public addVolume(id: string, options: TenantVolumeOptions, defaultStorageClass: string): plus.PersistentVolumeClaim {
    return new plus.PersistentVolumeClaim(this.chart, id, {
      storage: options.storage,
      accessModes: options.accessModes ?? [plus.PersistentVolumeAccessMode.READ_WRITE_ONCE],
      storageClassName: options.storageClassName ?? defaultStorageClass,
    });
  }

  public addLoadBalancer(id: string, options: TenantLoadBalancerOptions): plus.Service {
    return new plus.Service(this.chart, id, {
      type: plus.ServiceType.LOAD_BALANCER,
      ports: options.ports,
      selector: options.selector,
    });
  }

  public addIngress(id: string, options: TenantIngressOptions): plus.Ingress {
    const path = options.path ?? '/';
    const tls = options.tls ?? false;
    const ingress = new plus.Ingress(this.chart, id, {
      className: 'nginx',
      rules: [{ host: options.host, path, backend: options.backend }],
      tls: tls ? [{ hosts: [options.host], secret: plus.Secret.fromSecretName(this.chart, `${id}-tls`, `${id}-tls`) }] : undefined,
    });
    if (tls) ingress.metadata.addAnnotation('cert-manager.io/cluster-issuer', options.clusterIssuer ?? 'letsencrypt-prod');
    this.ingresses.push({ host: options.host, tls, path });
    return ingress;
  }

  /** The workloads' problems found by their own constructs' validations. */
  public validate(): string[] {
    const errors: string[] = [];
    for (const c of this.chart.node.findAll()) {
      for (const e of c.node.validate()) errors.push(`workloads/${c.node.path}: ${e}`);
    }
    return errors;
  }

  /** The manifests, in install order (then namespace and name), byte-stable across declaration orders. */
  public manifests(): any[] {
    const objects = this.chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject).map(o => o.toJson());
    const rank = (k: string) => {
      const i = INSTALL_ORDER.indexOf(k);
      return i < 0 ? INSTALL_ORDER.length : i;
    };
    const key = (o: any) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
    return objects.sort((a, b) => rank(a.kind) - rank(b.kind) || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0)
      || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  }
}
