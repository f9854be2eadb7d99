/**
 * The opensearch chart's refusals (templates/opensearch.yaml, Cozystack v1.6.2).
 */
import { defineRules, RuleContext, RuleProblem, truthy } from './common';

/** @internal */
export const OPENSEARCH_RULES = defineRules('opensearch', {
  'node-roles': 'at least one node role (master, data, ingest, ml) is enabled',
});

/** @internal */
export function opensearchProblems(spec: any, _ctx: RuleContext = {}): RuleProblem[] {
  const r = spec.nodeRoles ?? {};
  if (['master', 'data', 'ingest', 'ml'].some(k => truthy(r[k]))) return [];
  return [{
    rule: OPENSEARCH_RULES['node-roles'].id,
    path: 'spec.nodeRoles',
    message: 'nodeRoles switches off every role (master, data, ingest and ml): the opensearch chart refuses nodes that do nothing. Enable at least one, e.g. nodeRoles.data: true.',
  }];
}
