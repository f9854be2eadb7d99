/**
 * The nats chart's refusal (templates/certmanager.yaml, Cozystack v1.6.2).
 */
import { defineRules, RuleContext, RuleProblem, truthy } from './common';

/** @internal */
export const NATS_RULES = defineRules('nats', {
  'external-host': 'external: true needs the tenant\'s host for the certificate',
});

/** @internal */
export function natsProblems(spec: any, ctx: RuleContext = {}): RuleProblem[] {
  if (!truthy(spec.external) || ctx.tenantHost === undefined || truthy(ctx.tenantHost)) return [];
  return [{
    rule: NATS_RULES['external-host'].id,
    path: 'spec.external',
    message: 'external is true but the tenant has no host: the nats chart names the external certificate after it and refuses to render. Give the tenant (or an ancestor) a host, or set external: false.',
  }];
}
