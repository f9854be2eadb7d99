/**
 * The external-dns chart's refusal (templates/external-dns.yaml, Cozystack v1.6.2).
 */
import { defineRules, RuleContext, RuleProblem, truthy } from './common';

/** @internal */
export const EXTERNAL_DNS_RULES = defineRules('external-dns', {
  provider: 'provider names the DNS provider',
});

/** @internal */
export function externalDnsProblems(spec: any, _ctx: RuleContext = {}): RuleProblem[] {
  if (truthy(spec.provider)) return [];
  return [{
    rule: EXTERNAL_DNS_RULES.provider.id,
    path: 'spec.provider',
    message: 'provider is not set: the external-dns chart refuses to render without the DNS provider it writes records to. Set provider, e.g. "cloudflare".',
  }];
}
