import { Construct } from 'constructs';
import { chartData } from './charts';
import { ResourceQuantities } from './common';
import { CozystackAppBase } from './cozystack-app';
import { appHost } from './inheritance';
import { platformState } from './private/state';
import { checkHost, checkSpec } from './private/validation';
import { LIMITS, MESSAGES, PATTERNS } from './rules';
import { ClusterService, ITenant } from './tenant';

/**
 * A group of worker nodes (a `nodeGroups` entry). Cozystack applies no defaults to
 * entries: `minReplicas`, `maxReplicas`, `instanceType` and `diskSize` are required.
 */
export interface NodeGroup {
  /**
   * Minimum number of nodes. Required.
   * @default - none: required by Cozystack.
   */
  readonly minReplicas?: number;
  /**
   * Maximum number of nodes. Required.
   * @default - none: required by Cozystack.
   */
  readonly maxReplicas?: number;
  /**
   * KubeVirt instance type of the node VMs, e.g. `"u1.medium"`. Required.
   * @default - none: required by Cozystack.
   */
  readonly instanceType?: string;
  /**
   * System disk size of each node VM, e.g. `"20Gi"`. Required.
   * @default - none: required by Cozystack.
   */
  readonly diskSize?: string;
  /**
   * Explicit CPU and memory per node instead of the instance type's (both or neither).
   * @default - sized by `instanceType`.
   */
  readonly resources?: ResourceQuantities;
  /**
   * Node roles, e.g. `["ingress-nginx"]`.
   * @default - no roles.
   */
  readonly roles?: string[];
  /**
   * Further node group values, passed through verbatim.
   * @default - none.
   */
  readonly values?: { [key: string]: any };
}

/**
 * Properties of a {@link KubernetesCluster}.
 */
export interface KubernetesClusterProps {
  /**
   * Worker node groups by name.
   * @default - Cozystack's default group `md0` (no workers until the autoscaler adds some).
   */
  readonly nodeGroups?: { [name: string]: NodeGroup };
  /**
   * Kubernetes minor version, e.g. `"v1.35"`.
   * @default - the chart's default version.
   */
  readonly version?: string;
  /**
   * StorageClass of the cluster's volumes. Immutable once the cluster exists.
   * @default "replicated" (chart default)
   */
  readonly storageClass?: string;
  /**
   * The API server's public host.
   * @default - `kubernetes-<name>.<tenant host>`
   */
  readonly host?: string;
  /**
   * Further chart values (addons, controlPlane, oidc, ...), passed through verbatim and
   * validated against the chart schema.
   * @default - none.
   */
  readonly values?: { [key: string]: any };
}

/**
 * A tenant Kubernetes cluster (`apps.cozystack.io/v1alpha1` `Kubernetes`). Its
 * control-plane data lives in the etcd its tenant inherits, it is reached through the
 * inherited ingress and measured by the inherited monitoring.
 *
 * ```ts
 * new KubernetesCluster(tenant, 'cluster1', {
 *   nodeGroups: { md0: { minReplicas: 1, maxReplicas: 3, instanceType: 'u1.medium', diskSize: '20Gi' } },
 * });
 * ```
 */
export class KubernetesCluster extends CozystackAppBase {
  public readonly host: string;
  /** The Secret (in the tenant namespace) holding the admin kubeconfig, key `super-admin.conf`. */
  public readonly adminKubeconfigSecretName: string;
  /** The key of the admin kubeconfig in its Secret. */
  public readonly adminKubeconfigKey: string = 'super-admin.conf';

  private readonly props: KubernetesClusterProps;

  /**
   * @param tenant the tenant (or a construct of yours inside it)
   * @param name the cluster's name: a DNS-1035 label of at most 42 characters
   */
  public constructor(tenant: Construct, name: string, props: KubernetesClusterProps = {}) {
    super(tenant, name, 'Kubernetes');
    this.props = props;
    this.host = appHost('kubernetes', name, this.tenant.host, props.host);
    this.adminKubeconfigSecretName = `kubernetes-${name}-admin-kubeconfig`;
    this.node.addValidation({ validate: () => this.validateCluster() });
  }

  /** The tenant whose etcd stores this cluster's control-plane data. */
  public get etcdProvider(): ITenant { return this.tenant.providerOf(ClusterService.ETCD); }
  /** The tenant whose ingress exposes this cluster's API. */
  public get ingressProvider(): ITenant { return this.tenant.providerOf(ClusterService.INGRESS); }
  /** The tenant whose monitoring receives this cluster's metrics. */
  public get monitoringProvider(): ITenant { return this.tenant.providerOf(ClusterService.MONITORING); }

  protected renderSpec(): { [key: string]: any } {
    const p = this.props;
    let nodeGroups: Record<string, unknown> | undefined;
    if (p.nodeGroups) {
      nodeGroups = {};
      for (const [group, g] of Object.entries(p.nodeGroups)) {
        const { values, ...fields } = g;
        nodeGroups[group] = { ...values, ...fields };
      }
    }
    return {
      ...p.values,
      nodeGroups,
      version: p.version,
      storageClass: p.storageClass,
      host: p.host,
    };
  }

  private validateCluster(): string[] {
    const errors: string[] = [];
    if (!PATTERNS.DNS1035_LABEL.test(this.name) || this.name.length > LIMITS.KUBERNETES_NAME_MAX) {
      errors.push(MESSAGES.appName('Kubernetes', this.name, LIMITS.KUBERNETES_NAME_MAX));
    }
    const etcd = this.etcdProvider;
    if (!etcd.runsService(ClusterService.ETCD)) {
      errors.push(MESSAGES.noEtcdProvider(this.name, etcd.namespace, this.tenant.namespace));
    }
    if (this.props.host) errors.push(...checkHost('Kubernetes', this.props.host, false));

    // Node group entries get no defaults: report each missing field once, in our words.
    const skip: string[] = [];
    const release = platformState(this._root).version.chartRelease;
    const entrySchema = chartData(release, 'kubernetes').schema.properties?.nodeGroups?.additionalProperties ?? {};
    for (const [group, g] of Object.entries(this.props.nodeGroups ?? {})) {
      const merged = { ...g.values, ...g } as Record<string, unknown>;
      for (const field of (entrySchema.required ?? []) as string[]) {
        if (merged[field] === undefined) {
          const def = entrySchema.properties?.[field]?.default;
          errors.push(MESSAGES.nodeGroupMissingField(group, field, def !== undefined ? JSON.stringify(def) : '...'));
          skip.push(`spec.nodeGroups.${group}.${field}`);
        }
      }
    }
    errors.push(...checkSpec(this._root, 'kubernetes', JSON.parse(JSON.stringify(this.renderSpec())), skip));
    return errors;
  }
}
