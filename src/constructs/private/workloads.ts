/**
 * The scope of a tenant cluster's workloads and the rules of what it may hold.
 */
import { ApiObject, App, Chart, Names } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../../domain/labels';
import { TenantIngressOptions, TenantLoadBalancerOptions, TenantVolumeOptions } from '../tenant-cluster-workloads';
import { Synthesis } from './synthesis';

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
 * The scope of a tenant cluster's workloads: a cdk8s Chart nested in the cluster's
 * construct, in the platform's own tree. Its objects are never management-cluster
 * objects: while the App synthesizes (files or a YAML stream) it contributes nothing to
 * cdk8s's output, and the platform's bundle writes them into the cluster's own folder.
 * `Testing.synth()` on it returns them.
 * @internal
 */
export class TenantClusterWorkloads extends Chart {
  public readonly ingresses: IngressRequirement[] = [];
  /** Objects are named as if the chart were the cluster's own top-level chart. */
  private readonly clusterName: string;

  public constructor(cluster: Construct & { readonly name: string }, id: string) {
    // Names inside a tenant cluster need no hash suffix: ids are unique within the one chart. Objects are
    // labelled as ours, so that apply may prune what later leaves the bundle, never what others created there.
    super(cluster, id, { disableResourceNameHashes: true, labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE } });
    this.clusterName = cluster.name;
    Synthesis.of(App.of(this)).workloadCharts.push(this);
  }

  /** `<cluster>-<id path>`, as in a cluster of its own, whatever the platform's construct path. */
  public generateObjectName(apiObject: ApiObject): string {
    const scopes = apiObject.node.scopes;
    const ids = scopes.slice(scopes.indexOf(this) + 1).map(c => c.node.id);
    const relative: Pick<IConstruct, 'node'> = { node: { path: [this.clusterName, ...ids].join('/') } as IConstruct['node'] };
    return Names.toDnsLabel(relative as IConstruct, { includeHash: false, maxLen: apiObject.kind === 'CronJob' ? 52 : undefined });
  }

  /** Nothing while the App synthesizes: these objects belong to the tenant cluster. */
  public toJson(): any[] {
    if (Synthesis.of(App.of(this)).phase) return [];
    return this.manifests();
  }

  public addVolume(id: string, options: TenantVolumeOptions, defaultStorageClass: string): plus.PersistentVolumeClaim {
    return new plus.PersistentVolumeClaim(this, id, {
      storage: options.storage,
      accessModes: options.accessModes ?? [plus.PersistentVolumeAccessMode.READ_WRITE_ONCE],
      storageClassName: options.storageClassName ?? defaultStorageClass,
    });
  }

  public addLoadBalancer(id: string, options: TenantLoadBalancerOptions): plus.Service {
    return new plus.Service(this, id, {
      type: plus.ServiceType.LOAD_BALANCER,
      ports: options.ports,
      selector: options.selector,
    });
  }

  public addIngress(id: string, options: TenantIngressOptions): plus.Ingress {
    const path = options.path ?? '/';
    const tls = options.tls ?? false;
    const ingress = new plus.Ingress(this, id, {
      className: 'nginx',
      rules: [{ host: options.host, path, backend: options.backend }],
      tls: tls ? [{ hosts: [options.host], secret: plus.Secret.fromSecretName(this, `${id}-tls`, `${id}-tls`) }] : undefined,
    });
    if (tls) ingress.metadata.addAnnotation('cert-manager.io/cluster-issuer', options.clusterIssuer ?? 'letsencrypt-prod');
    this.ingresses.push({ host: options.host, tls, path });
    return ingress;
  }

  /** The manifests, in install order (then namespace and name), byte-stable across declaration orders. */
  public manifests(): any[] {
    const objects = this.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === this).map(o => o.toJson());
    const rank = (k: string) => {
      const i = INSTALL_ORDER.indexOf(k);
      return i < 0 ? INSTALL_ORDER.length : i;
    };
    const key = (o: any) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
    return objects.sort((a, b) => rank(a.kind) - rank(b.kind) || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0)
      || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  }
}
