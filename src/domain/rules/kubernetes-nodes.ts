/**
 * The kubernetes-nodes chart's refusals (templates/_helpers.tpl, nodegroup.yaml, Cozystack
 * v1.6.2): one node group of a parent Kubernetes cluster, with the same node rules as
 * the kubernetes chart's groups.
 */
import { defineRules, RuleContext, RuleProblem, truthy } from './common';
import { maxUnhealthyProblems, nodeGroupProblems } from './kubernetes';

/**
 * The kubernetes-nodes chart's refusals (a single node group of a parent cluster).
 * @internal
 */
export function kubernetesNodesProblems(spec: any, ctx: RuleContext = {}): RuleProblem[] {
  const out: RuleProblem[] = [];
  if (!truthy(spec.cluster)) {
    out.push({ rule: KUBERNETES_NODES_RULES.cluster.id, path: 'spec.cluster', message: KUBERNETES_NODES_MESSAGES.cluster(ctx.name) });
  } else if (ctx.name !== undefined && !ctx.name.startsWith(`${spec.cluster}-`)) {
    out.push({ rule: KUBERNETES_NODES_RULES.cluster.id, path: 'spec.cluster', message: KUBERNETES_NODES_MESSAGES.namePrefix(ctx.name, String(spec.cluster)) });
  }
  out.push(...nodeGroupProblems(ctx.name ?? 'nodes', spec, 'spec'));
  out.push(...maxUnhealthyProblems(spec.maxUnhealthy, 'maxUnhealthy', 'spec.maxUnhealthy'));
  return out;
}

/** @internal */
export const KUBERNETES_NODES_RULES = defineRules('kubernetes-nodes', {
  'cluster': 'cluster names the parent Kubernetes and the object is named <cluster>-<group>',
  // Checked by the KubernetesNodes construct, which knows the cluster's node groups (the chart looks the MachineDeployment up).
  'pool-collision': 'a pool is not named like a node group of its cluster\'s own spec',
});

/** @internal */
export const KUBERNETES_NODES_MESSAGES = {
  cluster: (name: string | undefined) =>
    `KubernetesNodes${name ? ` "${name}"` : ''} has no cluster: the kubernetes-nodes chart needs the name of the Kubernetes cluster the nodes join. Set cluster.`,
  namePrefix: (name: string, cluster: string) =>
    `KubernetesNodes "${name}" joins cluster "${cluster}", but its name does not start with "${cluster}-": the chart derives the node group from the release name and refuses. Rename it, e.g. "${cluster}-${name.replace(/^kubernetes-nodes-/, '') || 'workers'}".`,
} as const;
