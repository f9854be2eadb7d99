import { Construct } from 'constructs';
import { APP_MESSAGES } from '../domain/app-rules';
import { KubernetesNodesValues } from '../generated';
import { ChartAppBase, CozystackAppProps } from './cozystack-app';
import { KubernetesCluster } from './kubernetes-cluster';
import { referenceProblems } from './private/references';

/**
 * Properties of a {@link KubernetesNodes}: every value of Cozystack's `kubernetes-nodes`
 * chart, the cluster the nodes join, and the object's name.
 */
export interface KubernetesNodesProps extends KubernetesNodesValues, CozystackAppProps {
  /**
   * The tenant Kubernetes cluster the nodes join: a {@link KubernetesCluster} of the same
   * tenant. The library writes its name into `cluster` (the chart attaches the pool to the
   * CAPI Cluster `kubernetes-<cluster>` of its own namespace); leave `cluster` unset.
   */
  readonly kubernetesCluster: KubernetesCluster;
}

/**
 * A pool of worker nodes for a tenant Kubernetes cluster, managed apart from the cluster
 * (`apps.cozystack.io/v1alpha1` `KubernetesNodes`, Cozystack v1.6+). The chart requires the
 * object's name to be `<cluster>-<pool>`: by default the library names it
 * `<cluster name>-<id>`.
 *
 * ```ts
 * new KubernetesNodes(tenant, 'gpu', { kubernetesCluster: cluster, instanceType: 'u1.xlarge', minReplicas: 1, maxReplicas: 4 });
 * ```
 */
export class KubernetesNodes extends ChartAppBase {
  /** The cluster the nodes join. */
  public readonly kubernetesCluster: KubernetesCluster;
  /** The pool's node group name (the object's name without `<cluster>-`). */
  public readonly poolName: string;

  /**
   * @param scope the tenant (or a construct of yours inside it)
   * @param id the construct id, also the pool's name unless `props.name` is given
   * @param props the kubernetes-nodes chart's values and the cluster the nodes join
   */
  public constructor(scope: Construct, id: string, props: KubernetesNodesProps) {
    const clusterName = typeof props?.kubernetesCluster?.name === 'string' ? props.kubernetesCluster.name : undefined;
    super(scope, id, 'KubernetesNodes', { ...props, name: props.name ?? (clusterName ? `${clusterName}-${id}` : id) }, ['kubernetesCluster']);
    this.kubernetesCluster = props.kubernetesCluster;
    this.poolName = clusterName && this.name.startsWith(`${clusterName}-`) ? this.name.slice(clusterName.length + 1) : this.name;
  }

  protected completeSpec(spec: { [key: string]: any }): void {
    const name = (this.kubernetesCluster as unknown as { name?: unknown })?.name;
    if (spec.cluster === undefined && typeof name === 'string') spec.cluster = name;
  }

  protected specProblems(spec: { [key: string]: any }, skip: string[]): string[] {
    const given = (this.kubernetesCluster as unknown);
    const errors = referenceProblems(this, 'kubernetesCluster', given, 'Kubernetes', 'KubernetesCluster');
    if (errors.length > 0) {
      skip.push('spec.cluster');
      return errors;
    }
    const cluster = this.kubernetesCluster;
    if (spec.cluster !== cluster.name) {
      skip.push('spec.cluster');
      return [APP_MESSAGES.referenceAsString('cluster', 'kubernetesCluster', 'KubernetesCluster')];
    }
    // The name rule (<cluster>-<pool>, _helpers.tpl:78-84) is the chart's own fail site: checkSpec reports it.
    // _helpers.tpl:96-107: a pool named like a node group of the cluster's own spec collides with it.
    if (Object.keys(cluster._nodeGroups()).includes(this.poolName)) {
      return [APP_MESSAGES.nodesPoolCollides(this.poolName, cluster.name, cluster.node.path)];
    }
    return [];
  }
}
